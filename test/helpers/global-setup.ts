import type {} from 'vitest';
import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import type { TestProject } from 'vitest/node';

/**
 * Provides a real Redis to the integration tests: `REDIS_URL` when set (CI and .ci/run set it),
 * otherwise a testcontainers Redis where a Docker engine exists, otherwise the conventional local
 * server. Fails with a clear message when none answers.
 */
export default async function setup(project: TestProject) {
  let url = process.env['REDIS_URL'];
  let stop: (() => Promise<void>) | undefined;
  if (!url && hasDockerEngine()) {
    const { RedisContainer } = await import('@testcontainers/redis');
    const container = await new RedisContainer('redis:7-alpine').start();
    url = container.getConnectionUrl();
    stop = async () => {
      await container.stop();
    };
  }
  url ??= 'redis://127.0.0.1:6379';
  await assertReachable(url);
  project.provide('redisUrl', url);
  return stop;
}

function hasDockerEngine(): boolean {
  return Boolean(process.env['DOCKER_HOST']) || existsSync('/var/run/docker.sock');
}

async function assertReachable(url: string): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 3000,
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(
      `Integration tests need Redis and none answered at ${url} (${String(error)}). ` +
        'Set REDIS_URL, or run `bash .ci/run`, which starts one.',
      { cause: error },
    );
  } finally {
    redis.disconnect();
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
