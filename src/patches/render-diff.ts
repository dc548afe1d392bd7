import { createTwoFilesPatch, OMIT_HEADERS } from 'diff';
import type { Baseline, GuidanceItem, Patch } from './patch.js';

/**
 * The one definition of "the fields a patch touches" (used by the drafter to record a baseline and
 * by apply to detect drift), what those fields become, and how the change reads for a person.
 */

const SKILL_FIELDS = ['display_name', 'description', 'instructions', 'handoff', 'status'] as const;
const SNIPPET_FIELDS = ['title', 'content'] as const;

/** Attribute names (as the API spells them) that `patch` writes, in a stable order. */
export function touchedFields(patch: Patch): string[] {
  switch (patch.kind) {
    case 'skill.update':
      return SKILL_FIELDS.filter((f) => f !== 'display_name' && patch.changes[f] !== undefined);
    case 'skill.create':
      return [...SKILL_FIELDS];
    case 'knowledge.create':
      return [...SNIPPET_FIELDS];
    case 'knowledge.update':
      return SNIPPET_FIELDS.filter((f) => patch.changes[f] !== undefined);
    case 'agent.escalation-rule.add':
    case 'agent.escalation-rule.edit':
      return ['escalation_rules'];
    case 'agent.communication-style.add':
    case 'agent.communication-style.edit':
      return ['communication_styles'];
    case 'agent.tone.update':
      return ['tone_of_voice'];
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
  if (patch.kind === 'skill.create' || patch.kind === 'knowledge.create') return {};
  const source = current['source'];
  const attributes = patch.kind === 'knowledge.update' && isRecord(source) ? source : current;
  const fields: Record<string, unknown> = {};
  for (const field of touchedFields(patch)) {
    const value = attributes[field] ?? null;
    fields[field] =
      field === 'tone_of_voice' && isRecord(value)
        ? {
            preset: value['preset'] ?? null,
            custom_instruction: value['custom_instruction'] ?? null,
          }
        : structuredClone(value);
  }
  return fields;
}

/**
 * Index of the guidance item an edit targets: the exact title, else the same title ignoring case
 * and surrounding space (the API gives rules no ids). -1 when there is none.
 */
export function findGuidanceIndex(items: readonly GuidanceItem[], title: string): number {
  const exact = items.findIndex((item) => item.title === title);
  if (exact >= 0) return exact;
  const loose = title.trim().toLowerCase();
  return items.findIndex((item) => item.title.trim().toLowerCase() === loose);
}

function guidanceList(value: unknown): GuidanceItem[] {
  return Array.isArray(value) ? (value as GuidanceItem[]) : [];
}

function withGuidance(list: GuidanceItem[], item: GuidanceItem, title?: string): GuidanceItem[] {
  const index = title === undefined ? -1 : findGuidanceIndex(list, title);
  if (index < 0) return [...list, item];
  return list.map((existing, i) => (i === index ? item : existing));
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
  switch (patch.kind) {
    case 'skill.update':
    case 'knowledge.update':
      return { ...patch.changes };
    case 'skill.create':
      return { ...patch.skill };
    case 'knowledge.create':
      return { ...patch.snippet };
    case 'agent.escalation-rule.add':
    case 'agent.escalation-rule.edit': {
      const list = guidanceList(fields['escalation_rules']);
      const title = patch.kind === 'agent.escalation-rule.edit' ? patch.title : undefined;
      return { escalation_rules: withGuidance(list, patch.rule, title) };
    }
    case 'agent.communication-style.add':
    case 'agent.communication-style.edit': {
      const list = guidanceList(fields['communication_styles']);
      const title = patch.kind === 'agent.communication-style.edit' ? patch.title : undefined;
      return { communication_styles: withGuidance(list, patch.style, title) };
    }
    case 'agent.tone.update':
      return { tone_of_voice: { ...patch.tone } };
  }
}

function guidanceText(items: GuidanceItem[]): string {
  return items
    .map((item) => {
      const body = item.description.split('\n').map((line) => `    ${line}`);
      return [`* ${item.title} [${item.status}]`, ...body].join('\n');
    })
    .join('\n');
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

function quoted(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? `"${value}"` : fallback;
}

function targetLabel(patch: Patch, baseline: Baseline, name: string | undefined): string {
  const named = (stored: unknown, id: string): string =>
    name === undefined ? quoted(stored, id) : `"${name}"`;
  switch (patch.kind) {
    case 'skill.update':
      return `skill ${named(baseline.fields['display_name'], patch.skillId)}`;
    case 'skill.create':
      return `new skill "${patch.skill.display_name}"`;
    case 'knowledge.create':
      return `new knowledge snippet "${patch.snippet.title}"`;
    case 'knowledge.update':
      return `knowledge snippet ${named(baseline.fields['title'], patch.knowledgeId)}`;
    default:
      return 'customer agent';
  }
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
  const target = targetLabel(patch, baseline, options.targetName);
  const after = proposedFields(patch, baseline.fields);
  const sections = touchedFields(patch).map((field) => {
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

const FIELD_WORDS: Record<string, string> = { display_name: 'name' };

function listWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1) ?? ''}`;
}

function shorten(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function guidanceSummary(noun: string, item: GuidanceItem, title?: string): string {
  if (title === undefined) return `Add ${noun} "${item.title}"`;
  const renamed = item.title === title ? '' : ` (renamed "${item.title}")`;
  return `Edit ${noun} "${title}"${renamed}`;
}

/** One line that says what `patch` does, e.g. `Add knowledge snippet "International returns"`. */
export function summarizePatch(patch: Patch): string {
  const fieldWords = (): string => listWords(touchedFields(patch).map((f) => FIELD_WORDS[f] ?? f));
  switch (patch.kind) {
    case 'skill.update':
      return `Edit ${fieldWords()} of skill ${patch.skillId}`;
    case 'skill.create':
      return `Add skill "${patch.skill.display_name}" (draft)`;
    case 'knowledge.create':
      return `Add knowledge snippet "${patch.snippet.title}"`;
    case 'knowledge.update':
      return `Edit ${fieldWords()} of knowledge snippet ${patch.knowledgeId}`;
    case 'agent.escalation-rule.add':
      return guidanceSummary('escalation rule', patch.rule);
    case 'agent.escalation-rule.edit':
      return guidanceSummary('escalation rule', patch.rule, patch.title);
    case 'agent.communication-style.add':
      return guidanceSummary('communication style', patch.style);
    case 'agent.communication-style.edit':
      return guidanceSummary('communication style', patch.style, patch.title);
    case 'agent.tone.update': {
      const custom = patch.tone.custom_instruction;
      const detail = patch.tone.preset === 'custom' && custom ? `: "${shorten(custom)}"` : '';
      return `Set tone of voice to ${patch.tone.preset}${detail}`;
    }
  }
}
