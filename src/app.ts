import type { Config } from './config.js';
import { createDeps, decideDeps, type Deps } from './deps.js';
import { createDecisions, type Decisions } from './loop/approve/decide.js';
import { createMetrics } from './metrics.js';
import type { RateLimitMode } from './klaviyo/index.js';
import type { Logger } from './logger.js';
import {
  createEnqueue,
  createQueues,
  logQueueErrors,
  startWorkers,
  syncSchedules,
  type AnyJobDefinition,
  type Enqueue,
  type Queues,
  type RunningWorkers,
} from './queue/index.js';
import { assertRedisReady, createRedisConnection, type RedisConnection } from './redis.js';

/** A running process: Redis, deps, queues, and (optionally) workers, with ordered shutdown. */
export interface App {
  config: Config;
  deps: Deps;
  queues: Queues;
  /** Validates and adds jobs to `queues` (by contract, see src/queue/contracts). */
  enqueue: Enqueue;
  /** The decide service every door (CLI, web, Slack, demo) decides through. */
  decisions: Decisions;
  redis: RedisConnection;
  workers: RunningWorkers | undefined;
  /** Workers first (they finish their jobs), then queues, then Redis; safe to call twice. */
  close(): Promise<void>;
}

export interface StartAppOptions {
  logger: Logger;
  /**
   * Run workers for these jobs in this process (the worker command passes every job in `jobs/`);
   * without them the process only enqueues.
   */
  jobs?: readonly AnyJobDefinition[];
  /** Upsert each account's schedulers for `jobs` (the worker does; one-off commands do not). */
  schedules?: boolean;
  rateLimits?: RateLimitMode;
  now?: () => Date;
}

export async function startApp(config: Config, options: StartAppOptions): Promise<App> {
  const { logger, jobs } = options;
  const redis = await connectRedis(config, logger);
  const metrics = createMetrics();
  const deps = createDeps(config, {
    redis,
    logger,
    metrics,
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  // Proposals stored by an earlier version are indexed once, before anything lists them.
  const { rebuilt } = await deps.stores.proposals.ensureIndexes();
  if (rebuilt > 0) logger.info({ proposals: rebuilt }, 'proposal indexes built');
  const queues = createQueues(redis, config.redis.prefix);
  logQueueErrors(queues, logger);
  if (options.schedules && jobs) await syncAccountSchedules(config, queues, jobs, logger);
  const workers = jobs
    ? startWorkers({
        jobs,
        connection: redis,
        prefix: config.redis.prefix,
        deps,
        logger,
        queues,
        onJobFinished: (e) => metrics.observeJob(e.queue, e.name, e.seconds, e.status),
        lockMs: config.jobs.lockSeconds * 1000,
      })
    : undefined;
  const enqueue = createEnqueue(queues);
  let closing: Promise<void> | undefined;
  return {
    config,
    deps,
    queues,
    enqueue,
    decisions: createDecisions(decideDeps(deps, enqueue)),
    redis,
    workers,
    close: () =>
      (closing ??= (async () => {
        await workers?.close();
        await queues.closeAll();
        await redis.quit().catch(() => redis.disconnect());
      })()),
  };
}

/** The shared BullMQ-ready connection, checked (its warnings logged) before anything uses it. */
async function connectRedis(config: Config, logger: Logger): Promise<RedisConnection> {
  const redis = createRedisConnection(config.redis, {
    name: 'agent-trainer',
    logger,
    forBullmq: true,
  });
  try {
    const check = await assertRedisReady(redis);
    for (const warning of check.warnings) logger.warn(warning);
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  return redis;
}

async function syncAccountSchedules(
  config: Config,
  queues: Queues,
  jobs: readonly AnyJobDefinition[],
  logger: Logger,
): Promise<void> {
  const synced = await syncSchedules(queues, jobs, config.accounts, { logger });
  logger.info(
    { upserted: synced.upserted.length, removed: synced.removed.length },
    'schedules synced',
  );
}
