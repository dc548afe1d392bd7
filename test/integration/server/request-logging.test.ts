import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApp, type App } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { createLogger, silentLogger } from '../../../src/logger.js';
import { createMetrics } from '../../../src/metrics.js';
import { buildServer } from '../../../src/server/app.js';
import { deleteKeys, testRedis } from '../queue/redis-helpers.js';

const TOKEN = 'test-token-logging-0123456789';
const auth = { headers: { authorization: `Bearer ${TOKEN}` } };

interface LogLine {
  level: number;
  msg: string;
  req?: { url: string };
  reqId?: string;
}

describe('request logging at info level', () => {
  const prefix = `test-request-log-${randomUUID()}`;
  const lines: LogLine[] = [];
  let app: App;
  let server: FastifyInstance;

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) {
          lines.push(JSON.parse(line) as LogLine);
        }
        done();
      },
    });
    const config = loadConfig({ REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: prefix });
    app = await startApp(config, { logger: silentLogger });
    const logger = createLogger({ level: 'info' }, sink);
    server = buildServer({
      app,
      auth: { tokens: [TOKEN], users: [] },
      logger,
      metrics: createMetrics(),
    });
    await server.ready();
  });

  afterAll(async () => {
    await server?.close();
    await app?.close();
    const redis = testRedis();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  /** The request ids of the requests logged as received for `url`. */
  const loggedRequests = (url: string) =>
    lines.filter((l) => l.msg === 'incoming request' && l.req?.url === url).map((l) => l.reqId);

  it('leaves out health probes, answered or refused, and keeps every other request', async () => {
    const probes = await Promise.all([
      server.inject({ url: '/healthz' }),
      server.inject({ url: '/readyz', ...auth }),
      server.inject({ url: '/readyz' }),
    ]);
    expect(probes.map((r) => r.statusCode)).toEqual([200, 200, 401]);
    const metrics = await server.inject({ url: '/metrics', ...auth });
    expect(metrics.statusCode).toBe(200);
    const refused = await server.inject({ url: '/metrics' });
    expect(refused.statusCode).toBe(401);

    expect(loggedRequests('/healthz')).toEqual([]);
    expect(loggedRequests('/readyz')).toEqual([]);
    expect(loggedRequests('/metrics')).toHaveLength(2);
    const completed = lines.filter((l) => l.msg === 'request completed');
    expect(completed).toHaveLength(2);
  });
});
