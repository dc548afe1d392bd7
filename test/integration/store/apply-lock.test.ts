import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WriteIntentStore, type TargetLease } from '../../../src/store/apply-lock.js';
import { deleteKeys, testRedis, uniquePrefix } from '../queue/redis-helpers.js';

describe('WriteIntentStore', () => {
  let redis: Redis;
  let prefix: string;
  let intents: WriteIntentStore;

  beforeEach(() => {
    redis = testRedis();
    prefix = uniquePrefix('intent');
    intents = new WriteIntentStore(redis, { prefix });
  });

  afterEach(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  async function lease(owner: string, leaseMs = 60_000, target = 'acct:agent-skill:sk_1') {
    const acquired = await intents.acquire(target, { owner, leaseMs });
    if (!acquired.ok) throw new Error(`${owner} did not get the lease`);
    return acquired.lease;
  }

  /** Makes the lease run out now, as if its holder had stalled past it. */
  async function expire(held: TargetLease): Promise<void> {
    await redis.del(`${prefix}:{control}:target-lease:${held.target}`);
  }

  it('lets one of several racing attempts hold a target, whoever they are', async () => {
    // Two deliveries of the same job are two attempts: the same owner does not share the lease.
    const results = await Promise.all(
      ['job-a', 'job-a', 'job-b'].map((owner) =>
        intents.acquire('acct:agent-skill:sk_1', { owner, leaseMs: 60_000 }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const refused = results.find((r) => !r.ok);
    expect(refused?.ok === false && refused.holder.remainingMs).toBeGreaterThan(0);
    expect((await intents.acquire('acct:agent-skill:sk_2', { owner: 'job-c' })).ok).toBe(true);
  });

  it('gives every new holder of a target a higher fencing token', async () => {
    const first = await lease('job-a');
    await expire(first);
    const second = await lease('job-a');
    expect(second.fence).toBeGreaterThan(first.fence);
    await intents.releaseLease(second);
    expect((await lease('job-b')).fence).toBeGreaterThan(second.fence);
  });

  it('fences out an attempt whose lease ran out: no renew, no claim, no write check', async () => {
    const stale = await lease('job-a');
    const claimed = await intents.claim('p_1', stale);
    if (claimed.outcome !== 'claimed') throw new Error('not claimed');
    const { intent } = claimed;
    await expire(stale);
    const fresh = await lease('job-a');
    expect(await intents.renew(stale)).toBe(false);
    expect(await intents.holds(stale)).toBe(false);
    expect(await intents.checkBeforeWrite(intent, stale)).toBe(false);
    expect((await intents.claim('p_2', stale)).outcome).toBe('lease-lost');
    expect(await intents.release(intent, stale)).toBe(false);
    // The stale release of the lease does not free the newer holder's.
    expect(await intents.releaseLease(stale)).toBe(false);
    expect(await intents.holds(fresh)).toBe(true);
  });

  it('tells the next holder that an earlier claim has an unknown outcome, and allows one take-over', async () => {
    const first = await lease('job-a');
    const claimed = await intents.claim('p_1', first);
    expect(claimed.outcome).toBe('claimed');
    await expire(first);
    const second = await lease('job-a');
    const seen = await intents.claim('p_1', second);
    expect(seen.outcome).toBe('unknown');
    if (seen.outcome !== 'unknown' || claimed.outcome !== 'claimed') throw new Error('unreachable');
    const taken = await intents.takeOver(seen.intent, second);
    expect(taken?.fence).toBe(second.fence);
    expect(await intents.takeOver(seen.intent, second)).toBeNull();
    expect(await intents.checkBeforeWrite(taken!, second)).toBe(true);
    // The stalled first attempt can no longer write or record over the new claim.
    expect(await intents.checkBeforeWrite(claimed.intent, first)).toBe(false);
    expect(await intents.markLanded(claimed.intent)).toBe(false);
  });

  it('records a landed write so later attempts do not write again', async () => {
    const held = await lease('job-a');
    const claimed = await intents.claim('p_1', held);
    if (claimed.outcome !== 'claimed') throw new Error('not claimed');
    await intents.releaseLease(held);
    // A landed write is recorded even after the lease is gone: later attempts must learn it.
    expect(await intents.markLanded(claimed.intent, { resourceId: 'k_1' })).toBe(true);
    const later = await intents.claim('p_1', await lease('job-b'));
    expect(later).toMatchObject({
      outcome: 'landed',
      intent: { state: 'landed', resourceId: 'k_1' },
    });
  });

  it('release lets the next attempt claim afresh', async () => {
    const held = await lease('job-a');
    const claimed = await intents.claim('p_1', held);
    if (claimed.outcome !== 'claimed') throw new Error('not claimed');
    expect(await intents.release(claimed.intent, held)).toBe(true);
    expect(await intents.get('p_1')).toBeNull();
    expect((await intents.claim('p_1', held)).outcome).toBe('claimed');
  });
});
