import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { unlinkMatching } from '../../../src/redis.js';

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

/** Deletes every key matching a SCAN pattern. */
export async function deleteMatching(redis: Redis, pattern: string): Promise<void> {
  await unlinkMatching(redis, pattern);
}

/** Polls until `check` returns true (tests wait for queue state, never for a fixed time). */
export async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
