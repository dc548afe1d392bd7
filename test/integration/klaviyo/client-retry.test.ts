import { inspect } from 'node:util';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import {
  createKlaviyoClient,
  KlaviyoApiError,
  KlaviyoNetworkError,
  type KlaviyoCallEvent,
  type KlaviyoClientOptions,
} from '../../../src/klaviyo/index.js';
import {
  fixtures,
  freePort,
  startFakeServer,
  type FakeHandler,
  type FakeServer,
} from './fake-server.js';

const API_KEY = 'pk_retry_test_fedcba9876543210';
const servers: FakeServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(handler: FakeHandler, options: Partial<KlaviyoClientOptions> = {}) {
  const server = await startFakeServer(handler);
  servers.push(server);
  const events: KlaviyoCallEvent[] = [];
  const client = createKlaviyoClient({
    apiKey: API_KEY,
    baseUrl: server.url,
    rateLimits: 'off',
    retryBackoff: { baseMs: 10, maxMs: 40 },
    timeoutMs: 2_000,
    onCall: (e) => events.push(e),
    ...options,
  });
  return { client, server, events };
}

const failTimes =
  (times: number, fail: FakeHandler, ok: FakeHandler): FakeHandler =>
  (req, hit) =>
    hit <= times ? fail(req, hit) : ok(req, hit);

const serverError: FakeHandler = () => ({ status: 503, body: { errors: [{ detail: 'busy' }] } });
const skillOk: FakeHandler = () => ({ body: { data: fixtures.skill('sk_1') } });
const skillCreated: FakeHandler = () => ({ status: 201, body: { data: fixtures.skill('sk_1') } });
const newSkill = {
  display_name: 'S',
  description: 'd',
  instructions: 'i',
  status: 'draft',
} as const;

