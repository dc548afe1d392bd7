import { jobs } from '../../../jobs/index.js';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { startApp, type App } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { silentLogger } from '../../../src/logger.js';
import { createMetrics } from '../../../src/metrics.js';
import { buildServer } from '../../../src/server/app.js';
import type { ServerAuth } from '../../../src/server/settings.js';
import { deleteKeys, testRedis } from '../queue/redis-helpers.js';

const TOKEN = 'test-token-0123456789abcdef';
const AUTH: ServerAuth = { tokens: [TOKEN], users: [{ name: 'ops', password: 'pa:ss' }] };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const basic = (name: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`,
});

interface Running {
  app: App;
  server: FastifyInstance;
}

async function start(prefix: string, workers: boolean): Promise<Running> {
  const config = loadConfig({ REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: prefix });
  const app = await startApp(config, { logger: silentLogger, ...(workers ? { jobs } : {}) });
  const server = buildServer({ app, auth: AUTH, logger: silentLogger, metrics: createMetrics() });
  await server.ready();
  return { app, server };
}

describe('HTTP server', () => {
  const prefix = `test-server-${randomUUID()}`;
  const idlePrefix = `test-server-idle-${randomUUID()}`;
  let withWorkers: Running;
  let withoutWorkers: Running;

  beforeAll(async () => {
    withWorkers = await start(prefix, true);
    withoutWorkers = await start(idlePrefix, false);
  });

  afterAll(async () => {
    for (const running of [withWorkers, withoutWorkers]) {
      await running?.server.close();
      await running?.app.close();
    }
    const redis = testRedis();
    await deleteKeys(redis, prefix);
    await deleteKeys(redis, idlePrefix);
    redis.disconnect();
  });

  describe('auth', () => {
    const protectedRoutes = [
      '/readyz',
      '/metrics',
      '/admin/queues',
      '/admin/queues/api/queues',
      '/proposals',
      '/proposals?status=all',
    ];

    it.each(['/proposals/p-1/approve', '/proposals/p-1/reject', '/proposals/p-1/edit'])(
      'refuses a form post to %s without credentials',
      async (url) => {
        const res = await withWorkers.server.inject({ method: 'POST', url, payload: {} });
        expect(res.statusCode).toBe(401);
      },
    );

    it.each(protectedRoutes)('refuses %s without credentials, with a challenge', async (url) => {
      const res = await withWorkers.server.inject({ url });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/Basic realm=/);
      expect(res.headers['www-authenticate']).toMatch(/Bearer realm=/);
    });

    it.each([
      ['a wrong token', bearer('not-the-token')],
      ['a token prefix', bearer(TOKEN.slice(0, -1))],
      ['a wrong password', basic('ops', 'wrong')],
      ['an unknown user', basic('eve', 'pa:ss')],
      ['the token as a Basic password', basic('ops', TOKEN)],
      ['an unknown scheme', { authorization: `Token ${TOKEN}` }],
    ])('refuses %s', async (_label, headers) => {
      const res = await withWorkers.server.inject({ url: '/metrics', headers });
      expect(res.statusCode).toBe(401);
    });

    it('refuses unknown paths without credentials instead of revealing a 404', async () => {
      const res = await withWorkers.server.inject({ url: '/nope' });
      expect(res.statusCode).toBe(401);
      const authed = await withWorkers.server.inject({ url: '/nope', headers: bearer(TOKEN) });
      expect(authed.statusCode).toBe(404);
    });

    it.each(protectedRoutes)('serves %s with the right token', async (url) => {
      const res = await withWorkers.server.inject({ url, headers: bearer(TOKEN) });
      expect(res.statusCode).toBe(200);
    });

    it('serves a configured user over HTTP Basic (password with a colon)', async () => {
      const res = await withWorkers.server.inject({
        url: '/metrics',
        headers: basic('ops', 'pa:ss'),
      });
      expect(res.statusCode).toBe(200);
    });

    it('serves /healthz without credentials', async () => {
      const res = await withWorkers.server.inject({ url: '/healthz' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ok' });
    });
  });

  describe('/readyz', () => {
    it('is ready when Redis answers and the workers run', async () => {
      const res = await withWorkers.server.inject({ url: '/readyz', headers: bearer(TOKEN) });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        status: 'ready',
        checks: { redis: { ok: true }, workers: { ok: true } },
      });
    });

    it('is ready on Redis alone in a server-only process, saying it runs no workers', async () => {
      const res = await withoutWorkers.server.inject({ url: '/readyz', headers: bearer(TOKEN) });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        status: 'ready',
        checks: { redis: { ok: true }, workers: { ok: true, note: expect.any(String) } },
      });
    });

    it('is unavailable, naming the worker, when a worker has stopped', async () => {
      const stopPrefix = `test-server-stop-${randomUUID()}`;
      const stopping = await start(stopPrefix, true);
      try {
        const [first] = stopping.app.workers?.workers ?? [];
        await first?.close();
        const res = await stopping.server.inject({ url: '/readyz', headers: bearer(TOKEN) });
        expect(res.statusCode).toBe(503);
        expect(res.json()).toMatchObject({
          status: 'unavailable',
          checks: { redis: { ok: true }, workers: { ok: false } },
        });
        expect(res.json().checks.workers.error).toContain(first?.name);
      } finally {
        await stopping.server.close();
        await stopping.app.close();
        const redis = testRedis();
        await deleteKeys(redis, stopPrefix);
        redis.disconnect();
      }
    });
  });

  describe('/metrics', () => {
    it('exposes every instrument and a queue gauge line for an added job', async () => {
      // Delayed, so the running workers leave it alone while we scrape.
      await withWorkers.app.queues.pull.add('metrics-probe', {}, { delay: 600_000 });
      const res = await withWorkers.server.inject({ url: '/metrics', headers: bearer(TOKEN) });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      for (const name of [
        'agent_trainer_queue_jobs',
        'agent_trainer_job_duration_seconds',
        'agent_trainer_klaviyo_calls_total',
        'agent_trainer_klaviyo_rate_limited_total',
        'agent_trainer_klaviyo_rate_limit_wait_seconds_total',
        'agent_trainer_llm_tokens_total',
        'agent_trainer_llm_cost_usd_total',
        'agent_trainer_proposals',
        'agent_trainer_applies_total',
        'process_cpu_seconds_total',
      ]) {
        expect(res.body).toContain(`# TYPE ${name} `);
      }
      expect(res.body).toContain('agent_trainer_queue_jobs{queue="pull",state="delayed"} 1');
      expect(res.body).toContain('agent_trainer_proposals{status="pending"} 0');
    });
  });

  describe('/admin/queues', () => {
    it('serves the dashboard HTML', async () => {
      const res = await withWorkers.server.inject({ url: '/admin/queues', headers: bearer(TOKEN) });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.body).toContain('<base href="/admin/queues/"');
    });

    it('lists every queue in its API, with retries allowed', async () => {
      const res = await withWorkers.server.inject({
        url: '/admin/queues/api/queues',
        headers: basic('ops', 'pa:ss'),
      });
      expect(res.statusCode).toBe(200);
      const body = res.json<{
        queues: { name: string; readOnlyMode: boolean; allowRetries: boolean }[];
      }>();
      expect(body.queues.map((q) => q.name).sort()).toEqual([
        'apply',
        'diagnose',
        'notify',
        'pull',
        'synthesize',
        'verify',
      ]);
      for (const queue of body.queues) {
        expect(queue).toMatchObject({ readOnlyMode: false, allowRetries: true });
      }
    });
  });
});
