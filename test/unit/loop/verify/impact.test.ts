import { describe, expect, it } from 'vitest';
import {
  checkImpact,
  impactNote,
  recordedImpact,
  type ImpactInput,
} from '../../../../src/loop/verify/impact.js';
import type { MetricPoint } from '../../../../src/store/reports.js';

const DAY = 24 * 60 * 60 * 1000;
const APPLIED = Date.parse('2026-11-10T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** One day's report point; `rate` is the resolution rate, `skill` the implicated skill's volume. */
function day(offset: number, volume: number, rate: number): MetricPoint {
  const start = APPLIED + offset * DAY;
  return {
    accountId: 'acct',
    kind: 'values',
    windowStart: iso(start),
    windowEnd: iso(start + DAY),
    pulledAt: iso(start + DAY),
    data: {
      type: 'customer-agent-values-report',
      attributes: {
        results: [{ groupings: {}, statistics: { volume, 'resolution-rate': rate } }],
      },
    },
  };
}

function skillDay(offset: number, volume: number): MetricPoint {
  const start = APPLIED + offset * DAY;
  return {
    accountId: 'acct',
    kind: 'skill-values',
    windowStart: iso(start),
    windowEnd: iso(start + DAY),
    pulledAt: iso(start + DAY),
    data: {
      results: [
        { groupings: { skill: 'warranty_support' }, statistics: { volume } },
        { groupings: { skill: 'order_status' }, statistics: { volume: 99 } },
      ],
    },
  };
}

/** A report store over fixed points, answering `range` like the real one (by window end). */
function reports(points: MetricPoint[]): ImpactInput['stores']['reports'] {
  return {
    async range(_account, kind, bounds = {}) {
      const from = bounds.from === undefined ? -Infinity : Date.parse(bounds.from);
      const to = bounds.to === undefined ? Infinity : Date.parse(bounds.to);
      return points.filter(
        (p) => p.kind === kind && Date.parse(p.windowEnd) >= from && Date.parse(p.windowEnd) <= to,
      );
    },
  };
}

function input(points: MetricPoint[], overrides: Partial<ImpactInput> = {}): ImpactInput {
  return {
    proposal: {
      id: 'p_1',
      accountId: 'acct',
      result: { appliedAt: iso(APPLIED) },
      finding: {
        id: 'f',
        accountId: 'acct',
        category: 'wrong_skill',
        skillId: 'custom:agent_104',
        topic: 'warranty claims',
        conversationIds: ['c1'],
        evidence: [],
        metrics: {
          shareOfWindow: 0,
          windowConversations: 0,
          resolutionRate: null,
          skillVolume: null,
        },
        impact: 1,
      },
      patch: {
        kind: 'skill.update',
        skillId: 'custom:agent_104',
        changes: { description: 'Warranty claims.' },
      },
      attribution: {},
    },
    stores: { reports: reports(points) },
    now: new Date(APPLIED + 7 * DAY),
    skillNames: ['warranty_support'],
    ...overrides,
  };
}

const week = (from: number, volume: number, rate: number) =>
  Array.from({ length: 7 }, (_, i) => day(from + i, volume, rate));

describe('checkImpact', () => {
  it('flags a regression in resolution rate and offers a revert', async () => {
    const result = await checkImpact(input([...week(-7, 10, 0.7), ...week(0, 10, 0.55)]));
    expect(result.verdict).toBe('regressed');
    expect(result.offerRevert).toBe(true);
    expect(result.before).toMatchObject({ points: 7, conversations: 70, resolutionRate: 0.7 });
    expect(result.after).toMatchObject({ points: 7, conversations: 70, resolutionRate: 0.55 });
    expect(result.reason).toContain('70% → 55%');
  });

  it('says when the attribution is shared, naming the other proposal', async () => {
    const points = [...week(-7, 10, 0.5), ...week(0, 10, 0.62)];
    const alone = await checkImpact(input(points));
    expect(alone.sharedWith).toEqual([]);
    expect(alone.reason).not.toContain('shared');
    const base = input(points);
    const shared = await checkImpact({
      ...base,
      proposal: { ...base.proposal, attribution: { sharedWith: ['p_2'] } },
    });
    expect(shared).toMatchObject({ verdict: 'improved', sharedWith: ['p_2'] });
    expect(shared.reason).toContain('Attribution shared with p_2');
  });

  it('sees an improvement, and no change within the threshold', async () => {
    const improved = await checkImpact(input([...week(-7, 10, 0.5), ...week(0, 10, 0.62)]));
    expect(improved).toMatchObject({ verdict: 'improved', offerRevert: false });
    const flat = await checkImpact(input([...week(-7, 10, 0.5), ...week(0, 10, 0.52)]));
    expect(flat.verdict).toBe('no-change');
  });

  it('weights each day by its volume', async () => {
    const result = await checkImpact(
      input([day(-2, 30, 0.9), day(-1, 10, 0.5), day(0, 40, 0.8)], {
        now: new Date(APPLIED + 2 * DAY),
      }),
    );
    expect(result.before.resolutionRate).toBe(0.8);
    expect(result.before.conversations).toBe(40);
    expect(result.after.conversations).toBe(40);
  });

  it('compares equal windows: only as many days before as have passed after', async () => {
    const result = await checkImpact(
      input([...week(-7, 10, 0.2), ...week(0, 10, 0.7)], { now: new Date(APPLIED + 3 * DAY) }),
    );
    expect(result.before.points).toBe(3);
    expect(result.after.points).toBe(3);
    expect(result.before.from).toBe(iso(APPLIED - 3 * DAY));
  });

  it('reports the implicated skill volume on both sides', async () => {
    const points = [
      ...week(-7, 10, 0.6),
      ...week(0, 10, 0.6),
      skillDay(-1, 4),
      skillDay(0, 9),
      skillDay(1, 3),
    ];
    const result = await checkImpact(input(points));
    expect(result.before.skillVolume).toBe(4);
    expect(result.after.skillVolume).toBe(12);
  });

  it('says insufficient data with too few conversations or no points', async () => {
    const thin = await checkImpact(input([...week(-7, 1, 0.9), ...week(0, 1, 0.1)]));
    expect(thin).toMatchObject({ verdict: 'insufficient-data', offerRevert: false });
    const none = await checkImpact(input([]));
    expect(none.verdict).toBe('insufficient-data');
    const early = await checkImpact(input(week(-7, 10, 0.6), { now: new Date(APPLIED + DAY / 2) }));
    expect(early.reason).toContain('Less than a day');
  });

  it('refuses a proposal that was never applied', async () => {
    const base = input([]);
    await expect(
      checkImpact({ ...base, proposal: { ...base.proposal, result: {} } }),
    ).rejects.toThrow(/never applied/);
  });
});

describe('recordedImpact', () => {
  it("reads back the latest verdict the impact check noted in the proposal's history", async () => {
    const regressed = await checkImpact(input([...week(-7, 10, 0.7), ...week(0, 10, 0.55)]));
    const improved = await checkImpact(input([...week(-7, 10, 0.5), ...week(0, 10, 0.62)]));
    const event = (at: string, note?: string) => ({
      at,
      status: 'applied' as const,
      actor: 'system',
      ...(note === undefined ? {} : { note }),
    });
    expect(recordedImpact({ history: [event('2026-11-10T00:00:00Z')] })).toBeNull();
    const history = [
      event('2026-11-10T00:00:00Z'),
      event('2026-11-17T00:00:00Z', impactNote(regressed)),
      event('2026-11-24T00:00:00Z', impactNote(improved)),
      event('2026-11-25T00:00:00Z', 'impact of something else'),
    ];
    expect(recordedImpact({ history })).toEqual({
      verdict: 'improved',
      reason: improved.reason,
      at: '2026-11-24T00:00:00Z',
    });
    expect(recordedImpact({ history: history.slice(0, 2) })?.reason).toBe(
      `${regressed.reason} — revert offered`,
    );
  });
});
