#!/usr/bin/env node
// Runs the compiled CLI when built (`npm run build`, as in the Docker image), else the TypeScript
// sources through tsx, so a fresh clone works without a build step.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../dist/cli/index.js', import.meta.url);
if (existsSync(fileURLToPath(compiled))) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../cli/index.ts', import.meta.url).href);
}
