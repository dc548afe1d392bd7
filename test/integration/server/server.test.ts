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
const ADMIN_TOKEN = 'test-admin-token-fedcba9876543210';
const AUTH: ServerAuth = {
  tokens: [TOKEN, ADMIN_TOKEN],
  users: [
    { name: 'ops', password: 'pa:ss' },
    { name: 'root', password: 'root-pw' },
  ],
  admins: ['root', 'token:2'],
};
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

    it('lists every queue in its API: writable for an admin, read-only for everyone else', async () => {
      const list = async (headers: Record<string, string>) => {
        const res = await withWorkers.server.inject({ url: '/admin/queues/api/queues', headers });
        expect(res.statusCode).toBe(200);
        return res.json<{
          queues: { name: string; readOnlyMode: boolean; allowRetries: boolean }[];
        }>().queues;
      };
      const asAdmin = await list(basic('root', 'root-pw'));
      expect(asAdmin.map((q) => q.name).sort()).toEqual([
        'apply',
        'diagnose',
        'notify',
        'pull',
        'synthesize',
        'verify',
      ]);
      for (const queue of asAdmin) {
        expect(queue).toMatchObject({ readOnlyMode: false, allowRetries: true });
      }
      for (const queue of [
        ...(await list(basic('ops', 'pa:ss'))),
        ...(await list(bearer(TOKEN))),
      ]) {
        expect(queue).toMatchObject({ readOnlyMode: true, allowRetries: false });
      }
    });

    const mutations: [string, string][] = [
      ['PUT', '/admin/queues/api/queues/pull/pause'],
      ['PUT', '/admin/queues/api/queues/pause'],
      ['PUT', '/admin/queues/api/queues/pull/clean/failed'],
      ['PUT', '/admin/queues/api/queues/pull/empty'],
      ['PUT', '/admin/queues/api/queues/pull/obliterate'],
      ['POST', '/admin/queues/api/queues/apply/add'],
      ['PATCH', '/admin/queues/api/queues/apply/some-job/update-data'],
    ];

    it.each(mutations)(
      'refuses %s %s to a non-admin token and a non-admin user, changing nothing',
      async (method, url) => {
        for (const headers of [bearer(TOKEN), basic('ops', 'pa:ss')]) {
          const res = await withWorkers.server.inject({
            method: method as 'PUT' | 'POST' | 'PATCH',
            url,
            headers,
            payload: {},
          });
          expect(res.statusCode).toBe(403);
          expect(res.json()).toMatchObject({ error: 'Changing the queues is for admins' });
        }
        expect(await withWorkers.app.queues.pull.isPaused()).toBe(false);
      },
    );

    it('lets an admin user and an admin token pause and resume a queue', async () => {
      const pause = await withWorkers.server.inject({
        method: 'PUT',
        url: '/admin/queues/api/queues/pull/pause',
        headers: basic('root', 'root-pw'),
      });
      expect(pause.statusCode).toBeLessThan(300);
      expect(await withWorkers.app.queues.pull.isPaused()).toBe(true);
      const resume = await withWorkers.server.inject({
        method: 'PUT',
        url: '/admin/queues/api/queues/pull/resume',
        headers: bearer(ADMIN_TOKEN),
      });
      expect(resume.statusCode).toBeLessThan(300);
      expect(await withWorkers.app.queues.pull.isPaused()).toBe(false);
    });

    it('cannot be framed: anti-framing headers on the page, its API and its refusals', async () => {
      const responses = await Promise.all([
        withWorkers.server.inject({ url: '/admin/queues', headers: bearer(TOKEN) }),
        withWorkers.server.inject({ url: '/admin/queues/api/queues', headers: bearer(TOKEN) }),
        withWorkers.server.inject({ url: '/admin/queues' }),
        withWorkers.server.inject({
          method: 'PUT',
          url: '/admin/queues/api/queues/pull/pause',
          headers: bearer(TOKEN),
        }),
      ]);
      for (const res of responses) {
        expect(res.headers['x-frame-options']).toBe('DENY');
        expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
        expect(res.headers['x-content-type-options']).toBe('nosniff');
      }
      // The dashboard's own scripts may load; the pages' stricter policy is not applied to it.
      expect(responses[0]?.headers['content-security-policy']).toContain("script-src 'self'");
    });
  });

  describe('security headers', () => {
    it.each(['/healthz', '/metrics', '/readyz', '/proposals'])('are set on %s', async (url) => {
      const res = await withWorkers.server.inject({ url, headers: bearer(TOKEN) });
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      expect(res.headers['strict-transport-security']).toBeDefined();
    });
  });

  describe('limits', () => {
    it('applies the configured request, header and keep-alive timeouts', async () => {
      const prefix = `test-server-limits-${randomUUID()}`;
      const config = loadConfig({
        REDIS_URL: inject('redisUrl'),
        QUEUE_PREFIX: prefix,
        SERVER_REQUEST_TIMEOUT_SECONDS: '20',
        SERVER_HEADERS_TIMEOUT_SECONDS: '5',
        SERVER_KEEP_ALIVE_SECONDS: '65',
      });
      const app = await startApp(config, { logger: silentLogger });
      const server = buildServer({
        app,
        auth: AUTH,
        logger: silentLogger,
        metrics: createMetrics(),
      });
      try {
        await server.ready();
        expect(server.server.requestTimeout).toBe(20_000);
        expect(server.initialConfig.keepAliveTimeout).toBe(65_000);
        expect(server.server.headersTimeout).toBe(5_000);
      } finally {
        await server.close();
        await app.close();
      }
    });
  });
});

