import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The import picture of docs/architecture.md, checked: src/ never imports the application layers
 * (jobs/, cli/); the shared model imports no stage; stages import each other only through the
 * policy gate; and folders form no cycle.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = posix.join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The folder a file belongs to in the picture: `loop/<stage>`, `src/<part>`, `jobs`, `cli`. */
function folderOf(file: string): string {
  const [top, part, stage] = file.split('/');
  if (top !== 'src') return top ?? file;
  if (part === 'loop' && stage !== undefined && !stage.endsWith('.ts')) return `loop/${stage}`;
  return part?.endsWith('.ts') ? 'src' : `src/${part}`;
}

const edges = new Map<string, Set<string>>();
for (const file of ['src', 'jobs', 'cli'].flatMap(sourceFiles)) {
  const imports = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
  for (const { fileName } of imports.importedFiles) {
    if (!fileName.startsWith('.')) continue;
    const target = relative(ROOT, join(ROOT, posix.dirname(file), fileName))
      .split('\\')
      .join('/');
    const [from, to] = [folderOf(file), folderOf(target)];
    if (from !== to) edges.set(from, (edges.get(from) ?? new Set()).add(to));
  }
}
const importsOf = (folder: string): string[] => [...(edges.get(folder) ?? [])].sort();
const STAGES = ['pull', 'diagnose', 'synthesize', 'policy', 'approve', 'apply', 'verify'].map(
  (stage) => `loop/${stage}`,
);
/** The policy is the gate every patch passes through; these may call it. */
const MAY_CALL_POLICY = ['loop/synthesize', 'loop/approve', 'loop/verify'];

describe('the import picture', () => {
  it('has a folder per stage, and no module at the top of src/loop', () => {
    for (const stage of STAGES) expect(statSync(join(ROOT, 'src', stage)).isDirectory()).toBe(true);
    expect(sourceFiles('src/loop').filter((f) => f.split('/').length === 3)).toEqual([]);
  });

  it('keeps src/ free of the application layers (jobs/, cli/)', () => {
    for (const [from, tos] of edges) {
      if (from === 'jobs' || from === 'cli') continue;
      expect(
        [...tos].filter((to) => to === 'jobs' || to === 'cli'),
        from,
      ).toEqual([]);
    }
  });

  it('keeps the shared model and the store free of stages', () => {
    for (const shared of ['src/domain', 'src/patches', 'src/store', 'src/klaviyo', 'src/llm']) {
      expect(
        importsOf(shared).filter((to) => to.startsWith('loop/')),
        shared,
      ).toEqual([]);
    }
  });

  it('lets stages import each other only through the policy gate', () => {
    for (const stage of STAGES) {
      const others = importsOf(stage).filter((to) => to.startsWith('loop/'));
      const allowed = MAY_CALL_POLICY.includes(stage) ? ['loop/policy'] : [];
      expect(
        others.filter((to) => !allowed.includes(to)),
        stage,
      ).toEqual([]);
    }
  });

  it('has no cycle between folders', () => {
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (folder: string, path: string[]) => {
      if (state.get(folder) === 'done') return;
      if (state.get(folder) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(folder)), folder].join(' → '));
        return;
      }
      state.set(folder, 'visiting');
      for (const to of importsOf(folder)) visit(to, [...path, folder]);
      state.set(folder, 'done');
    };
    for (const folder of [...edges.keys()].sort()) visit(folder, []);
    expect(cycles).toEqual([]);
  });
});
