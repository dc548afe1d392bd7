import { jobs } from '../../jobs/index.js';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { SANDBOX_KEYS, startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { buildServer } from '../../src/server/app.js';
import type { ServerAuth } from '../../src/server/settings.js';
import { deleteKeys, testRedis } from '../integration/queue/redis-helpers.js';

/**
 * A whole deployment for server tests: the sandbox as the store's Klaviyo, the app on the test
 * Redis under a fresh prefix, and the HTTP server (not listening unless asked). `close` stops
 * everything and deletes the prefix's keys.
 */

export interface Deployment {
  sandbox: RunningSandbox;
  app: App;
  server: FastifyInstance;
  /** The server's base URL when started with `listen`. */
  baseUrl: string | undefined;
  close(): Promise<void>;
}

export interface DeploymentOptions {
  auth: ServerAuth;
  /** Extra environment (APPROVERS, SLACK_*, …). */
  env?: Record<string, string>;
  /** Run the job workers in-process. @defaultValue false */
  workers?: boolean;
  /** Listen on a free local port (for a browser). @defaultValue false */
  listen?: boolean;
}

export async function startDeployment(options: DeploymentOptions): Promise<Deployment> {
  const prefix = `deploy-${randomUUID().slice(0, 8)}`;
  const sandbox = await startSandbox({ port: 0, rateLimits: 'off', indexingDelayMs: 0 });
  const config = loadConfig({
    REDIS_URL: inject('redisUrl'),
    QUEUE_PREFIX: prefix,
    KLAVIYO_BASE_URL: sandbox.url,
    KLAVIYO_API_KEY: SANDBOX_KEYS.read,
    KLAVIYO_WRITE_API_KEY: SANDBOX_KEYS.write,
    ...options.env,
  });
  const app = await startApp(config, {
    logger: silentLogger,
    ...(options.workers ? { jobs } : {}),
  });
  const server = buildServer({
    app,
    auth: options.auth,
    logger: silentLogger,
    metrics: createMetrics({ defaultMetrics: false }),
  });
  let baseUrl: string | undefined;
  if (options.listen) {
    baseUrl = await server.listen({ port: 0, host: '127.0.0.1' });
  } else {
    await server.ready();
  }
  return {
    sandbox,
    app,
    server,
    baseUrl,
    async close() {
      await server.close();
      await app.close();
      await sandbox.close();
      const redis = testRedis();
      try {
        await deleteKeys(redis, prefix);
      } finally {
        redis.disconnect();
      }
    },
  };
}
