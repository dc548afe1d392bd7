import { isDeepStrictEqual } from 'node:util';
import type { GuidanceItem, Patch } from '../../patches/patch.js';
import { findGuidanceIndex, proposedFields } from '../../patches/render-diff.js';

/**
 * Apply's view of the guidance-list patches (escalation rules, communication styles). The API
 * takes each list whole, but such a patch changes ONE item of it, so drift is judged on that item
 * alone: changes to other items (another approved proposal, a person) neither block the patch nor
 * get lost, because the list written is the list read just before, with that one item added or
 * put in place. Baselines keep storing the whole list as drafted (older proposals do too); the
 * item is derived from it.
 */

export type GuidancePatch = Extract<
  Patch,
  {
    kind:
      | 'agent.escalation-rule.add'
      | 'agent.escalation-rule.edit'
      | 'agent.communication-style.add'
      | 'agent.communication-style.edit';
  }
>;

type Fields = Readonly<Record<string, unknown>>;

/** The one item a guidance patch touches. */
interface Touched {
  field: 'escalation_rules' | 'communication_styles';
  noun: string;
  /** The item as the patch makes it. */
  item: GuidanceItem;
  /** Edits: the title of the item replaced. Adds: undefined. */
  edited: string | undefined;
}

/** Whether `patch` changes one item of the customer agent's rule or style list. */
export function isGuidancePatch(patch: Patch): patch is GuidancePatch {
  return (
    patch.kind.startsWith('agent.escalation-rule.') ||
    patch.kind.startsWith('agent.communication-style.')
  );
}

function touched(patch: GuidancePatch): Touched {
  switch (patch.kind) {
    case 'agent.escalation-rule.add':
    case 'agent.escalation-rule.edit':
      return {
        field: 'escalation_rules',
        noun: 'escalation rule',
        item: patch.rule,
        edited: patch.kind === 'agent.escalation-rule.edit' ? patch.title : undefined,
      };
    case 'agent.communication-style.add':
    case 'agent.communication-style.edit':
      return {
        field: 'communication_styles',
        noun: 'communication style',
        item: patch.style,
        edited: patch.kind === 'agent.communication-style.edit' ? patch.title : undefined,
      };
  }
}

/** A rule or style list reduced to what a patch sets (the API may add fields to items). */
export function guidanceItems(value: unknown): GuidanceItem[] {
  return (Array.isArray(value) ? (value as GuidanceItem[]) : []).map(
    ({ title, description, status }) => ({ title, description, status }),
  );
}

const itemOf = (list: readonly GuidanceItem[], title: string): GuidanceItem | undefined =>
  list[findGuidanceIndex(list, title)];

const same = (a: GuidanceItem | undefined, b: GuidanceItem | undefined): boolean =>
  a !== undefined && b !== undefined && isDeepStrictEqual(guidanceItems([a]), guidanceItems([b]));

/** Where the touched item stands; `why` says, for `changed`, what moved. */
export interface GuidanceStanding {
  where: 'baseline' | 'proposed' | 'changed';
  why?: string;
}

/**
 * Where the patch's item stands in `current` (the list read now) against `drafted` (the baseline's
 * fields). An add is `baseline` while no item has its title, `proposed` when an identical one is
 * there (our write landed, or someone added the same), else `changed`. An edit is `baseline` while
 * the item of the edited title is as drafted, `proposed` when the edited item is in place, else
 * `changed` (missing, or changed by someone else).
 */
export function guidanceStanding(
  patch: GuidancePatch,
  drafted: Fields,
  current: Fields,
): GuidanceStanding {
  const { field, noun, item, edited } = touched(patch);
  const list = guidanceItems(current[field]);
  const inPlace = itemOf(list, item.title);
  if (edited === undefined) {
    if (inPlace === undefined) return { where: 'baseline' };
    if (same(inPlace, item)) return { where: 'proposed' };
    return {
      where: 'changed',
      why: `already has an ${noun} "${inPlace.title}" with other content`,
    };
  }
  const now = itemOf(list, edited);
  if (same(now, itemOf(guidanceItems(drafted[field]), edited))) return { where: 'baseline' };
  if (same(inPlace, item)) return { where: 'proposed' };
  return {
    where: 'changed',
    why:
      now === undefined
        ? `no longer has the ${noun} "${edited}"`
        : `has the ${noun} "${edited}" changed since the proposal was drafted`,
  };
}

/** The fields to write: the list as read (`current`) with the one item added or replaced. */
export function guidanceWrite(
  patch: GuidancePatch,
  current: Fields,
): Partial<Record<Touched['field'], GuidanceItem[]>> {
  const { field } = touched(patch);
  const next = proposedFields(patch, { [field]: guidanceItems(current[field]) });
  return { [field]: guidanceItems(next[field]) };
}

/** The audit's before and after of an apply. */
export interface AuditLists {
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/**
 * The audit lists when the item was found already in place (an earlier write that landed, or an
 * identical item adopted) rather than written now: `after` is the list as read, `before` the same
 * list with the item undone (removed for an add, the drafted version put back for an edit).
 */
export function guidanceInPlace(
  patch: GuidancePatch,
  drafted: Fields,
  current: Fields,
): AuditLists {
  const { field, item, edited } = touched(patch);
  const after = guidanceItems(current[field]);
  const index = findGuidanceIndex(after, item.title);
  const old = edited === undefined ? undefined : itemOf(guidanceItems(drafted[field]), edited);
  const before =
    index < 0
      ? after
      : old === undefined
        ? after.filter((_, i) => i !== index)
        : after.map((existing, i) => (i === index ? old : existing));
  return { before: { [field]: before }, after: { [field]: after } };
}
