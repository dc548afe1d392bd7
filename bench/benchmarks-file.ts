import { readFile, writeFile } from 'node:fs/promises';

const FILE = new URL('../BENCHMARKS.md', import.meta.url);
const HEADER =
  '# Benchmarks\n\nFigures measured by the `npm run bench:*` scripts; each script rewrites its own section.\n';

/** Replaces (or appends) the section between this benchmark's markers in BENCHMARKS.md. */
export async function writeBenchmarkSection(name: string, body: string): Promise<void> {
  const begin = `<!-- bench:${name}:begin -->`;
  const end = `<!-- bench:${name}:end -->`;
  let text = await readFile(FILE, 'utf8').catch(() => HEADER);
  const section = `${begin}\n${body}\n${end}`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  text =
    from >= 0 && to > from
      ? text.slice(0, from) + section + text.slice(to + end.length)
      : `${text.trimEnd()}\n\n${section}\n`;
  await writeFile(FILE, text);
}
