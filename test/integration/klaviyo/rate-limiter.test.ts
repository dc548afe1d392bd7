import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  bucketKey,
  createKlaviyoClient,
  keyFingerprint,
  type KlaviyoCallEvent,
  type KlaviyoClient,
} from '../../../src/klaviyo/index.js';
import { fixtures, startFakeServer, type FakeHandler, type FakeServer } from './fake-server.js';

let redis: Redis;
const servers: FakeServer[] = [];
const usedKeys: string[] = [];

beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});
afterAll(async () => {
  await redis.quit();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  const keys = usedKeys.splice(0).flatMap((k) =>
    (['config', 'conversations'] as const).flatMap((group) => {
      const bucket = bucketKey(keyFingerprint(k), group);
      return [bucket, `${bucket}:log`];
    }),
  );
  if (keys.length) await redis.del(...keys);
});

function newApiKey(): string {
  const key = `pk_rl_${randomUUID().replace(/-/g, '')}`;
  usedKeys.push(key);
  return key;
}

async function serve(handler: FakeHandler = () => ({ body: { data: fixtures.skill('sk_1') } })) {
  const server = await startFakeServer(handler);
  servers.push(server);
  return server;
}

function client(apiKey: string, baseUrl: string, scale: number, events?: KlaviyoCallEvent[]) {
  return createKlaviyoClient({
    apiKey,
    baseUrl,
    redis,
    rateLimits: { scale },
    maxRetries: 2,
    ...(events ? { onCall: (e: KlaviyoCallEvent) => events.push(e) } : {}),
  });
}

/** The most arrivals inside any span of `windowMs` (every span starting at an arrival). */
function maxInAnyWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start += 1) {
    while (end < sorted.length && (sorted[end] ?? Infinity) < (sorted[start] ?? 0) + windowMs) {
      end += 1;
    }
    max = Math.max(max, end - start);
  }
  return max;
}

/** `workers` concurrent loops of sequential calls, `total` calls in all (like the pull stage). */
async function getMany(c: KlaviyoClient, total: number, workers = 6): Promise<void> {
  let left = total;
  const work = async () => {
    while (left > 0) {
      left -= 1;
      await c.skills.get('sk_1');
    }
  };
  await Promise.all(Array.from({ length: workers }, work));
}

