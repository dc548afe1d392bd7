#!/usr/bin/env node
// Refreshes the vendored Customer Agent slice of Klaviyo's OpenAPI spec from Klaviyo's public
// spec repository (MIT): `node spec/klaviyo/refresh.mjs [URL-or-file]`. It keeps the Customer
// Agent paths and every component they reference, so the sandbox, the client's contract tests
// and CI read the same contract offline. Review the diff, then run `npm test`.
import { readFile, writeFile } from 'node:fs/promises';

const SOURCE = 'https://raw.githubusercontent.com/klaviyo/openapi/main/openapi/beta.json';
const OUT = new URL('./customer-agent.openapi.json', import.meta.url);
const CUSTOMER_AGENT_PATH = /^\/api\/(customer-agent|agent-)/;

const source = process.argv[2] ?? SOURCE;
const text = /^https?:/.test(source)
  ? await fetch(source).then((r) => {
      if (!r.ok) throw new Error(`${source} answered ${r.status}`);
      return r.text();
    })
  : await readFile(source, 'utf8');
const full = JSON.parse(text);

const paths = Object.fromEntries(
  Object.entries(full.paths).filter(([path]) => CUSTOMER_AGENT_PATH.test(path)),
);
if (Object.keys(paths).length === 0) throw new Error(`${source} has no Customer Agent paths`);

// Every `#/components/<section>/<name>` reachable from the kept paths.
const keep = { schemas: new Set(), responses: new Set() };
const visit = (node) => {
  if (Array.isArray(node)) return node.forEach(visit);
  if (node === null || typeof node !== 'object') return;
  const ref = node.$ref;
  const match = typeof ref === 'string' && /^#\/components\/(\w+)\/(.+)$/.exec(ref);
  if (match && keep[match[1]] && !keep[match[1]].has(match[2])) {
    keep[match[1]].add(match[2]);
    visit(full.components[match[1]][match[2]]);
  }
  Object.values(node).forEach(visit);
};
visit(paths);

// In the source's order, so a refresh's diff shows only what Klaviyo changed.
const pick = (section) =>
  Object.fromEntries(
    Object.entries(full.components[section]).filter(([name]) => keep[section].has(name)),
  );
const slice = {
  openapi: full.openapi,
  info: full.info,
  servers: full.servers,
  security: full.security,
  paths,
  components: {
    responses: pick('responses'),
    schemas: pick('schemas'),
    securitySchemes: full.components.securitySchemes,
  },
  tags: full.tags?.filter((tag) =>
    Object.values(paths).some((ops) =>
      Object.values(ops).some((op) => op.tags?.includes(tag.name)),
    ),
  ),
};
await writeFile(OUT, `${JSON.stringify(slice, null, 2)}\n`);
const operations = Object.values(paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
console.log(
  `wrote ${Object.keys(paths).length} paths, ${operations} operations, revision ${full.info.version}`,
);
