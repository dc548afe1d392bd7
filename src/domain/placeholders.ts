import type { TextMapper } from '../patches/kind.js';
import { kindOf } from '../patches/kinds/index.js';
import type { Patch } from '../patches/patch.js';

/**
 * Placeholders mark facts the system cannot know, such as `{{fill: international return window}}`.
 * A proposal may carry them; it cannot be approved until a person fills them (policy.ts
 * `canApprove`). Which fields of a patch are free text is its kind module's to say (`mapText`,
 * src/patches/kinds/); this file maps over them for the policy, which scrubs and checks them, and
 * for placeholders, which live in them.
 */

/**
 * Matches `{{fill: <description>}}`, tolerating the variants models and people write
 * (`{{ fill:x }}`, `{{FILL: x}}`, `{{fill x}}`). Group 1 is the raw description. Global: use it
 * with `matchAll`/`replace`, which do not depend on `lastIndex`.
 */
export const PLACEHOLDER_PATTERN = /\{\{\s*fill\b\s*:?\s*([^{}]*?)\s*\}\}/gi;

/** What `findPlaceholders` reports for `{{fill}}` with no description, so it still blocks approval. */
export const UNDESCRIBED_PLACEHOLDER = '(no description)';

function normalizeDescription(raw: string): string {
  const collapsed = raw.replace(/\s+/g, ' ').trim();
  return collapsed === '' ? UNDESCRIBED_PLACEHOLDER : collapsed;
}

/** The descriptions of the placeholders in `text`, each once, in order of first appearance. */
export function findPlaceholders(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(PLACEHOLDER_PATTERN)) found.add(normalizeDescription(m[1] ?? ''));
  return [...found];
}

/** One free-text field of a patch: `field` is its dotted path in the patch, e.g. `changes.instructions`. */
export interface PatchTextField {
  field: string;
  text: string;
}

/**
 * Returns a copy of `patch` with every free-text field passed through `map` (each kind's module
 * says which fields those are). Identifiers (ids, the current title an edit targets) and enums are
 * not free text and are never passed.
 */
export function mapPatchText(patch: Patch, map: TextMapper): Patch {
  return kindOf(patch).mapText(patch, map);
}

/** Every free-text field of `patch`, with its dotted path. */
export function patchTextFields(patch: Patch): PatchTextField[] {
  const fields: PatchTextField[] = [];
  mapPatchText(patch, (text, field) => {
    fields.push({ field, text });
    return text;
  });
  return fields;
}

/** The descriptions of every placeholder in any text field of `patch`, each once. */
export function placeholdersInPatch(patch: Patch): string[] {
  const found = new Set<string>();
  for (const { text } of patchTextFields(patch)) {
    for (const description of findPlaceholders(text)) found.add(description);
  }
  return [...found];
}

/**
 * Replaces placeholders whose description is a key of `values` (compared case-insensitively, with
 * whitespace collapsed) and leaves the others as they are. Returns a new patch; the caller re-checks
 * it against `PatchSchema` (a long value can push a field over its maximum length).
 */
export function fillPlaceholders(patch: Patch, values: Record<string, string>): Patch {
  const byDescription = new Map<string, string>();
  for (const [description, value] of Object.entries(values)) {
    byDescription.set(normalizeDescription(description).toLowerCase(), value);
  }
  return mapPatchText(patch, (text) =>
    text.replace(PLACEHOLDER_PATTERN, (whole: string, raw: string) => {
      const value = byDescription.get(normalizeDescription(raw).toLowerCase());
      return value ?? whole;
    }),
  );
}
