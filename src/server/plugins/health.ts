import type { FastifyPluginAsync } from 'fastify';
import type { App } from '../../app.js';

/** One readiness check: ok, or what is wrong. */
export interface CheckResult {
  ok: boolean;
  error?: string;
  /** Why a check passed without testing anything (e.g. no workers expected here). */
  note?: string;
}

/** Body of `/readyz`. */
export interface Readiness {
  status: 'ready' | 'unavailable';
  checks: { redis: CheckResult; workers: CheckResult };
}

const PING_TIMEOUT_MS = 2_000;

async function checkRedis(app: App): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no reply in ${PING_TIMEOUT_MS} ms`)),
      PING_TIMEOUT_MS,
    );
  });
  try {
    const reply = await Promise.race([app.redis.ping(), timeout]);
    return reply === 'PONG' ? { ok: true } : { ok: false, error: `unexpected reply ${reply}` };
  } catch (error) {
    return { ok: false, error: `redis ping failed: ${(error as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}

function checkWorkers(app: App): CheckResult {
  // `agent-trainer server` runs no workers by design: it is ready when Redis answers.
  if (!app.workers) return { ok: true, note: 'this process serves HTTP only; it runs no workers' };
  const stopped = app.workers.workers.filter((w) => !w.isRunning()).map((w) => w.name);
  if (app.workers.workers.length === 0) return { ok: false, error: 'no job workers started' };
  return stopped.length === 0
    ? { ok: true }
    : { ok: false, error: `workers not running: ${stopped.join(', ')}` };
}

/** Checks Redis and the job workers of `app`. */
export async function readiness(app: App): Promise<Readiness> {
  const [redis, workers] = [await checkRedis(app), checkWorkers(app)];
  return { status: redis.ok && workers.ok ? 'ready' : 'unavailable', checks: { redis, workers } };
}

/**
 * `/healthz`: the process answers (liveness, no auth, touches nothing). `/readyz`: Redis answers
 * and, in a worker process, its workers run; 503 with the failing checks otherwise.
 */
const healthPlugin: FastifyPluginAsync<{ app: App }> = async (server, options) => {
  // Probes come every few seconds from each container's healthcheck and the orchestrator; logging
  // them at info would bury every other request. Warnings and errors still show.
  const logLevel = 'warn';
  server.get('/healthz', { config: { public: true }, logLevel }, async () => ({ status: 'ok' }));
  server.get('/readyz', { logLevel }, async (_request, reply) => {
    const result = await readiness(options.app);
    return reply.code(result.status === 'ready' ? 200 : 503).send(result);
  });
};

export default healthPlugin;
