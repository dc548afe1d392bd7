import type { Baseline, Patch } from './patch.js';
import { guidanceChangeOf, kindOf } from './kinds/index.js';
import { touchedFields } from './render-diff.js';

/**
 * Which fields a patch changes, at the grain where two patches collide: a skill's or snippet's
 * field, one item (by title) of a rule or style list, the tone, the title of a new item. Two
 * proposals that share a key cannot both stand: the second was drafted against a value the first
 * changes. Different items of one list do not collide (apply merges them item by item).
 */
export function changeKeys(proposal: { patch: Patch; baseline: Baseline }): string[] {
  const { patch, baseline } = proposal;
  const { type, id } = baseline.target;
  const change = guidanceChangeOf(patch);
  if (change !== null) {
    const titles = [change.item.title, change.edited].filter((t) => t !== undefined);
    return [...new Set(titles.map((t) => `${type}:${id}:${change.list.field}:${t.toLowerCase()}`))];
  }
  const kind = kindOf(patch);
  if (kind.creates) return [`${type}:new:${kind.label(patch, baseline, undefined).toLowerCase()}`];
  return touchedFields(patch).map((field) => `${type}:${id}:${field}`);
}

/** The keys of `proposal` that `other` changes too (empty: they do not collide). */
export function sharedChanges(
  proposal: { patch: Patch; baseline: Baseline },
  other: { patch: Patch; baseline: Baseline },
): string[] {
  const theirs = new Set(changeKeys(other));
  return changeKeys(proposal).filter((key) => theirs.has(key));
}
