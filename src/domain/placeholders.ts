import type { Patch } from '../patches/patch.js';

/**
 * Placeholders mark facts the system cannot know, such as `{{fill: international return window}}`.
 * A proposal may carry them; it cannot be approved until a person fills them (policy.ts
 * `canApprove`). This file also owns the one list of a patch's free-text fields, which the policy
 * scrubs and checks and which placeholders can live in.
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

type TextMapper = (text: string, field: string) => string;

/**
 * Returns a copy of `patch` with every free-text field passed through `map`. Identifiers (ids, the
 * current title an edit targets) and enums are not free text and are never passed.
 */
export function mapPatchText(patch: Patch, f: TextMapper): Patch {
  switch (patch.kind) {
    case 'skill.update': {
      const changes = { ...patch.changes };
      if (changes.description !== undefined) {
        changes.description = f(changes.description, 'changes.description');
      }
      if (changes.instructions !== undefined) {
        changes.instructions = f(changes.instructions, 'changes.instructions');
      }
      return { ...patch, changes };
    }
    case 'skill.create': {
      const { skill } = patch;
      return {
        ...patch,
        skill: {
          ...skill,
          display_name: f(skill.display_name, 'skill.display_name'),
          description: f(skill.description, 'skill.description'),
          instructions: f(skill.instructions, 'skill.instructions'),
        },
      };
    }
    case 'knowledge.create':
      return {
        ...patch,
        snippet: {
          title: f(patch.snippet.title, 'snippet.title'),
          content: f(patch.snippet.content, 'snippet.content'),
        },
      };
    case 'knowledge.update': {
      const changes = { ...patch.changes };
      if (changes.title !== undefined) changes.title = f(changes.title, 'changes.title');
      if (changes.content !== undefined) changes.content = f(changes.content, 'changes.content');
      return { ...patch, changes };
    }
    case 'agent.escalation-rule.add':
    case 'agent.escalation-rule.edit': {
      const { rule } = patch;
      const title = f(rule.title, 'rule.title');
      return {
        ...patch,
        rule: { ...rule, title, description: f(rule.description, 'rule.description') },
      };
    }
    case 'agent.communication-style.add':
    case 'agent.communication-style.edit': {
      const { style } = patch;
      const title = f(style.title, 'style.title');
      const description = f(style.description, 'style.description');
      return { ...patch, style: { ...style, title, description } };
    }
    case 'agent.tone.update': {
      const custom = patch.tone.custom_instruction;
      const customInstruction = custom === null ? null : f(custom, 'tone.custom_instruction');
      return { ...patch, tone: { ...patch.tone, custom_instruction: customInstruction } };
    }
  }
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
