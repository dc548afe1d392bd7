import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LuaScript } from '../../../src/store/keys.js';
import { deleteKeys, testRedis, uniquePrefix } from '../queue/redis-helpers.js';

describe('LuaScript', () => {
  let redis: Redis;
  let prefix: string;

  beforeEach(() => {
    redis = testRedis();
    prefix = uniquePrefix('lua');
  });

  afterEach(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it('runs a script the server has never seen (as after a Redis restart), then by sha', async () => {
    // A unique comment makes a script no server has cached, so the first run hits NOSCRIPT.
    const script = new LuaScript(`-- ${randomUUID()}\nreturn redis.call('INCR', KEYS[1])`);
    const key = `${prefix}:counter`;
    expect(await script.run(redis, [key], [])).toBe(1);
    expect(await script.run(redis, [key], [])).toBe(2);
  });

  it('passes script errors through', async () => {
    const script = new LuaScript(`-- ${randomUUID()}\nreturn redis.call('NOPE')`);
    await expect(script.run(redis, [], [])).rejects.toThrow(
      /Unknown Redis command|unknown command/i,
    );
  });
});
