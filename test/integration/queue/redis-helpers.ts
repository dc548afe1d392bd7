import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';

/** A connection to the shared test Redis; BullMQ workers need `maxRetriesPerRequest: null`. */
export function testRedis(): Redis {
  return new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
}

/** A prefix no other test uses, so tests can share one Redis. */
export function uniquePrefix(kind: string): string {
  return `test-${kind}-${randomUUID().slice(0, 8)}`;
}

/** Deletes every key under the prefix (with or without a hash tag around it). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  for (const pattern of [`${prefix}:*`, `{${prefix}}:*`]) await deleteMatching(redis, pattern);
}

/** Deletes every key matching a SCAN pattern, a page at a time (never KEYS, which blocks Redis). */
export async function deleteMatching(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

/** Polls until `check` returns true (tests wait for queue state, never for a fixed time). */
export async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
