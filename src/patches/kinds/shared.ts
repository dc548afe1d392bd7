import { isDeepStrictEqual } from 'node:util';
import type { AgentConfigView } from '../agent-config.js';
import { comparable } from '../fields.js';
import type { Fields, Inverse, PatchTarget, TargetState } from '../kind.js';

/** Helpers the kind modules share: reading fields, naming targets, checking restores. */

/** The current values of `fields` in `attributes`, copied; missing fields are `null`. */
export function pickFields(attributes: Fields, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f, structuredClone(attributes[f] ?? null)]));
}

/** The target of the patches that write the customer agent itself. */
export function agentTarget(view: AgentConfigView): PatchTarget {
  const { agent } = view;
  return {
    type: 'customer-agent',
    id: agent.id,
    name: undefined,
    attributes: agent.attributes,
    updatedAt: agent.updatedAt,
  };
}

/** The target of a create: no id, no attributes yet. */
export function newTarget(type: PatchTarget['type']): PatchTarget {
  return { type, id: null, name: undefined, attributes: {}, updatedAt: null };
}

/** An existing resource's state as apply compares it. */
export function updateState(fields: Fields, id: string): TargetState {
  return { fields: comparable(fields), isCreate: false, resourceId: id };
}

/** Text compared loosely: whitespace collapsed, ends trimmed. */
export const normal = (text: string | null | undefined): string =>
  (text ?? '').replace(/\s+/g, ' ').trim();

function quoted(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? `"${value}"` : fallback;
}

/** `"<display name>"`, else the name stored in the baseline quoted, else the id. */
export function named(name: string | undefined, stored: unknown, id: string): string {
  return name === undefined ? quoted(stored, id) : `"${name}"`;
}

const FIELD_WORDS: Record<string, string> = { display_name: 'name' };

/** Fields as a summary names them: "description and instructions". */
export function fieldWords(fields: readonly string[]): string {
  const words = fields.map((f) => FIELD_WORDS[f] ?? f);
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1) ?? ''}`;
}

export function shorten(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

export const REVERT_ONLY =
  'a revert restores exactly the values audited before the change, nothing else';

/** Why `changes` does not set exactly the fields and values of `before`, or null. */
export function sameFieldsMismatch(changes: Fields, before: Fields): string | null {
  const fields = Object.keys(changes).filter((k) => changes[k] !== undefined);
  const expected = Object.keys(before);
  const extra = fields.filter((f) => !expected.includes(f));
  const missing = expected.filter((f) => !fields.includes(f));
  if (extra.length > 0 || missing.length > 0) {
    return `The revert changes ${fields.join(', ') || 'nothing'} but the audited change touched ${expected.join(', ') || 'nothing'}; ${REVERT_ONLY}.`;
  }
  const differs = fields.find((f) => !isDeepStrictEqual(changes[f], before[f]));
  return differs === undefined
    ? null
    : `The revert sets ${differs} to a value other than the one audited before the change; ${REVERT_ONLY}.`;
}

/** What a kind that restores nothing answers to a revert's check. */
export const restoresNothing = (kind: string): string =>
  `A ${kind} patch cannot restore an earlier state; ${REVERT_ONLY}.`;

/**
 * The inverse of a sparse update: `patchOf` the audited values of `fields`; refused when one of them
 * was empty (a patch cannot empty a field).
 */
export function invertChanges(
  before: Fields,
  fields: readonly string[],
  what: string,
  patchOf: (changes: Record<string, unknown>) => unknown,
): Inverse {
  const changes: Record<string, unknown> = {};
  for (const field of fields) {
    const value = before[field];
    if (value === null || value === undefined) {
      return {
        ok: false,
        reason: `The ${what}'s ${field} was empty before the change, and a patch cannot empty it; edit it in Klaviyo.`,
      };
    }
    changes[field] = value;
  }
  return { ok: true, patch: patchOf(changes) };
}
