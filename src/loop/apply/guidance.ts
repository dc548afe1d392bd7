import { isDeepStrictEqual } from 'node:util';
import {
  findGuidance,
  findGuidanceIndex,
  guidanceItem,
  guidanceItems,
  type GuidanceChange,
  type GuidanceItem,
} from '../../patches/guidance-list.js';

/**
 * Apply's view of the guidance-list patches (escalation rules, communication styles). The API
 * takes each list whole, but such a patch changes ONE item of it (its `GuidanceChange`), so drift
 * is judged on that item alone: changes to other items (another approved proposal, a person)
 * neither block the patch nor get lost, because the list written is the list read just before,
 * with that one item added or put in place. Baselines keep storing the whole list as drafted
 * (older proposals do too); the item is derived from it.
 */

type Fields = Readonly<Record<string, unknown>>;

const same = (a: GuidanceItem | undefined, b: GuidanceItem | undefined): boolean =>
  a !== undefined && b !== undefined && isDeepStrictEqual(guidanceItem(a), guidanceItem(b));

/** Where the touched item stands; `why` says, for `changed`, what moved. */
export interface GuidanceStanding {
  where: 'baseline' | 'proposed' | 'changed';
  why?: string;
}

/**
 * Where the change's item stands in `current` (the list read now) against `drafted` (the
 * baseline's fields). An add is `baseline` while no item has its title, `proposed` when an
 * identical one is there (our write landed, or someone added the same), else `changed`. An edit is
 * `baseline` while the item of the edited title is as drafted, `proposed` when the edited item is
 * in place, else `changed` (missing, or changed by someone else).
 */
export function guidanceStanding(
  change: GuidanceChange,
  drafted: Fields,
  current: Fields,
): GuidanceStanding {
  const { list, item, edited } = change;
  const { field, noun } = list;
  const items = guidanceItems(current[field]);
  const inPlace = findGuidance(items, item.title);
  if (edited === undefined) {
    if (inPlace === undefined) return { where: 'baseline' };
    if (same(inPlace, item)) return { where: 'proposed' };
    return {
      where: 'changed',
      why: `already has an ${noun} "${inPlace.title}" with other content`,
    };
  }
  const now = findGuidance(items, edited);
  if (same(now, findGuidance(guidanceItems(drafted[field]), edited))) return { where: 'baseline' };
  if (same(inPlace, item)) return { where: 'proposed' };
  return {
    where: 'changed',
    why:
      now === undefined
        ? `no longer has the ${noun} "${edited}"`
        : `has the ${noun} "${edited}" changed since the proposal was drafted`,
  };
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
  change: GuidanceChange,
  drafted: Fields,
  current: Fields,
): AuditLists {
  const { list, item, edited } = change;
  const { field } = list;
  const after = guidanceItems(current[field]);
  const index = findGuidanceIndex(after, item.title);
  const old =
    edited === undefined ? undefined : findGuidance(guidanceItems(drafted[field]), edited);
  const before =
    index < 0
      ? after
      : old === undefined
        ? after.filter((_, i) => i !== index)
        : after.map((existing, i) => (i === index ? old : existing));
  return { before: { [field]: before }, after: { [field]: after } };
}
