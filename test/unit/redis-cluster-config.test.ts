import { describe, expect, it } from 'vitest';
import { loadConfig, redisSeedUrls } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { combineChecks, redactRedisUrl, type RedisCheck } from '../../src/redis.js';

describe('REDIS_URL with REDIS_CLUSTER', () => {
  it('takes a comma-separated list of seed nodes in cluster mode', () => {
    const config = loadConfig({
      REDIS_CLUSTER: 'true',
      REDIS_URL: 'redis://10.0.0.1:7000, redis://10.0.0.2:7000',
    });
    expect(config.redis).toMatchObject({ cluster: true, prefix: '{agent-trainer}' });
    expect(redisSeedUrls(config.redis.url)).toEqual([
      'redis://10.0.0.1:7000',
      'redis://10.0.0.2:7000',
    ]);
  });

  it('refuses a list without cluster mode, in one line naming the fix', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis://a:7000,redis://b:7000' })).toThrow(
      new ConfigError(
        'Invalid environment:\n  REDIS_URL: a comma-separated list of seed nodes needs REDIS_CLUSTER=true',
      ),
    );
  });

  it('refuses seeds that are not redis:// or rediss:// URLs', () => {
    for (const url of ['redis://a:7000,http://b:7000', ' , ', 'a:7000']) {
      expect(() => loadConfig({ REDIS_CLUSTER: 'true', REDIS_URL: url })).toThrow(
        /REDIS_URL: must be redis:\/\/ or rediss:\/\/ URLs of cluster nodes/,
      );
    }
  });

  it('keeps one URL working as before when cluster mode is off', () => {
    expect(loadConfig({ REDIS_URL: 'redis://cache:6380/2' }).redis).toEqual({
      url: 'redis://cache:6380/2',
      prefix: 'agent-trainer',
      cluster: false,
    });
    expect(() => loadConfig({ REDIS_URL: 'not a url' })).toThrow(
      /REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/,
    );
  });

  it('redacts the password of every seed', () => {
    expect(redactRedisUrl('rediss://u:s3cret@a:7000,rediss://u:s3cret@b:7000')).toBe(
      'rediss://u:***@a:7000,rediss://u:***@b:7000',
    );
  });
});

describe('combineChecks (one verdict for a cluster)', () => {
  const check = (overrides: Partial<RedisCheck>): RedisCheck => ({
    version: '7.2.4',
    maxmemoryPolicy: 'noeviction',
    ok: true,
    problems: [],
    warnings: [],
    ...overrides,
  });

  it('fails when any master fails, shows the oldest version and the unsafe policy', () => {
    const combined = combineChecks(
      [
        check({}),
        check({ version: '7.0.15', maxmemoryPolicy: 'allkeys-lru', ok: false, problems: ['b'] }),
        check({ warnings: ['c'] }),
      ],
      'cluster a:1,b:2,c:3',
    );
    expect(combined).toEqual({
      version: '7.0.15',
      maxmemoryPolicy: 'allkeys-lru',
      ok: false,
      problems: ['b'],
      warnings: ['c'],
    });
  });

  it('is ok when every master is', () => {
    expect(combineChecks([check({}), check({})], 'x')).toEqual(check({}));
  });

  it('fails when no master answered', () => {
    expect(combineChecks([], 'cluster (no node reached)')).toMatchObject({
      ok: false,
      problems: ['Redis at cluster (no node reached) has no reachable master node.'],
    });
  });
});
