import { describe, expect, it } from 'vitest';
import {
  describeAttribution,
  isWaiting,
  mergeAttribution,
  openWindowsOn,
} from '../../../src/domain/attribution.js';
import type { Proposal } from '../../../src/domain/proposal.js';
import { DAY_MS } from '../../../src/time.js';
import { makeProposal } from '../../integration/store/fixtures.js';

const NOW = Date.parse('2026-11-25T12:00:00.000Z');
const skill = (id: string | null) => ({
  target: { type: 'agent-skill' as const, id },
  fields: {},
  updatedAt: null,
  readAt: '2026-11-20T10:00:00.000Z',
});

/** An applied change of skill `target`, `daysAgo` days before NOW. */
function applied(id: string, target: string, daysAgo: number, extra: Partial<Proposal> = {}) {
  const appliedAt = new Date(NOW - daysAgo * DAY_MS).toISOString();
  return makeProposal({
    id,
    status: 'applied',
    baseline: skill(target),
    result: { appliedAt },
    ...extra,
  });
}

describe('openWindowsOn', () => {
  const next = makeProposal({ id: 'p_next', baseline: skill('sk_a') });

  it('finds the applied changes of the same target whose impact check has not run, latest last', () => {
    const others = [
      applied('p_old', 'sk_a', 8),
      applied('p_late', 'sk_a', 1),
      applied('p_early', 'sk_a', 3),
      applied('p_other', 'sk_b', 1),
      applied('p_acct', 'sk_a', 1, { accountId: 'acct_2' }),
      applied('p_reverted', 'sk_a', 1, { status: 'reverted' }),
      { ...next, status: 'applied' as const, result: { appliedAt: new Date(NOW).toISOString() } },
    ];
    expect(openWindowsOn(next, others, new Date(NOW))).toEqual([
      { proposalId: 'p_early', until: new Date(NOW + 4 * DAY_MS).toISOString() },
      { proposalId: 'p_late', until: new Date(NOW + 6 * DAY_MS).toISOString() },
    ]);
  });

  it('closes a window exactly when its impact check runs, 7 days after the apply', () => {
    const other = [applied('p_first', 'sk_a', 7)];
    expect(openWindowsOn(next, other, new Date(NOW - 1))).toHaveLength(1);
    expect(openWindowsOn(next, other, new Date(NOW))).toEqual([]);
  });

  it('never holds a create or a revert', () => {
    const others = [applied('p_first', 'sk_a', 1)];
    const create = makeProposal({ baseline: skill(null) });
    expect(openWindowsOn(create, [applied('p_new', 'new', 1)], new Date(NOW))).toEqual([]);
    expect(openWindowsOn({ ...next, revertOf: 'p_first' }, others, new Date(NOW))).toEqual([]);
  });
});

describe('mergeAttribution', () => {
  it('replaces fields and adds to sharedWith without repeating an id', () => {
    const current = { sharedWith: ['p_1'], waitingBehind: { proposalId: 'p_1', until: 'x' } };
    expect(mergeAttribution(current, { sharedWith: ['p_1', 'p_2'] })).toEqual({
      waitingBehind: { proposalId: 'p_1', until: 'x' },
      sharedWith: ['p_1', 'p_2'],
    });
    expect(mergeAttribution(current, { applyAnyway: { actor: 'cli:ops' } })).toMatchObject({
      applyAnyway: { actor: 'cli:ops' },
      sharedWith: ['p_1'],
    });
  });
});

describe('describeAttribution', () => {
  const waitingBehind = { proposalId: 'p_first', until: '2026-12-01T10:00:00.000Z' };

  it('says whom a proposal waits behind and until when, only while it waits', () => {
    const waiting = makeProposal({ status: 'approved', attribution: { waitingBehind } });
    expect(isWaiting(waiting)).toBe(true);
    expect(describeAttribution(waiting)[0]).toContain(
      'Waiting behind p_first until 2026-12-01T10:00:00.000Z',
    );
    const anyway = { ...waiting, attribution: { waitingBehind, applyAnyway: { actor: 'web:a' } } };
    expect(isWaiting(anyway)).toBe(false);
    expect(describeAttribution(anyway)).toEqual([
      expect.stringContaining('Apply anyway: chosen by web:a'),
    ]);
    expect(isWaiting({ ...waiting, status: 'applied' })).toBe(false);
  });

  it('names the proposals the attribution is shared with', () => {
    const shared = makeProposal({ status: 'applied', attribution: { sharedWith: ['p_2'] } });
    expect(describeAttribution(shared)).toEqual([
      expect.stringContaining('Attribution shared with p_2'),
    ]);
    expect(describeAttribution(makeProposal())).toEqual([]);
  });
});
