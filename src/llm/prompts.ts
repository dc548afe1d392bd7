import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.js';

/**
 * Prompt templates live in `<repo>/prompts/<name>.v<N>.md`. A file has an optional header (notes
 * for people, never sent), then a `<!-- section: system -->` part (instructions: must be the
 * same for every call of a run so that it can be cached) and a `<!-- section: user -->` part
 * (the per-call message). `{{var}}` slots are filled from `vars`; `{{fill: …}}` (with a colon) is
 * literal text, used by the drafter's placeholder convention.
 */

/** A prompt with its slots filled, and the name+version that produced it. */
export interface LoadedPrompt {
  /** `<name>.v<N>`, recorded with every result so logs show which text produced it. */
  id: string;
  name: string;
  version: number;
  system: string;
  user: string;
}

export interface LoadPromptOptions {
  /** Folder holding the prompt files. @defaultValue the repository's `prompts/` folder */
  dir?: string;
}

const NAME_PATTERN = /^([a-z0-9]+(?:-[a-z0-9]+)*)\.v(\d+)$/;
const SLOT_PATTERN = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const SECTION_PATTERN = /^<!--\s*section:\s*(system|user)\s*-->\s*$/gm;

// File contents never change while the process runs; read each file once.
const fileCache = new Map<string, string>();

/** Loads `prompts/<name>.md` and fills its `{{var}}` slots. Throws ConfigError on any gap. */
export function loadPrompt(
  name: string,
  vars: Record<string, string>,
  options: LoadPromptOptions = {},
): LoadedPrompt {
  const match = NAME_PATTERN.exec(name);
  if (!match?.[1] || !match[2]) {
    throw new ConfigError(
      `prompt name "${name}" is not versioned: use "<kebab-name>.v<N>", e.g. "diagnose-conversation.v2"`,
    );
  }
  const template = readTemplate(join(options.dir ?? defaultPromptsDir(), `${name}.md`), name);
  const sections = splitSections(template);
  const missing = new Set<string>();
  const fill = (text: string) =>
    // One pass with a replacer, so `{{…}}` inside a value (shopper text) is never expanded.
    text.replace(SLOT_PATTERN, (_slot, key: string) => {
      if (!Object.hasOwn(vars, key)) {
        missing.add(key);
        return '';
      }
      return vars[key] ?? '';
    });
  const system = fill(sections.system);
  const user = fill(sections.user);
  if (missing.size > 0) {
    throw new ConfigError(
      `prompt ${name} has unfilled variables: ${[...missing].join(', ')}; pass them in vars`,
    );
  }
  return { id: name, name: match[1], version: Number(match[2]), system, user };
}

function readTemplate(path: string, name: string): string {
  const cached = fileCache.get(path);
  if (cached !== undefined) return cached;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`prompt ${name} not found: expected the file ${path}`, error);
  }
  fileCache.set(path, text);
  return text;
}

function splitSections(template: string): { system: string; user: string } {
  const markers = [...template.matchAll(SECTION_PATTERN)];
  if (markers.length === 0) return { system: '', user: template.trim() };
  const parts: Record<'system' | 'user', string> = { system: '', user: '' };
  markers.forEach((marker, i) => {
    const start = (marker.index ?? 0) + marker[0].length;
    const end = markers[i + 1]?.index ?? template.length;
    const key = marker[1] === 'system' ? 'system' : 'user';
    parts[key] = template.slice(start, end).trim();
  });
  return parts;
}

/**
 * `prompts/` at the repository root: two levels up from `src/llm/` when run from source, three
 * from `dist/src/llm/` in the built image (where prompts/ is copied next to dist/).
 */
function defaultPromptsDir(): string {
  const candidates = ['../../prompts/', '../../../prompts/'].map((rel) =>
    fileURLToPath(new URL(rel, import.meta.url)),
  );
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0] ?? 'prompts';
}
