import { describe, expect, it } from 'vitest';
import { ApiProblem } from '../../../src/sandbox/http-errors.js';
import {
  resolutionRate,
  resolveTimeframe,
  skillValuesReport,
  valuesReport,
} from '../../../src/sandbox/reports.js';
import type { ConversationState } from '../../../src/sandbox/store.js';

const NOW = Date.parse('2026-11-20T12:00:00Z'); // a Friday
const DAY = 86_400_000;

function conv(
  id: string,
  status: ConversationState['status'],
  channel: string,
  daysAgo: number,
  skills: string[] = [],
): ConversationState {
  const at = NOW - daysAgo * DAY;
  return { id, status, channel, skills, messageIds: [], created_at: at, updated_at: at };
}

const conversations = [
  conv('a', 'resolved-by-ai', 'web-chat', 1, ['orders']),
  conv('b', 'routed-to-team', 'sms', 2, ['orders', 'returns']),
  conv('c', 'closed', 'web-chat', 3, ['returns', 'returns']),
  conv('d', 'open', 'web-chat', 4),
  conv('e', 'resolved-by-ai', 'email', 40, ['orders']),
];

describe('resolveTimeframe', () => {
  it('turns preset keys into UTC windows', () => {
    expect(resolveTimeframe({ key: 'today' }, NOW)).toEqual([
      Date.parse('2026-11-20T00:00:00Z'),
      Date.parse('2026-11-21T00:00:00Z'),
    ]);
    expect(resolveTimeframe({ key: 'this_week' }, NOW)[0]).toBe(Date.parse('2026-11-16T00:00:00Z'));
    expect(resolveTimeframe({ key: 'last_month' }, NOW)).toEqual([
      Date.parse('2026-10-01T00:00:00Z'),
      Date.parse('2026-11-01T00:00:00Z'),
    ]);
    expect(resolveTimeframe({ key: 'last_30_days' }, NOW)[0]).toBe(NOW - 30 * DAY);
  });

  it('takes start and end, and rejects half or mixed timeframes', () => {
    expect(
      resolveTimeframe({ start: '2026-11-01T00:00:00Z', end: '2026-11-02T00:00:00+00:00' }, NOW),
    ).toEqual([Date.parse('2026-11-01T00:00:00Z'), Date.parse('2026-11-02T00:00:00Z')]);
    for (const bad of [
      {},
      { start: '2026-11-01T00:00:00Z' },
      { key: 'today', end: '2026-11-02T00:00:00Z' },
      { start: '2026-11-02T00:00:00Z', end: '2026-11-01T00:00:00Z' },
    ]) {
      expect(() => resolveTimeframe(bad, NOW)).toThrow(ApiProblem);
    }
  });
});

describe('reports', () => {
  it('counts volume and resolution rate over final conversations', () => {
    const rows = valuesReport(
      conversations,
      { statistics: ['volume', 'resolution-rate'], timeframe: { key: 'last_7_days' } },
      NOW,
    );
    expect(rows).toEqual([{ groupings: {}, statistics: { volume: 4, 'resolution-rate': 0.3333 } }]);
    expect(resolutionRate([])).toBe(0);
  });

  it('groups by channel or status', () => {
    const rows = valuesReport(
      conversations,
      { statistics: ['volume'], groupings: ['channel'], timeframe: { key: 'last_90_days' } },
      NOW,
    );
    expect(rows).toEqual([
      { groupings: { channel: 'email' }, statistics: { volume: 1 } },
      { groupings: { channel: 'sms' }, statistics: { volume: 1 } },
      { groupings: { channel: 'web-chat' }, statistics: { volume: 3 } },
    ]);
    expect(() =>
      valuesReport(
        conversations,
        { statistics: ['volume'], groupings: ['channel', 'status'], timeframe: { key: 'today' } },
        NOW,
      ),
    ).toThrow(ApiProblem);
  });

  it('counts each skill once per conversation, and filters by skill and channel', () => {
    const request = {
      statistics: ['volume'],
      groupings: ['skill'],
      timeframe: { key: 'last_7_days' },
    };
    expect(skillValuesReport(conversations, request, NOW)).toEqual([
      { groupings: { skill: 'orders' }, statistics: { volume: 2 } },
      { groupings: { skill: 'returns' }, statistics: { volume: 2 } },
    ]);
    expect(
      skillValuesReport(
        conversations,
        { ...request, filter: 'any(skill,["returns"]),any(channel,["web-chat"])' },
        NOW,
      ),
    ).toEqual([{ groupings: { skill: 'returns' }, statistics: { volume: 1 } }]);
    expect(() =>
      skillValuesReport(conversations, { ...request, filter: 'any(region,["eu"])' }, NOW),
    ).toThrow(/region/);
  });
});
