import { createTwoFilesPatch, OMIT_HEADERS } from 'diff';
import { isRecord } from './fields.js';
import { guidanceList, guidanceText } from './guidance-list.js';
import { kindOf } from './kinds/index.js';
import type { Baseline, Patch } from './patch.js';

/**
 * The one definition of "the fields a patch touches" (used by the drafter to record a baseline and
 * by apply to detect drift), what those fields become, and how the change reads for a person. Each
 * kind's part is its module's (kinds/); this file asks the module and renders.
 */

/** Attribute names (as the API spells them) that `patch` writes, in a stable order. */
export function touchedFields(patch: Patch): string[] {
  return kindOf(patch).touchedFields(patch);
}

/**
 * The current values of the fields `patch` touches, read from the target's attributes as the API
 * returns them (a skill's attributes, a knowledge item's attributes, the customer agent's
 * attributes). Creates return `{}`: there is no resource yet. A knowledge item's title and content
 * are read from its `source`. Of `tone_of_voice`, only `preset` and `custom_instruction` are kept:
 * `updated_at` changes on every write and is not something a patch sets. Missing fields are `null`.
 */
export function baselineFieldsFor(
  patch: Patch,
  current: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return kindOf(patch).baselineFields(patch, current);
}

/**
 * The values the touched fields will have once `patch` is applied to `fields` (the baseline's
 * fields). For the customer agent's arrays this is the whole new array, which is what its PATCH
 * takes; an edit whose title is not found appends (the policy refuses such edits first).
 */
export function proposedFields(
  patch: Patch,
  fields: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return kindOf(patch).proposedFields(patch, fields);
}

/** A field's value as the lines of text a person compares. */
function asText(field: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (field === 'escalation_rules' || field === 'communication_styles') {
    return guidanceText(guidanceList(value));
  }
  if (isRecord(value) && field === 'tone_of_voice') {
    const custom = value['custom_instruction'];
    return `preset: ${String(value['preset'])}\ncustom_instruction: ${custom === null || custom === undefined ? '(none)' : String(custom)}`;
  }
  return JSON.stringify(value, null, 2);
}

/** Options for `renderPatchDiff`. */
export interface RenderDiffOptions {
  /** The target's display name (a skill's or snippet's), when the baseline does not hold it. */
  targetName?: string;
  /** Lines of context around each change. @defaultValue 3 */
  context?: number;
}

function withNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}

/**
 * A plain-text unified diff, one section per touched field, headed
 * `--- skill "Order status" · instructions (current)` / `+++ … (proposed)`. Creates read as all
 * added; the customer agent's rule and style arrays read as the list before and after.
 */
export function renderPatchDiff(
  patch: Patch,
  baseline: Baseline,
  options: RenderDiffOptions = {},
): string {
  const kind = kindOf(patch);
  const target = kind.label(patch, baseline, options.targetName);
  const after = kind.proposedFields(patch, baseline.fields);
  const sections = kind.touchedFields(patch).map((field) => {
    const label = `${target} · ${field}`;
    const before = withNewline(asText(field, baseline.fields[field]));
    const next = withNewline(asText(field, after[field]));
    // Headers are written here: the library quotes file names that contain spaces or quotes.
    const header = `--- ${label} (current)\n+++ ${label} (proposed)\n`;
    if (before === next) return `${header}  (no change)\n`;
    const hunks = createTwoFilesPatch(label, label, before, next, undefined, undefined, {
      context: options.context ?? 3,
      headerOptions: OMIT_HEADERS,
    });
    return header + hunks;
  });
  return sections.join('\n');
}

/** One line that says what `patch` does, e.g. `Add knowledge snippet "International returns"`. */
export function summarizePatch(patch: Patch): string {
  return kindOf(patch).summary(patch);
}
