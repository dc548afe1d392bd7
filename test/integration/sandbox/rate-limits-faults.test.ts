import { createConnection } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_KEYS, startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { api, firstError } from './support.js';

describe('sandbox rate limits and faults', () => {
  let sandbox: RunningSandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it('answers 429 with Retry-After once the burst window is used up, and sends RateLimit-* headers', async () => {
    // The spec's windows: a 1 s burst window is wide enough for six concurrent requests to share.
    sandbox = await startSandbox({ port: 0, rateLimits: 'spec' });
    const read = api(sandbox, SANDBOX_KEYS.read);
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => read.get('/api/customer-agent-conversations?page[size]=1')),
    );
    const ok = responses.filter((r) => r.status === 200);
    const limited = responses.filter((r) => r.status === 429);
    expect(ok).toHaveLength(3);
    expect(limited).toHaveLength(3);
    for (const response of ok) {
      expect(response.headers.get('ratelimit-limit')).toBe('60');
      expect(Number(response.headers.get('ratelimit-remaining'))).toBeLessThan(60);
      expect(Number(response.headers.get('ratelimit-reset'))).toBeGreaterThanOrEqual(1);
    }
    const remaining = ok
      .map((r) => Number(r.headers.get('ratelimit-remaining')))
      .sort((a, b) => b - a);
    expect(remaining).toEqual([59, 58, 57]);
    for (const response of limited) {
      expect(response.headers.get('retry-after')).toBe('1');
      expect(response.headers.get('ratelimit-reset')).toBe('1');
      expect(firstError(response)).toMatchObject({ status: 429, code: 'throttled' });
    }
    // The other group (config endpoints) has its own bucket.
    expect((await read.get('/api/agent-skills')).status).toBe(200);
    expect(sandbox.stats().rateLimited).toBe(3);
  });

  it('divides the windows by the scale', async () => {
    // Scaled 10x: a 100 ms burst window and a 6 s steady window of 60 requests.
    sandbox = await startSandbox({ port: 0, rateLimits: { scale: 10 } });
    const read = api(sandbox, SANDBOX_KEYS.read);
    const burst = await Promise.all(
      Array.from({ length: 10 }, () => read.get('/api/customer-agent-conversations?page[size]=1')),
    );
    expect(burst.some((r) => r.status === 429)).toBe(true);
    const reset = burst.find((r) => r.status === 200)?.headers.get('ratelimit-reset');
    expect(Number(reset)).toBeLessThanOrEqual(6);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await read.get('/api/customer-agent-conversations?page[size]=1')).status).toBe(200);
  });

  it('answers every request with 503 when errorRate is 1', async () => {
    sandbox = await startSandbox({ port: 0, rateLimits: 'off', faults: { errorRate: 1 } });
    const read = api(sandbox, SANDBOX_KEYS.read);
    for (const path of ['/api/agent-skills', '/api/customer-agent-conversations']) {
      const response = await read.get(path);
      expect(response.status).toBe(503);
      expect(firstError(response)).toMatchObject({ status: 503, code: 'service_unavailable' });
    }
    expect(sandbox.stats().faults.errors).toBe(2);
  });

  it('closes the connection without a response when dropRate is 1', async () => {
    sandbox = await startSandbox({ port: 0, rateLimits: 'off', faults: { dropRate: 1 } });
    await expect(api(sandbox).get('/api/agent-skills')).rejects.toThrow();
    const received = await new Promise<string>((resolve) => {
      let data = '';
      const socket = createConnection({ port: sandbox?.port ?? 0, host: '127.0.0.1' }, () => {
        socket.write(
          'GET /api/agent-skills HTTP/1.1\r\nHost: x\r\nrevision: 2026-07-15.pre\r\n\r\n',
        );
      });
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('close', () => resolve(data));
    });
    expect(received).toBe('');
    expect(sandbox.stats().faults.drops).toBe(2);
  });

  it('adds latency, and makes the same fault decisions for the same seed', async () => {
    sandbox = await startSandbox({
      port: 0,
      rateLimits: 'off',
      faults: { latencyMs: [1, 3], errorRate: 0.5 },
    });
    const statuses = async (running: RunningSandbox) => {
      const read = api(running, SANDBOX_KEYS.read);
      const out: number[] = [];
      for (let i = 0; i < 12; i += 1) out.push((await read.get('/api/agent-skills')).status);
      return out;
    };
    const first = await statuses(sandbox);
    await sandbox.close();
    sandbox = await startSandbox({
      port: 0,
      rateLimits: 'off',
      faults: { latencyMs: [1, 3], errorRate: 0.5 },
    });
    expect(await statuses(sandbox)).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 503]));
    expect(sandbox.stats().faults.delayed).toBe(12);
  });

  it('counts requests by operation and status', async () => {
    sandbox = await startSandbox({ port: 0, rateLimits: 'off' });
    const read = api(sandbox, SANDBOX_KEYS.read);
    await read.get('/api/agent-skills');
    await read.get('/api/agent-skills', { key: null });
    const stats = sandbox.stats();
    expect(stats.byOperation['get_agent_skills_beta']).toEqual({ 200: 1, 401: 1 });
    expect(stats.requests).toBe(2);
  });
});
