import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  bucketKey,
  createKlaviyoClient,
  filter,
  GROUP_LIMITS,
  type KlaviyoClient,
} from '../../../src/klaviyo/index.js';
import { MemorySlotStore, pacingFor, type SlotStore } from '../../../src/klaviyo/rate-limiter.js';
import { RedisSlotStore } from '../../../src/klaviyo/redis-slot-store.js';
import { forEachConcurrently } from '../../../src/loop/pull/pull-conversations.js';
import { SANDBOX_KEYS, startNeighbour, startSandbox } from '../../../src/sandbox/index.js';

const SCALE = 10;
let redis: Redis;
const buckets: string[] = [];

beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});
afterAll(async () => {
  if (buckets.length) await redis.del(...buckets.flatMap((b) => [b, `${b}:log`]));
  await redis.quit();
});

function identity(): string {
  const id = `quota-${randomUUID()}`;
  buckets.push(bucketKey(id, 'conversations'));
  return id;
}

function ourClient(baseUrl: string, rateLimitKey: string, connection = redis): KlaviyoClient {
  return createKlaviyoClient({
    apiKey: SANDBOX_KEYS.read,
    baseUrl,
    redis: connection,
    rateLimits: { scale: SCALE },
    rateLimitKey,
  });
}

/** Fetches the messages of the first `count` conversations, three at a time. */
async function pullSome(client: KlaviyoClient, count: number): Promise<void> {
  const ids: string[] = [];
  for await (const c of client.conversations.list({
    filter: filter().greaterOrEqual('created_at', new Date(0)),
    pageSize: 100,
  })) {
    ids.push(c.id);
    if (ids.length >= count) break;
  }
  await forEachConcurrently(ids, 3, async (id) => {
    await client.conversations.messages(id).toArray();
  });
}

describe('the Lua scripts follow quota.ts', () => {
  it.each([
    ['memory', () => new MemorySlotStore()],
    ['Redis', () => new RedisSlotStore(redis)],
  ] as [string, () => SlotStore][])(
    '%s: three sends of ours in a window the server counts 33 in leaves others 30',
    async (_name, make) => {
      const store = make();
      const bucket = bucketKey(identity(), 'conversations');
      const pacing = pacingFor(GROUP_LIMITS.conversations);
      for (let i = 0; i < 3; i += 1) {
        await expect(store.confirm(bucket, pacing)).resolves.toEqual({ waitMs: 0, blocked: false });
      }
      const view = await store.observe(bucket, pacing, { limit: 60, remaining: 27, resetMs: 1000 });
      // 29 others (one call of slack for ours in flight) in 59 s of the window: 30 a window.
      expect(view).toEqual({ limit: 60, others: 30, budget: 27 });
      await expect(store.quota(bucket)).resolves.toEqual(view);
      // Slots are now a 27th of the (widened) minute apart, not a 60th.
      await store.reserve(bucket, pacing);
      const wait = await store.reserve(bucket, pacing);
      expect(wait).toBeGreaterThan(61_500 / 27 - 50);
      expect(wait).toBeLessThanOrEqual(61_500 / 27);
    },
  );

  it('caps the budget at the quota share', async () => {
    const store = new RedisSlotStore(redis);
    const bucket = bucketKey(identity(), 'conversations');
    const pacing = pacingFor(GROUP_LIMITS.conversations, 1, 0.025, 0.25);
    await store.confirm(bucket, pacing);
    await expect(
      store.observe(bucket, pacing, { limit: 60, remaining: 59, resetMs: 59_000 }),
    ).resolves.toEqual({ limit: 60, others: 0, budget: 15 });
  });
});

describe('sharing an account on the sandbox (real Redis)', () => {
  it('two processes of ours do not take each other for another integration', async () => {
    const sandbox = await startSandbox({ port: 0, rateLimits: { scale: SCALE } });
    const id = identity();
    const second = new Redis(inject('redisUrl'));
    try {
      const a = ourClient(sandbox.url, id);
      const b = ourClient(sandbox.url, id, second);
      await Promise.all([pullSome(a, 60), pullSome(b, 60)]);
      const view = await a.quota('conversations');
      expect(view?.others).toBeLessThanOrEqual(2);
      expect(view?.budget).toBeGreaterThanOrEqual(57);
      // Together they held the limits (one 429 is tolerated: a machine busy enough to delay a
      // send past the 2.5% margin, which the client then waits out).
      expect(sandbox.stats().rateLimited).toBeLessThanOrEqual(1);
    } finally {
      second.disconnect();
      await sandbox.close();
    }
  });

  it('leaves another integration of the account the share it uses', async () => {
    const sandbox = await startSandbox({ port: 0, rateLimits: { scale: SCALE } });
    // Half the steady ceiling: 60 per 6 s at scale 10 is 10/s.
    const other = startNeighbour({ baseUrl: sandbox.url, ratePerSecond: 5 });
    try {
      const client = ourClient(sandbox.url, identity());
      const started = performance.now();
      const before = other.counts().answered;
      await pullSome(client, 100);
      // What the other integration got per window while we pulled (a busy machine slows it).
      const windowMs = 60_000 / SCALE;
      const got = ((other.counts().answered - before) * windowMs) / (performance.now() - started);
      const view = await client.quota('conversations');
      expect(got).toBeGreaterThan(5);
      expect(view?.others).toBeGreaterThanOrEqual(Math.floor(got * 0.5));
      expect(view?.others).toBeLessThanOrEqual(Math.ceil(got * 1.5) + 2);
      expect(view?.budget).toBeLessThanOrEqual(60 - (view?.others ?? 0));
    } finally {
      await other.stop();
      await sandbox.close();
    }
  });

  it('uses the quota share even when nobody else is there', async () => {
    const sandbox = await startSandbox({ port: 0, rateLimits: { scale: SCALE } });
    try {
      const client = createKlaviyoClient({
        apiKey: SANDBOX_KEYS.read,
        baseUrl: sandbox.url,
        redis,
        rateLimits: { scale: SCALE },
        rateLimitKey: identity(),
        quotaShare: 0.5,
      });
      await pullSome(client, 20);
      await expect(client.quota('conversations')).resolves.toMatchObject({ budget: 30 });
    } finally {
      await sandbox.close();
    }
  });
});
