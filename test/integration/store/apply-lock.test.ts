import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WriteIntentStore } from '../../../src/store/apply-lock.js';
import { deleteKeys, testRedis, uniquePrefix } from '../queue/redis-helpers.js';

describe('WriteIntentStore', () => {
  let redis: Redis;
  let prefix: string;
  let clock: number;
  let intents: WriteIntentStore;

  beforeEach(() => {
    redis = testRedis();
    prefix = uniquePrefix('intent');
    clock = Date.parse('2026-11-21T09:00:00.000Z');
    intents = new WriteIntentStore(redis, { prefix, now: () => new Date(clock) });
  });

  afterEach(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it('lets one of several racing apply jobs claim the write', async () => {
    const results = await Promise.all(
      ['job-a', 'job-b', 'job-c'].map((owner) => intents.claim('p_1', { owner, leaseMs: 60_000 })),
    );
    expect(results.filter((r) => r.outcome === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'in-flight')).toHaveLength(2);
  });

  it('tells a retry of the same job that the outcome is unknown (it must verify the target)', async () => {
    await intents.claim('p_1', { owner: 'job-a', leaseMs: 60_000 });
    const retry = await intents.claim('p_1', { owner: 'job-a', leaseMs: 60_000 });
    expect(retry.outcome).toBe('unknown');
  });

  it('treats an expired lease as unknown and allows exactly one take-over', async () => {
    const first = await intents.claim('p_1', { owner: 'job-a', leaseMs: 60_000 });
    clock += 61_000;
    const seen = await intents.claim('p_1', { owner: 'job-b', leaseMs: 60_000 });
    expect(seen.outcome).toBe('unknown');
    const taken = await intents.takeOver(seen.intent, { owner: 'job-b' });
    expect(taken?.owner).toBe('job-b');
    expect(await intents.takeOver(seen.intent, { owner: 'job-c' })).toBeNull();
    // The crashed first attempt can no longer record a result over the new claim.
    expect(await intents.markLanded(first.intent)).toBe(false);
  });

  it('records a landed write so later attempts do not write again', async () => {
    const { intent } = await intents.claim('p_1', { owner: 'job-a' });
    expect(await intents.markLanded(intent, { resourceId: 'k_1' })).toBe(true);
    const later = await intents.claim('p_1', { owner: 'job-b' });
    expect(later.outcome).toBe('landed');
    expect(later.intent).toMatchObject({ state: 'landed', resourceId: 'k_1' });
  });

  it('release lets the next attempt claim afresh', async () => {
    const { intent } = await intents.claim('p_1', { owner: 'job-a' });
    expect(await intents.release(intent)).toBe(true);
    expect(await intents.get('p_1')).toBeNull();
    expect((await intents.claim('p_1', { owner: 'job-b' })).outcome).toBe('claimed');
  });
});