describe('retry rules', () => {
  it('retries a GET on 5xx and on a dropped connection', async () => {
    const { client, server, events } = await setup(
      failTimes(2, (_r, hit) => (hit === 1 ? serverError(_r, hit) : 'drop'), skillOk),
    );
    await expect(client.skills.get('sk_1')).resolves.toMatchObject({ id: 'sk_1' });
    expect(server.requests).toHaveLength(3);
    expect(events.map((e) => [e.retry, e.status ?? e.error])).toEqual([
      [0, 503],
      [1, 'ECONNRESET'],
      [2, 200],
    ]);
  });

  it('retries a GET on a response timeout', async () => {
    const { client, server } = await setup(
      failTimes(1, () => ({ delayMs: 500, body: {} }), skillOk),
      { timeoutMs: 150 },
    );
    await expect(client.skills.get('sk_1')).resolves.toMatchObject({ id: 'sk_1' });
    expect(server.requests).toHaveLength(2);
  });

  it('gives up after maxRetries with a retryable error', async () => {
    const { client, server } = await setup(serverError, { maxRetries: 2 });
    const error = await client.skills.get('sk_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KlaviyoApiError);
    expect((error as KlaviyoApiError).status).toBe(503);
    expect((error as KlaviyoApiError).retryable).toBe(true);
    expect((error as KlaviyoApiError).message).toContain('after 3 attempts');
    expect(server.requests).toHaveLength(3);
  });

  it('retries PATCH, DELETE and report POSTs on 5xx', async () => {
    const report = {
      data: { type: 'customer-agent-values-report', id: 'r1', attributes: { results: [] } },
    };
    const { client, server } = await setup((req, hit) => {
      if (hit % 2 === 1) return serverError(req, hit);
      if (req.method === 'DELETE') return { status: 204 };
      if (req.path.endsWith('values-reports')) return { status: 201, body: report };
      return skillOk(req, hit);
    });
    await client.skills.update('sk_1', { status: 'live' });
    await client.skills.delete('sk_1');
    await client.reports.values({ statistics: ['volume'], timeframe: { key: 'last_7_days' } });
    expect(server.requests.map((r) => r.method)).toEqual([
      'PATCH',
      'PATCH',
      'DELETE',
      'DELETE',
      'POST',
      'POST',
    ]);
  });

  it('treats a 404 on a retried DELETE as done (the lost first attempt deleted it)', async () => {
    const { client, server } = await setup(
      failTimes(1, serverError, () => ({ status: 404, body: { errors: [{ detail: 'gone' }] } })),
    );
    await expect(client.knowledge.delete('k_1')).resolves.toBeUndefined();
    expect(server.requests).toHaveLength(2);
    // Without an earlier ambiguous failure, a 404 is an error.
    await expect(client.knowledge.delete('k_1')).rejects.toMatchObject({ status: 404 });
  });

  it('does not retry a create POST on 5xx', async () => {
    const { client, server } = await setup(failTimes(1, serverError, skillCreated));
    await expect(client.skills.create(newSkill)).rejects.toBeInstanceOf(KlaviyoApiError);
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry a create POST on a dropped connection or a response timeout', async () => {
    const dropped = await setup(failTimes(1, () => 'drop', skillCreated));
    const error = await dropped.client.skills.create(newSkill).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KlaviyoNetworkError);
    expect((error as KlaviyoNetworkError).neverSent).toBe(false);
    expect(dropped.server.requests).toHaveLength(1);

    const slow = await setup(
      failTimes(1, () => ({ delayMs: 500 }), skillCreated),
      {
        timeoutMs: 150,
      },
    );
    await expect(
      slow.client.responses.create({
        mode: 'live',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).rejects.toBeInstanceOf(KlaviyoNetworkError);
    expect(slow.server.requests).toHaveLength(1);
  });

  it('retries a create POST when the connection was refused (never sent)', async () => {
    const port = await freePort();
    const events: KlaviyoCallEvent[] = [];
    let started: Promise<FakeServer> | undefined;
    const client = createKlaviyoClient({
      apiKey: API_KEY,
      baseUrl: `http://127.0.0.1:${port}`,
      rateLimits: 'off',
      retryBackoff: { baseMs: 300, maxMs: 300 },
      onCall: (e) => {
        events.push(e);
        // Come up during the backoff after the first refused attempt.
        started ??= startFakeServer(skillCreated, port);
      },
    });
    const skill = await client.skills.create(newSkill);
    const server = await (started as Promise<FakeServer>);
    servers.push(server);
    expect(skill.id).toBe('sk_1');
    expect(events[0]?.error).toBe('ECONNREFUSED');
    expect(server.requests).toHaveLength(1);
  });

  it('retries a create POST on 429 after Retry-After', async () => {
    const { client, server, events } = await setup(
      failTimes(1, () => ({ status: 429, headers: { 'retry-after': '1' } }), skillCreated),
    );
    await client.skills.create(newSkill);
    expect(server.requests).toHaveLength(2);
    const gap = (server.requests[1]?.at ?? 0) - (server.requests[0]?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(950);
    expect(events[1]?.rateLimitWaitMs).toBeGreaterThanOrEqual(950);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    const { client, server } = await setup(
      failTimes(
        1,
        () => ({
          status: 429,
          headers: { 'retry-after': new Date(Date.now() + 2000).toUTCString() },
        }),
        skillOk,
      ),
    );
    await client.skills.get('sk_1');
    const gap = (server.requests[1]?.at ?? 0) - (server.requests[0]?.at ?? 0);
    // HTTP dates have whole seconds: at least 1 s remains of the 2 s.
    expect(gap).toBeGreaterThanOrEqual(950);
  });

  it('reports a 429 that outlasts the retries as klaviyo_rate_limited', async () => {
    const { client } = await setup(() => ({ status: 429, headers: { 'retry-after': '0' } }), {
      maxRetries: 1,
    });
    const error = (await client.skills.get('sk_1').catch((e: unknown) => e)) as KlaviyoApiError;
    expect(error.code).toBe('klaviyo_rate_limited');
    expect(error.retryAfterMs).toBe(0);
    expect(error.message).toMatch(/rate limited by Klaviyo \(429\) after 2 attempts/);
  });
});

describe('the API key never leaks', () => {
  it('is absent from thrown errors and log lines, which name its fingerprint', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ level: 'trace' }, sink);
    const echoing: FakeHandler = (req) => ({
      status: 401,
      // A server that echoes the header back must not make us repeat it.
      body: { errors: [{ detail: `bad key ${String(req.headers['authorization'])}` }] },
    });
    const { client } = await setup(echoing, { logger });
    const unauthorized = await client.skills.get('sk_1').catch((e: unknown) => e);
    const port = await freePort();
    const offline = createKlaviyoClient({
      apiKey: API_KEY,
      baseUrl: `http://127.0.0.1:${port}`,
      rateLimits: 'off',
      maxRetries: 1,
      retryBackoff: { baseMs: 5, maxMs: 5 },
      logger,
    });
    const network = await offline.skills.get('sk_1').catch((e: unknown) => e);

    expect((unauthorized as Error).message).toContain(client.keyFingerprint);
    expect((unauthorized as Error).message).toContain('wrong or revoked');
    expect(network).toBeInstanceOf(KlaviyoNetworkError);
    for (const error of [unauthorized, network]) {
      const dumped = `${JSON.stringify(error)}\n${inspect(error, { depth: 10, showHidden: true })}`;
      expect(dumped).not.toContain(API_KEY);
    }
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('')).not.toContain(API_KEY);
    expect(lines.join('')).toContain(client.keyFingerprint);
  });
});
