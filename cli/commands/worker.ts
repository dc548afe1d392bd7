import { jobs } from '../../jobs/index.js';
import type { Command } from 'commander';
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { buildServer } from '../../src/server/app.js';
import { parseServerAuth } from '../../src/server/settings.js';
import { untilStopSignal } from '../stop-signal.js';

interface WorkerOptions {
  server: boolean;
  port: string;
  host: string;
}

/**
 * `agent-trainer worker`: upserts every account's job schedulers and runs the job workers until
 * SIGTERM or SIGINT, then stops taking jobs, lets running ones finish, and closes in order. Any
 * number of workers may run against one Redis: schedules are upserted, not duplicated. It also
 * serves /healthz, /readyz, /metrics and /admin/queues (as `agent-trainer server` does) when
 * SERVER_TOKENS or SERVER_USERS is set, unless --no-server.
 */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('Run the scheduled training loop (job workers and schedules) until stopped')
    .option('--no-server', 'do not serve health, metrics and the queue dashboard')
    .option('--port <port>', 'port of the HTTP server', '8080')
    .option('--host <host>', 'address of the HTTP server', '0.0.0.0')
    .action(runWorker);
}

/** Starts the workers (and the server), runs until a stop signal, then closes in order. */
async function runWorker(options: WorkerOptions): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({
    level: config.logLevel,
    pretty: Boolean(process.stdout.isTTY),
  });
  const auth = options.server ? serverAuth(logger) : undefined;
  const app = await startApp(config, { logger, jobs, schedules: true });
  const server = auth ? buildServer({ app, auth, logger, metrics: app.deps.metrics }) : undefined;
  try {
    await server?.listen({ port: Number(options.port), host: options.host });
  } catch (error) {
    await app.close();
    throw error;
  }
  logger.info(
    {
      accounts: config.accounts.map((a) => a.id),
      llm: Boolean(config.llm.apiKey),
      http: server ? `${options.host}:${options.port}` : false,
    },
    'worker started',
  );
  await untilStopSignal(logger, 'stopping: finishing running jobs');
  await server?.close();
  await app.close();
  logger.info('worker stopped');
}

/**
 * The server's credentials, or none (with a warning) when the deployment set none: the server
 * never runs without auth. Malformed credentials stop the worker with the parser's message.
 */
function serverAuth(logger: ReturnType<typeof createLogger>) {
  if (!process.env['SERVER_TOKENS'] && !process.env['SERVER_USERS']) {
    logger.warn('HTTP server not started: set SERVER_TOKENS or SERVER_USERS to serve /metrics');
    return undefined;
  }
  return parseServerAuth(process.env);
}
