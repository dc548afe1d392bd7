import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GROUP_LIMITS, type KlaviyoEndpointGroup } from '../../../src/klaviyo/operations.js';
import {
  exhaustedWindowDelayMs,
  MemorySlotStore,
  pacingFor,
  PacingRateLimiter,
} from '../../../src/klaviyo/rate-limiter.js';

/** The most sends inside any span of `windowMs`. */
function maxInAnyWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  for (let i = 0; i < sorted.length; i += 1) {
    const start = sorted[i] ?? 0;
    max = Math.max(max, sorted.filter((t) => t >= start && t < start + windowMs).length);
  }
  return max;
}

describe('pacingFor', () => {
  it('paces at the tighter of the two windows, widened by the margin', () => {
    expect(pacingFor(GROUP_LIMITS.conversations).intervalMs).toBeCloseTo(1025);
    expect(pacingFor(GROUP_LIMITS.config).intervalMs).toBeCloseTo(410);
    expect(pacingFor(GROUP_LIMITS.config, 10).intervalMs).toBeCloseTo(41);
  });

  it('reaches at least 90% of the steady ceiling', () => {
    for (const group of ['conversations', 'config'] as const) {
      const { steady } = GROUP_LIMITS[group];
      const perWindow = steady.windowMs / pacingFor(GROUP_LIMITS[group]).intervalMs;
      expect(perWindow / steady.limit).toBeGreaterThanOrEqual(0.9);
    }
  });
});

describe('PacingRateLimiter in memory', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function sendTimes(
    limiter: PacingRateLimiter,
    group: KlaviyoEndpointGroup,
    count: number,
    durationMs: number,
  ): Promise<number[]> {
    const times: number[] = [];
    for (let i = 0; i < count; i += 1) {
      void limiter.acquire(group).then(() => times.push(performance.now()));
    }
    await vi.advanceTimersByTimeAsync(durationMs);
    return times;
  }

  it.each(['conversations', 'config'] as const)(
    'never puts more than the %s limits into any window',
    async (group) => {
      const limiter = new PacingRateLimiter(new MemorySlotStore(), 'pk_test', 1);
      const { burst, steady } = GROUP_LIMITS[group];
      const times = await sendTimes(limiter, group, steady.limit * 2 + 5, 3 * 60_000);
      expect(times).toHaveLength(steady.limit * 2 + 5);
      expect(maxInAnyWindow(times, steady.windowMs)).toBeLessThanOrEqual(steady.limit);
      expect(maxInAnyWindow(times, burst.windowMs)).toBeLessThanOrEqual(burst.limit);
      expect(maxInAnyWindow(times, steady.windowMs)).toBeGreaterThanOrEqual(steady.limit * 0.9);
    },
  );

  it('keeps the groups of one key apart', async () => {
    const limiter = new PacingRateLimiter(new MemorySlotStore(), 'pk_test', 1);
    await limiter.acquire('config');
    const waited = limiter.acquire('conversations');
    await vi.advanceTimersByTimeAsync(1);
    await expect(waited).resolves.toBeLessThan(1);
  });

  it('holds even callers that already have a slot back after a deferral', async () => {
    const limiter = new PacingRateLimiter(new MemorySlotStore(), 'pk_test', 1);
    const times: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      void limiter.acquire('config').then(() => times.push(performance.now()));
    }
    await vi.advanceTimersByTimeAsync(1); // first goes at once, two hold slots at 410 and 820
    await limiter.defer('config', 5_000);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(times[0]).toBeLessThan(1);
    expect(times.slice(1).every((t) => t >= 5_000)).toBe(true);
    // Still paced after the back-off.
    expect((times[2] ?? 0) - (times[1] ?? 0)).toBeGreaterThanOrEqual(409);
  });

  it('caps our sends in every steady window at the quota share', async () => {
    const limiter = new PacingRateLimiter(new MemorySlotStore(), 'pk_test', 1, 0.5);
    const { steady } = GROUP_LIMITS.conversations;
    const times = await sendTimes(limiter, 'conversations', 70, 3 * 60_000);
    expect(times).toHaveLength(70);
    expect(maxInAnyWindow(times, steady.windowMs)).toBeLessThanOrEqual(30);
    expect(maxInAnyWindow(times, steady.windowMs)).toBeGreaterThanOrEqual(27);
  });

  it('leaves another integration the share the headers show it uses', async () => {
    const limiter = new PacingRateLimiter(new MemorySlotStore(), 'pk_test', 1);
    const { steady } = GROUP_LIMITS.conversations;
    // Nothing of ours sent, 30 of the 60 used by a window's end: someone else uses half of it.
    await limiter.observe('conversations', { limit: 60, remaining: 30, resetMs: 1000 });
    await expect(limiter.quota('conversations')).resolves.toEqual({
      limit: 60,
      others: 30,
      budget: 27,
    });
    const times = await sendTimes(limiter, 'conversations', 60, 2 * 60_000);
    expect(maxInAnyWindow(times, steady.windowMs)).toBeLessThanOrEqual(27);
    expect(maxInAnyWindow(times, steady.windowMs)).toBeGreaterThanOrEqual(25);
  });

  it('does not mistake its own sends for another integration', async () => {
    const limiter = new PacingRateLimiter(new MemorySlotStore(), 'pk_test', 1);
    for (let i = 0; i < 20; i += 1) {
      const sent = limiter.acquire('conversations');
      await vi.advanceTimersByTimeAsync(1100);
      await sent;
      // The server's count is exactly ours, in a window that began with our first send.
      await limiter.observe('conversations', {
        limit: 60,
        remaining: 60 - (i + 1),
        resetMs: Math.ceil((60_000 - performance.now()) / 1000) * 1000,
      });
    }
    await expect(limiter.quota('conversations')).resolves.toMatchObject({ others: 0, budget: 60 });
  });

  it('does not let a late caller squeeze an extra send into a window', async () => {
    const store = new MemorySlotStore();
    const pacing = pacingFor(GROUP_LIMITS.conversations);
    // Sixty sends as fast as the burst window allows fill the steady window (60 per 61.5 s):
    // however late the next caller comes, it must wait until the oldest send leaves the window.
    for (let i = 0; i < 60; i += 1) {
      expect(await store.confirm('b', pacing)).toEqual({ waitMs: 0, blocked: false });
      vi.advanceTimersByTime(350);
    }
    const { waitMs } = await store.confirm('b', pacing);
    expect(waitMs).toBeCloseTo(61_500 - 60 * 350);
  });
});

describe('exhaustedWindowDelayMs', () => {
  it('asks to wait until reset when nothing remains', () => {
    expect(exhaustedWindowDelayMs({ 'ratelimit-remaining': '0', 'ratelimit-reset': '12' })).toBe(
      12_000,
    );
  });

  it('does nothing while requests remain or headers are missing', () => {
    expect(exhaustedWindowDelayMs({ 'ratelimit-remaining': '3', 'ratelimit-reset': '12' })).toBe(
      undefined,
    );
    expect(exhaustedWindowDelayMs({})).toBeUndefined();
    expect(exhaustedWindowDelayMs({ 'ratelimit-remaining': '', 'ratelimit-reset': '5' })).toBe(
      undefined,
    );
  });
});
