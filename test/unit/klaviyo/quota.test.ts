import { describe, expect, it } from 'vitest';
import {
  budgetFor,
  EMPTY_QUOTA_STATE,
  IN_FLIGHT_TOLERANCE,
  othersPerWindow,
  readWindow,
  type QuotaState,
} from '../../../src/klaviyo/quota.js';
import { windowReading } from '../../../src/klaviyo/rate-limiter.js';

const WINDOW = 60_000;

/** Our sends at these times; counts those at or after `since`. */
const ours = (times: number[]) => (since: number) => times.filter((t) => t >= since).length;

describe('readWindow', () => {
  it('counts as others what the window holds beyond our own sends', () => {
    // Window 0–60 s; at 30 s the server counted 40, of which 20 are ours.
    const oursTimes = Array.from({ length: 20 }, (_, i) => 10_000 + i * 1000);
    const state = readWindow(
      EMPTY_QUOTA_STATE,
      { limit: 60, remaining: 20, resetMs: 30_000 },
      30_000,
      WINDOW,
      ours(oursTimes),
    );
    expect(state.othersNow).toBe(20 - IN_FLIGHT_TOLERANCE);
    expect(state.windowEnd).toBe(60_000);
  });

  it('sees nobody else when the count is all ours', () => {
    const oursTimes = Array.from({ length: 30 }, (_, i) => i * 1000);
    const state = readWindow(
      EMPTY_QUOTA_STATE,
      { limit: 60, remaining: 30, resetMs: 31_000 },
      30_000,
      WINDOW,
      ours(oursTimes),
    );
    expect(state.othersNow).toBe(0);
  });

  it('narrows the window end with each rounded-up Reset and does not count our sends before its start', () => {
    // True end at 60.4 s: Reset says 31 at 29.5 s (end ≤ 60.5 s) and 2 at 58.6 s (end ≤ 60.6 s).
    let state = readWindow(
      EMPTY_QUOTA_STATE,
      { limit: 60, remaining: 59, resetMs: 31_000 },
      29_500,
      WINDOW,
      ours([29_000]),
    );
    state = readWindow(
      state,
      { limit: 60, remaining: 58, resetMs: 2000 },
      58_600,
      WINDOW,
      ours([29_000, 58_000]),
    );
    expect(state.windowEnd).toBe(60_500);
    expect(state.windowEndLow).toBe(59_600);
    expect(state.othersNow).toBe(0);
  });

  it('does not take a slow answer for the next window', () => {
    // Window ends at 60.0 s. A request sent at 59.2 s is counted then (Reset 1 s), but its answer
    // is read only at 60.5 s (a busy machine): it still belongs to the window ending at 60 s.
    const before = readWindow(
      EMPTY_QUOTA_STATE,
      { limit: 60, remaining: 20, resetMs: 2000 },
      58_500,
      WINDOW,
      ours([]),
    );
    expect(before.windowEnd).toBe(60_500);
    const late = readWindow(
      before,
      { limit: 60, remaining: 19, resetMs: 1000, ageMs: 1300 },
      60_500,
      WINDOW,
      ours([]),
    );
    expect(late.othersPrev).toBe(0);
    expect(late.othersNow).toBe(41 - IN_FLIGHT_TOLERANCE);
  });

  it('moves the count to the previous window when a new window starts', () => {
    const first = readWindow(
      EMPTY_QUOTA_STATE,
      { limit: 60, remaining: 10, resetMs: 1000 },
      59_000,
      WINDOW,
      ours([]),
    );
    expect(first.othersNow).toBe(50 - IN_FLIGHT_TOLERANCE);
    const next = readWindow(
      first,
      { limit: 60, remaining: 58, resetMs: 59_000 },
      61_000,
      WINDOW,
      ours([]),
    );
    expect(next.othersPrev).toBe(first.othersNow);
    expect(next.othersNow).toBe(2 - IN_FLIGHT_TOLERANCE);
    expect(next.windowEnd).toBe(120_000);
  });
});

describe('othersPerWindow', () => {
  const state = (s: Partial<QuotaState>): QuotaState => ({ ...EMPTY_QUOTA_STATE, ...s });

  it('keeps the last window while this one has only begun', () => {
    expect(
      othersPerWindow(state({ windowEnd: 60_000, othersPrev: 30, othersNow: 3 }), 5000, WINDOW),
    ).toBe(30);
  });

  it('projects a newcomer past half the window', () => {
    // 20 calls by others in the first 40 s of a window where the last had none: 30 a window.
    expect(othersPerWindow(state({ windowEnd: 60_000, othersNow: 20 }), 40_000, WINDOW)).toBe(30);
  });

  it('does not project the noise of a steady neighbour', () => {
    expect(
      othersPerWindow(state({ windowEnd: 60_000, othersPrev: 30, othersNow: 17 }), 30_000, WINDOW),
    ).toBe(30);
  });
});

describe('budgetFor', () => {
  it('uses the whole cap when alone', () => {
    expect(budgetFor(60, 0, 60)).toBe(60);
    expect(budgetFor(60, 0, 30)).toBe(30);
  });

  it('leaves others what they use with a margin, and up to half the quota keeps 85% of the rest', () => {
    for (const others of [1, 15, 30, 45]) {
      const budget = budgetFor(60, others, 60);
      expect(others * 1.05 + budget).toBeLessThanOrEqual(59);
      if (others <= 30) expect(budget / (60 - others)).toBeGreaterThanOrEqual(0.85);
    }
    expect(budgetFor(60, 30, 60)).toBe(27);
  });

  it('never exceeds the quota share and never stops the pull', () => {
    expect(budgetFor(60, 10, 20)).toBe(20);
    expect(budgetFor(60, 60, 60)).toBe(1);
  });
});

describe('windowReading', () => {
  it('reads the three headers, with Reset as seconds or an epoch', () => {
    expect(
      windowReading({
        'ratelimit-limit': '60',
        'ratelimit-remaining': '12',
        'ratelimit-reset': '7',
      }),
    ).toEqual({ limit: 60, remaining: 12, resetMs: 7000 });
    const epoch = Math.floor(Date.now() / 1000) + 30;
    const reading = windowReading({
      'ratelimit-limit': '60',
      'ratelimit-remaining': '12',
      'ratelimit-reset': String(epoch),
    });
    expect(reading?.resetMs).toBeGreaterThan(28_000);
    expect(reading?.resetMs).toBeLessThanOrEqual(30_000);
  });

  it('is undefined when a header is missing or not a number', () => {
    expect(windowReading({ 'ratelimit-remaining': '12', 'ratelimit-reset': '7' })).toBeUndefined();
    expect(
      windowReading({
        'ratelimit-limit': 'x',
        'ratelimit-remaining': '12',
        'ratelimit-reset': '7',
      }),
    ).toBeUndefined();
  });
});