describe('failed sign-ins', () => {
  const prefix = `test-server-throttle-${randomUUID()}`;
  let app: App;
  let servers: FastifyInstance[];

  beforeAll(async () => {
    const config = loadConfig({
      REDIS_URL: inject('redisUrl'),
      QUEUE_PREFIX: prefix,
      SERVER_SIGNIN_ATTEMPTS: '3',
      SERVER_SIGNIN_WINDOW_MINUTES: '10',
    });
    app = await startApp(config, { logger: silentLogger });
    // Two servers on one Redis, as two processes of a deployment would be.
    servers = [0, 1].map(() =>
      buildServer({ app, auth: AUTH, logger: silentLogger, metrics: createMetrics() }),
    );
    await Promise.all(servers.map((s) => s.ready()));
  });

  afterAll(async () => {
    for (const server of servers ?? []) await server.close();
    await app?.close();
    const redis = testRedis();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  const from = (address: string, headers: Record<string, string>, server = 0) =>
    servers[server]!.inject({ url: '/metrics', headers, remoteAddress: address });

  it('are throttled per address across servers: 429 with Retry-After, right credentials too', async () => {
    // Wrong Basic passwords and wrong tokens count alike, on either server.
    expect((await from('10.0.0.1', basic('ops', 'guess-1'), 0)).statusCode).toBe(401);
    expect((await from('10.0.0.1', bearer('guess-2'), 1)).statusCode).toBe(401);
    expect((await from('10.0.0.1', basic('root', 'guess-3'), 0)).statusCode).toBe(401);
    for (const server of [0, 1]) {
      const blocked = await from('10.0.0.1', basic('ops', 'pa:ss'), server);
      expect(blocked.statusCode).toBe(429);
      const retryAfter = Number(blocked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(600);
      expect(blocked.json()).toMatchObject({ error: 'Too many failed sign-ins' });
    }
    // Another address is not affected; a request without credentials is not an attempt.
    expect((await from('10.0.0.2', basic('ops', 'pa:ss'))).statusCode).toBe(200);
    expect((await from('10.0.0.3', {})).statusCode).toBe(401);
    expect((await from('10.0.0.3', {})).statusCode).toBe(401);
    expect((await from('10.0.0.3', {})).statusCode).toBe(401);
    expect((await from('10.0.0.3', bearer(TOKEN))).statusCode).toBe(200);
  });

  it('behind a proxy (SERVER_TRUST_PROXY=1), counts the client address the proxy forwards', async () => {
    const config = loadConfig({
      REDIS_URL: inject('redisUrl'),
      QUEUE_PREFIX: prefix,
      SERVER_SIGNIN_ATTEMPTS: '3',
      SERVER_TRUST_PROXY: '1',
    });
    const proxied = await startApp(config, { logger: silentLogger });
    const server = buildServer({
      app: proxied,
      auth: AUTH,
      logger: silentLogger,
      metrics: createMetrics(),
    });
    const via = (client: string, headers: Record<string, string>) =>
      server.inject({
        url: '/metrics',
        remoteAddress: '10.9.9.9', // the proxy
        headers: { ...headers, 'x-forwarded-for': client },
      });
    try {
      for (const guess of ['a', 'b', 'c']) {
        expect((await via('203.0.113.7', basic('ops', guess))).statusCode).toBe(401);
      }
      expect((await via('203.0.113.7', basic('ops', 'pa:ss'))).statusCode).toBe(429);
      // Another client behind the same proxy still signs in.
      expect((await via('203.0.113.8', basic('ops', 'pa:ss'))).statusCode).toBe(200);
    } finally {
      await server.close();
      await proxied.close();
    }
  });

  it('answers a throttled browser with a page', async () => {
    for (const guess of ['a', 'b', 'c']) await from('10.0.0.9', basic('ops', guess));
    const res = await from('10.0.0.9', { ...basic('ops', 'pa:ss'), accept: 'text/html' });
    expect(res.statusCode).toBe(429);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('Too many failed sign-ins');
  });
});
