import { describe, expect, it } from 'vitest';
import {
  ESCALATION_RULES,
  findGuidance,
  findGuidanceIndex,
  guidanceItems,
  guidanceList,
  withGuidance,
  writtenList,
  type GuidanceItem,
} from '../../../src/patches/guidance-list.js';

const damaged: GuidanceItem = {
  title: 'Damaged items',
  description: 'Escalate when a shopper reports gear that arrived damaged.',
  status: 'enabled',
};
const warranty: GuidanceItem = {
  title: 'Warranty claims',
  description: 'Escalate warranty claims older than one year.',
  status: 'enabled',
};

describe('guidance lists', () => {
  it('finds an item by its exact title, else ignoring case and surrounding space', () => {
    const twin = { ...damaged, title: 'damaged items' };
    expect(findGuidanceIndex([twin, damaged], 'Damaged items')).toBe(1);
    expect(findGuidanceIndex([warranty, damaged], ' DAMAGED ITEMS ')).toBe(1);
    expect(findGuidanceIndex([damaged, warranty], 'Returns')).toBe(-1);
    expect(findGuidance([damaged, warranty], 'warranty claims')).toBe(warranty);
    expect(findGuidance([damaged], 'Returns')).toBeUndefined();
  });

  it('reads a stored list as it is, and normalizes items to what a patch sets', () => {
    const fromApi = [{ ...damaged, id_hint: 'x' }, { title: 'Bare' }];
    expect(guidanceList(fromApi)).toBe(fromApi);
    expect(guidanceList('not a list')).toEqual([]);
    expect(guidanceItems(fromApi)).toEqual([
      damaged,
      { title: 'Bare', description: '', status: 'enabled' },
    ]);
    expect(guidanceItems(null)).toEqual([]);
  });

  it('puts an item in place of the titled one, or appends it', () => {
    const edited = { ...damaged, description: 'Escalate damaged gear; ask for a photo.' };
    expect(withGuidance([damaged, warranty], edited, 'damaged items')).toEqual([edited, warranty]);
    expect(withGuidance([damaged], warranty)).toEqual([damaged, warranty]);
    expect(withGuidance([damaged], warranty, 'Missing')).toEqual([damaged, warranty]);
  });

  it('writes the list as read with the one item in place, keeping others as they are now', () => {
    const changedByOthers = { ...warranty, description: 'Changed meanwhile.' };
    const current = { escalation_rules: [{ ...damaged, extra: 1 }, changedByOthers] };
    const edited = { ...damaged, status: 'disabled' as const };
    expect(
      writtenList({ list: ESCALATION_RULES, item: edited, edited: damaged.title }, current),
    ).toEqual({ escalation_rules: [edited, changedByOthers] });
  });
});
