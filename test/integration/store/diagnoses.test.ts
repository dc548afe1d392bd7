import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiagnosisStore } from '../../../src/store/diagnoses.js';
import { deleteKeys, testRedis, uniquePrefix } from '../queue/redis-helpers.js';
import { makeDiagnosis } from './fixtures.js';

const day = (d: number, h = 0) => new Date(Date.UTC(2026, 10, d, h)).toISOString();

describe('DiagnosisStore', () => {
  let redis: Redis;
  let prefix: string;
  let store: DiagnosisStore;

  beforeEach(() => {
    redis = testRedis();
    prefix = uniquePrefix('diag');
    store = new DiagnosisStore(redis, { prefix, retentionDays: 30, now: () => new Date(day(21)) });
  });

  afterEach(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  function input(conversationId: string, createdAt: string, updatedAt: string, summary = 'first') {
    return {
      conversationId,
      conversationCreatedAt: createdAt,
      conversationUpdatedAt: updatedAt,
      diagnosis: makeDiagnosis(conversationId, { summary }),
    };
  }

  it('writes one diagnosis per conversation version (SET NX)', async () => {
    expect(await store.put('a1', input('c1', day(20), day(20, 1)))).toBe('stored');
    expect(await store.put('a1', input('c1', day(20), day(20, 1), 'duplicate'))).toBe('exists');
    const stored = await store.get('a1', 'c1', day(20, 1));
    expect(stored?.diagnosis.summary).toBe('first');
    expect(stored).toMatchObject({ accountId: 'a1', diagnosedAt: day(21) });
    expect(await store.has('a1', 'c1', day(20, 1))).toBe(true);
    expect(await store.has('a1', 'c1', day(20, 2))).toBe(false);
  });

  it('diagnoses a changed conversation again and lists the latest version per conversation', async () => {
    await store.put('a1', input('c1', day(10), day(10, 1)));
    await store.put('a1', input('c1', day(10), day(12), 'after the shopper wrote again'));
    await store.put('a1', input('c2', day(11), day(11, 1)));
    await store.put('a1', input('c3', day(15), day(15, 1)));
    await store.put('a2', input('c9', day(11), day(11, 1)));
    const window = await store.listWindow('a1', { from: day(10), to: day(15) });
    expect(window.map((d) => [d.conversationId, d.diagnosis.summary])).toEqual([
      ['c1', 'after the shopper wrote again'],
      ['c2', 'first'],
    ]);
    expect((await store.get('a1', 'c1'))?.conversationUpdatedAt).toBe(day(12));
    expect(await store.listWindow('a1', { from: day(1), to: day(2) })).toEqual([]);
  });

  it('refuses a diagnosis filed under the wrong conversation', async () => {
    const wrong = { ...input('c1', day(20), day(20, 1)), diagnosis: makeDiagnosis('c2') };
    await expect(store.put('a1', wrong)).rejects.toThrow(/for conversation c2, not c1/);
  });
});