describe('shared rate limiter (Redis)', () => {
  it('keeps two processes with one key under both scaled windows, near the steady ceiling', async () => {
    const server = await serve();
    const apiKey = newApiKey();
    // Config group scaled 10x: 150 per 6 s and 10 per 100 ms. (At higher scales the 2.5% margin
    // shrinks below the event-loop pauses of a busy test machine.)
    const scale = 10;
    const a = client(apiKey, server.url, scale);
    const b = client(apiKey, server.url, scale);
    await Promise.all([getMany(a, 85), getMany(b, 85)]);

    const arrivals = server.requests.map((r) => r.at);
    expect(arrivals).toHaveLength(170);
    expect(maxInAnyWindow(arrivals, 60_000 / scale)).toBeLessThanOrEqual(150);
    expect(maxInAnyWindow(arrivals, 1_000 / scale)).toBeLessThanOrEqual(10);
    // Pacing still uses at least 90% of the steady ceiling.
    expect(maxInAnyWindow(arrivals, 60_000 / scale)).toBeGreaterThanOrEqual(135);
  });

  it('does not share buckets between different keys', async () => {
    const server = await serve();
    const scale = 2; // config interval ≈ 205 ms
    const sameKey = newApiKey();
    const shared: KlaviyoCallEvent[] = [];
    await Promise.all([
      client(sameKey, server.url, scale, shared).skills.get('sk_1'),
      client(sameKey, server.url, scale, shared).skills.get('sk_1'),
    ]);
    const separate: KlaviyoCallEvent[] = [];
    await Promise.all([
      client(newApiKey(), server.url, scale, separate).skills.get('sk_1'),
      client(newApiKey(), server.url, scale, separate).skills.get('sk_1'),
    ]);
    const waits = (events: KlaviyoCallEvent[]) =>
      events.map((e) => e.rateLimitWaitMs).sort((x, y) => x - y);
    expect(waits(shared)[1]).toBeGreaterThanOrEqual(150);
    expect(waits(separate)[1]).toBeLessThan(150);
  });

  it('holds every process back until reset when RateLimit-Remaining reaches 0', async () => {
    const server = await serve((_req, hit) => ({
      headers:
        hit === 1
          ? { 'ratelimit-limit': '150', 'ratelimit-remaining': '0', 'ratelimit-reset': '1' }
          : { 'ratelimit-limit': '150', 'ratelimit-remaining': '100', 'ratelimit-reset': '30' },
      body: { data: fixtures.skill('sk_1') },
    }));
    const apiKey = newApiKey();
    await client(apiKey, server.url, 100).skills.get('sk_1');
    const events: KlaviyoCallEvent[] = [];
    await client(apiKey, server.url, 100, events).skills.get('sk_1');
    const gap = (server.requests[1]?.at ?? 0) - (server.requests[0]?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(950);
    expect(events[0]?.rateLimitWaitMs).toBeGreaterThanOrEqual(900);
  });

  it('pushes the shared slot back on a 429 so other processes wait too', async () => {
    const server = await serve((_req, hit) =>
      hit === 1
        ? { status: 429, headers: { 'retry-after': '1' }, body: { errors: [] } }
        : { body: { data: fixtures.skill('sk_1') } },
    );
    const apiKey = newApiKey();
    let rateLimited!: () => void;
    const saw429 = new Promise<void>((resolve) => (rateLimited = resolve));
    const firstEvents: KlaviyoCallEvent[] = [];
    const a = createKlaviyoClient({
      apiKey,
      baseUrl: server.url,
      redis,
      rateLimits: { scale: 100 },
      onCall: (e) => {
        firstEvents.push(e);
        if (e.status === 429) rateLimited();
      },
    });
    const retried = a.skills.get('sk_1');
    await saw429;
    // The deferral is written to Redis right after the 429 is reported.
    const bucket = bucketKey(keyFingerprint(apiKey), 'config');
    while ((await redis.hget(bucket, 'block')) === null) await new Promise((r) => setTimeout(r, 5));
    await client(apiKey, server.url, 100).skills.get('sk_1');
    await retried;

    const [t429, ...later] = server.requests.map((r) => r.at);
    expect(later).toHaveLength(2);
    for (const t of later) expect(t - (t429 ?? 0)).toBeGreaterThanOrEqual(950);
    expect(firstEvents.map((e) => e.status)).toEqual([429, 200]);
  });

  it('lets the read and write keys of one account share a budget via rateLimitKey', async () => {
    const server = await serve();
    const account = `acct-${randomUUID()}`;
    const events: KlaviyoCallEvent[] = [];
    const make = () =>
      createKlaviyoClient({
        apiKey: newApiKey(),
        baseUrl: server.url,
        redis,
        rateLimits: { scale: 2 },
        rateLimitKey: account,
        onCall: (e) => events.push(e),
      });
    await Promise.all([make().skills.get('sk_1'), make().skills.get('sk_1')]);
    const waits = events.map((e) => e.rateLimitWaitMs).sort((x, y) => x - y);
    expect(waits[1]).toBeGreaterThanOrEqual(150);
    const bucket = bucketKey(account, 'config');
    await redis.del(bucket, `${bucket}:log`);
  });

  it('names buckets by fingerprint and group, never by the key', async () => {
    const server = await serve();
    const apiKey = newApiKey();
    await client(apiKey, server.url, 10).skills.get('sk_1');
    const keys = await redis.keys(`agent-trainer:ratelimit:{${keyFingerprint(apiKey)}}:*`);
    const bucket = `agent-trainer:ratelimit:{${keyFingerprint(apiKey)}}:config`;
    expect(keys.sort()).toEqual([bucket, `${bucket}:log`]);
    expect(keys.join()).not.toContain(apiKey);
  });
});
