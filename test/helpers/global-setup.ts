import type {} from 'vitest';
import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import type { TestProject } from 'vitest/node';
import { ensureRedis } from '../../src/local-redis.js';

/** The image the compose file runs; a locally built stand-in serves where none can be pulled. */
const REDIS_IMAGE = 'redis:7-alpine';

interface ProvidedRedis {
  url: string;
  stop: () => Promise<void>;
}

/**
 * Provides a real Redis to the integration tests: `REDIS_URL` when set (CI and .ci/run set it),
 * otherwise a testcontainers Redis where a Docker engine runs and the image is there or can be
 * pulled, otherwise the conventional local server or a throwaway `redis-server`. Says why it fell
 * back; fails with a clear message only when no Redis can be had at all.
 */
export default async function setup(project: TestProject) {
  const redis = await provideRedis();
  await assertReachable(redis.url);
  project.provide('redisUrl', redis.url);
  return redis.stop;
}

async function provideRedis(): Promise<ProvidedRedis> {
  const url = process.env['REDIS_URL'];
  if (url) return { url, stop: async () => {} };
  const container = await containerRedis();
  if ('url' in container) return container;
  const local = await ensureRedis();
  console.warn(
    `integration tests: no Redis container (${container.reason}); using ` +
      (local.startedHere ? `a throwaway redis-server at ${local.url}` : local.url),
  );
  return local;
}

/** A testcontainers Redis, or why there is none. Never throws: a failure is a reason to fall back. */
async function containerRedis(): Promise<ProvidedRedis | { reason: string }> {
  if (!process.env['DOCKER_HOST'] && !existsSync('/var/run/docker.sock')) {
    return { reason: 'no Docker engine: DOCKER_HOST is unset and /var/run/docker.sock is missing' };
  }
  try {
    const { getContainerRuntimeClient, ImageName } = await import('testcontainers');
    const client = await getContainerRuntimeClient();
    if (process.env['TESTCONTAINERS_RYUK_DISABLED'] !== 'true') {
      // The reaper removes containers a killed run leaves behind, but it is an image of its own;
      // where it cannot be had, this setup's teardown stops the container instead.
      const { REAPER_IMAGE } = await import('testcontainers/build/reaper/reaper.js');
      if (!(await client.image.exists(ImageName.fromString(REAPER_IMAGE)))) {
        process.env['TESTCONTAINERS_RYUK_DISABLED'] = 'true';
      }
    }
    const { RedisContainer } = await import('@testcontainers/redis');
    // Pulls the image only when it is missing; a failed pull is caught below.
    const container = await new RedisContainer(REDIS_IMAGE).start();
    return {
      url: container.getConnectionUrl(),
      stop: async () => {
        await container.stop();
      },
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { reason: `${REDIS_IMAGE} did not start: ${message.split('\n')[0]}` };
  }
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
