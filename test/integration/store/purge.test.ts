import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createStores, purgeAccount } from '../../../src/store/index.js';
import { makeProposal } from './fixtures.js';

describe('purgeAccount', () => {
  const redis = new Redis(inject('redisUrl'));
  const prefix = `test-purge-${randomUUID()}`;
  const stores = createStores(redis, { prefix });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it("forgets one account's data and proposals and leaves the others", async () => {
    await stores.checkpoints.set('gone', { lastCreatedAt: '2026-11-01T00:00:00.000Z' });
    await stores.checkpoints.set('kept', { lastCreatedAt: '2026-11-01T00:00:00.000Z' });
    const gone = makeProposal({ id: 'p_gone', accountId: 'gone' });
    const kept = makeProposal({ id: 'p_kept', accountId: 'kept' });
    await stores.proposals.create(gone);
    await stores.proposals.create(kept);

    const result = await purgeAccount(redis, 'gone', { prefix });

    expect(result.proposals).toBe(1);
    expect(result.keys).toBeGreaterThan(0);
    expect(await stores.checkpoints.get('gone')).toBeNull();
    expect(await stores.checkpoints.get('kept')).not.toBeNull();
    expect(await stores.proposals.get('p_gone')).toBeNull();
    expect((await stores.proposals.list({})).map((p) => p.id)).toEqual(['p_kept']);
  });
});
