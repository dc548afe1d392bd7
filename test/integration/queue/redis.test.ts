import { afterAll, describe, expect, inject, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import {
  assertRedisReady,
  assessRedis,
  checkRedis,
  createRedis,
  redactRedisUrl,
} from '../../../src/redis.js';

const INFO = '# Server\r\nredis_version:7.2.4\r\n# Memory\r\nmaxmemory_policy:noeviction\r\n';

describe('assessRedis', () => {
  it('is ok with noeviction on a recent Redis', () => {
    const check = assessRedis({ info: INFO, config: { policy: 'noeviction' } }, 'redis://h:6379');
    expect(check).toEqual({
      version: '7.2.4',
      maxmemoryPolicy: 'noeviction',
      ok: true,
      problems: [],
      warnings: [],
    });
  });

  it('explains how to fix an evicting policy', () => {
    const check = assessRedis({ info: INFO, config: { policy: 'allkeys-lru' } }, 'redis://h:6379');
    expect(check.ok).toBe(false);
    expect(check.problems).toEqual([
      expect.stringContaining(
        'Redis at redis://h:6379 uses maxmemory-policy allkeys-lru; set it to noeviction (`CONFIG SET maxmemory-policy noeviction`',
      ),
    ]);
  });

  it('falls back to INFO when CONFIG is disabled (managed Redis)', () => {
    const info = INFO.replace('noeviction', 'volatile-lru');
    const check = assessRedis({ info, config: { error: "ERR unknown command 'CONFIG'" } }, 'x');
    expect(check.maxmemoryPolicy).toBe('volatile-lru');
    expect(check.ok).toBe(false);
  });

  it('warns, without failing, when the policy cannot be read at all', () => {
    const info = '# Server\r\nredis_version:7.2.4\r\n';
    const check = assessRedis({ info, config: { error: 'ERR unknown command' } }, 'x');
    expect(check.ok).toBe(true);
    expect(check.maxmemoryPolicy).toBeNull();
    expect(check.warnings).toEqual([
      expect.stringMatching(/CONFIG GET failed: ERR unknown command/),
    ]);
  });

  it('refuses Redis older than 6.2', () => {
    const info = INFO.replace('7.2.4', '6.0.16');
    const check = assessRedis({ info, config: { policy: 'noeviction' } }, 'x');
    expect(check.ok).toBe(false);
    expect(check.problems).toEqual([expect.stringContaining('version 6.0.16')]);
  });
});

describe('redactRedisUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactRedisUrl('redis://user:s3cret@cache:6380/2')).toBe(
      'redis://user:***@cache:6380/2',
    );
    expect(redactRedisUrl('not a url')).not.toContain('not a url');
  });
});

describe('checkRedis against the test server', () => {
  const redis = createRedis(inject('redisUrl'), { name: 'test' });
  afterAll(async () => {
    await redis.quit();
  });

  it('reads the version and the eviction policy', async () => {
    const check = await checkRedis(redis);
    expect(check.version).toMatch(/^\d+\.\d+/);
    expect(check.maxmemoryPolicy).toEqual(expect.any(String));
    expect(check.ok).toBe(check.maxmemoryPolicy === 'noeviction');
  });

  it('assertRedisReady says where Redis is, without a password, when it is unreachable', async () => {
    const down = createRedis('redis://user:s3cret@127.0.0.1:1/0', { name: 'down' });
    try {
      const error = await assertRedisReady(down, { timeoutMs: 500 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'redis_unavailable' });
      expect(String((error as Error).message)).toContain('redis://127.0.0.1:1');
      expect(String((error as Error).message)).not.toContain('s3cret');
    } finally {
      down.disconnect();
    }
  });
});
