import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointStore } from '../../../src/store/checkpoints.js';
import { ReportStore } from '../../../src/store/reports.js';
import { deleteKeys, testRedis, uniquePrefix } from '../queue/redis-helpers.js';

const NOW = new Date('2026-11-21T00:00:00.000Z');

describe('CheckpointStore and ReportStore', () => {
  let redis: Redis;
  let prefix: string;

  beforeEach(() => {
    redis = testRedis();
    prefix = uniquePrefix('cp');
  });

  afterEach(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it('stores a checkpoint per account and stream, and advance never moves it back', async () => {
    const checkpoints = new CheckpointStore(redis, { prefix, now: () => NOW });
    expect(await checkpoints.get('a1')).toBeNull();
    expect(await checkpoints.advance('a1', { lastCreatedAt: '2026-11-20T10:00:00.000Z' })).toBe(
      true,
    );
    expect(await checkpoints.advance('a1', { lastCreatedAt: '2026-11-19T10:00:00.000Z' })).toBe(
      false,
    );
    expect(
      await checkpoints.advance('a1', {
        lastCreatedAt: '2026-11-20T11:00:00.000Z',
        cursorHint: 'abc',
      }),
    ).toBe(true);
    expect(await checkpoints.get('a1')).toEqual({
      lastCreatedAt: '2026-11-20T11:00:00.000Z',
      cursorHint: 'abc',
      updatedAt: NOW.toISOString(),
    });
    expect(await checkpoints.get('a1', 'reports')).toBeNull();
    expect(await checkpoints.get('a2')).toBeNull();
    await checkpoints.set('a1', { lastCreatedAt: '2026-11-01T00:00:00.000Z' });
    expect((await checkpoints.get('a1'))?.lastCreatedAt).toBe('2026-11-01T00:00:00.000Z');
  });

  it('keeps report points as a time series; re-pulling a window replaces it', async () => {
    const reports = new ReportStore(redis, { prefix, now: () => NOW });
    const point = (start: string, end: string, volume: number) => ({
      kind: 'values',
      windowStart: start,
      windowEnd: end,
      data: { volume },
    });
    await reports.put('a1', point('2026-11-18T00:00:00Z', '2026-11-19T00:00:00Z', 10));
    await reports.put('a1', point('2026-11-19T00:00:00Z', '2026-11-20T00:00:00Z', 12));
    await reports.put('a1', point('2026-11-19T00:00:00Z', '2026-11-20T00:00:00Z', 13));
    await reports.put('a1', {
      ...point('2026-11-19T00:00:00Z', '2026-11-20T00:00:00Z', 5),
      kind: 'skill-values',
    });
    const series = await reports.range('a1', 'values');
    expect(series.map((p) => p.data)).toEqual([{ volume: 10 }, { volume: 13 }]);
    expect(series[0]).toMatchObject({ accountId: 'a1', pulledAt: NOW.toISOString() });
    const recent = await reports.range('a1', 'values', { from: '2026-11-19T12:00:00Z' });
    expect(recent.map((p) => p.windowEnd)).toEqual(['2026-11-20T00:00:00Z']);
    expect((await reports.latest('a1', 'skill-values'))?.data).toEqual({ volume: 5 });
    expect(await reports.latest('a2', 'values')).toBeNull();
    await expect(
      reports.put('a1', point('2026-11-20T00:00:00Z', '2026-11-19T00:00:00Z', 1)),
    ).rejects.toThrow(/windowStart must be before windowEnd/);
  });

  it('drops report points older than the retention', async () => {
    const reports = new ReportStore(redis, { prefix, now: () => NOW, retentionDays: 7 });
    await reports.put('a1', {
      kind: 'values',
      windowStart: '2026-10-01T00:00:00Z',
      windowEnd: '2026-10-02T00:00:00Z',
      data: 1,
    });
    await reports.put('a1', {
      kind: 'values',
      windowStart: '2026-11-19T00:00:00Z',
      windowEnd: '2026-11-20T00:00:00Z',
      data: 2,
    });
    expect((await reports.range('a1', 'values')).map((p) => p.data)).toEqual([2]);
  });
});
