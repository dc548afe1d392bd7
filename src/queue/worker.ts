import { isNotConnectionError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { ConfigError, describeError, isAppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { RedisConnection } from '../redis.js';
import { parsePayload } from './contract.js';
import {
  createEnqueue,
  type AnyJobDefinition,
  type Enqueue,
  type JobContext,
  type JobDeps,
} from './define-job.js';
import { DEFAULT_CONCURRENCY, KEEP_COMPLETED, KEEP_FAILED, workerTimings } from './defaults.js';
import { createQueues, QUEUE_NAMES, type QueueName, type Queues } from './queues.js';

/**
 * The one boundary between our jobs and BullMQ: payload re-validation, per-job child loggers,
 * start/done/failure logging (once each), and the mapping of non-retryable errors to BullMQ's
 * UnrecoverableError. Handlers never import `bullmq`.
 */

export interface StartWorkersOptions<TDeps = JobDeps> {
  jobs: readonly AnyJobDefinition<TDeps>[];
  /** Must be created with `forBullmq: true` (`maxRetriesPerRequest: null`); it is not closed here. */
  connection: RedisConnection;
  prefix: string;
  deps: TDeps;
  logger: Logger;
  /** Per-queue concurrency overrides. @defaultValue DEFAULT_CONCURRENCY */
  concurrency?: Partial<Record<QueueName, number>>;
  /** Queues for `ctx.enqueue`; created (and closed by `close()`) when omitted. */
  queues?: Queues;
  /** Called once per attempt when it ends, e.g. for the job-duration metric. */
  onJobFinished?: (event: JobFinishedEvent) => void;
  /** Lock duration and stalled-check interval (ms); see `workerTimings`. */
  lockMs?: number;
}

export interface JobFinishedEvent {
  queue: QueueName;
  name: string;
  seconds: number;
  status: 'completed' | 'failed';
}

export interface RunningWorkers {
  workers: Worker[];
  /** Stops taking jobs and waits for running ones; safe to call more than once. */
  close(): Promise<void>;
}

/** Starts one BullMQ Worker per queue that has jobs, dispatching by `job.name`. */
export function startWorkers<TDeps = JobDeps>(options: StartWorkersOptions<TDeps>): RunningWorkers {
  const byQueue = groupByQueue(options.jobs);
  const ownQueues = options.queues === undefined;
  const queues = options.queues ?? createQueues(options.connection, options.prefix);
  if (ownQueues) logQueueErrors(queues, options.logger);
  const enqueue = createEnqueue(queues);
  const workers = [...byQueue].map(([queue, jobs]) => {
    const worker = new Worker(
      queue,
      (job, _token, signal) =>
        runJob({
          queue,
          jobs,
          job,
          signal,
          enqueue,
          deps: options.deps,
          logger: options.logger,
          onJobFinished: options.onJobFinished,
        }),
      {
        connection: options.connection,
        prefix: options.prefix,
        concurrency: options.concurrency?.[queue] ?? DEFAULT_CONCURRENCY[queue],
        ...workerTimings(options.lockMs),
        // Fallbacks for jobs added without our defaults (e.g. by hand from redis-cli or a script).
        removeOnComplete: { ...KEEP_COMPLETED },
        removeOnFail: { ...KEEP_FAILED },
      },
    );
    worker.on('error', (error) => logQueueError(options.logger, queue, error, 'worker error'));
    // BullMQ redelivers a job whose lock could not be renewed; this attempt must stop, so its
    // signal is aborted (BullMQ itself only aborts it on `cancelJob`).
    worker.on('lockRenewalFailed', (jobIds) => {
      for (const id of jobIds) worker.cancelJob(id, 'the job lock was lost');
    });
    return worker;
  });
  let closing: Promise<void> | undefined;
  return {
    workers,
    close() {
      closing ??= (async () => {
        await Promise.all(workers.map((worker) => worker.close()));
        if (ownQueues) await queues.closeAll();
      })();
      return closing;
    },
  };
}

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/**
 * Logs a Worker's or Queue's `error` event. BullMQ emits one per failed reconnect attempt of each
 * connection while Redis is down; createRedis already logs the outage once (and its end), so
 * those go to debug, and only other errors are logged as errors.
 */
export function logQueueError(logger: Logger, queue: string, error: Error, msg: string): void {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (!isNotConnectionError(error) || CONNECTION_ERROR_CODES.has(code)) {
    logger.debug({ queue, err: describeError(error) }, msg);
  } else {
    logger.error({ queue, err: error }, msg);
  }
}

/** Routes each queue's `error` events to the log (without a listener BullMQ prints them raw). */
export function logQueueErrors(queues: Queues, logger: Logger): void {
  for (const name of QUEUE_NAMES) {
    queues[name].on('error', (error) => logQueueError(logger, name, error, 'queue error'));
  }
}

function groupByQueue<TDeps>(
  jobs: readonly AnyJobDefinition<TDeps>[],
): Map<QueueName, Map<string, AnyJobDefinition<TDeps>>> {
  const byQueue = new Map<QueueName, Map<string, AnyJobDefinition<TDeps>>>();
  const seen = new Set<string>();
  for (const job of jobs) {
    if (!QUEUE_NAMES.includes(job.queue)) {
      throw new ConfigError(`Job "${job.name}" uses unknown queue "${job.queue}"`);
    }
    if (seen.has(job.name)) throw new ConfigError(`Two jobs are named "${job.name}"`);
    seen.add(job.name);
    const group = byQueue.get(job.queue) ?? new Map<string, AnyJobDefinition<TDeps>>();
    group.set(job.name, job);
    byQueue.set(job.queue, group);
  }
  return byQueue;
}

interface RunJobInput<TDeps> {
  queue: QueueName;
  jobs: Map<string, AnyJobDefinition<TDeps>>;
  job: Job;
  signal: AbortSignal | undefined;
  enqueue: Enqueue;
  deps: TDeps;
  logger: Logger;
  onJobFinished: ((event: JobFinishedEvent) => void) | undefined;
}

async function runJob<TDeps>(input: RunJobInput<TDeps>): Promise<unknown> {
  const { job, queue } = input;
  // `attempt` is 1-based for people reading logs; `attemptsMade` counts earlier failures.
  const log = input.logger.child({
    queue,
    job: job.name,
    jobId: job.id,
    attempt: job.attemptsMade + 1,
  });
  const definition = input.jobs.get(job.name);
  if (!definition) {
    log.error('no handler for this job name on this queue');
    throw new UnrecoverableError(`No handler for job "${job.name}" on queue "${queue}"`);
  }
  const started = Date.now();
  try {
    const payload = parsePayload(definition, job.data);
    log.info('job started');
    const ctx: JobContext<TDeps> = {
      log,
      job: { id: job.id ?? '', name: job.name, queue, attemptsMade: job.attemptsMade },
      signal: input.signal ?? new AbortController().signal,
      deps: input.deps,
      enqueue: input.enqueue,
      progress: (progress) => job.updateProgress(progress),
    };
    const result = await definition.handle(payload, ctx);
    log.info({ durationMs: Date.now() - started }, 'job done');
    finished(input, job, started, 'completed');
    return result;
  } catch (error) {
    finished(input, job, started, 'failed');
    throw failure(error, job, log, Date.now() - started);
  }
}

function finished<TDeps>(
  input: RunJobInput<TDeps>,
  job: Job,
  started: number,
  status: JobFinishedEvent['status'],
): void {
  input.onJobFinished?.({
    queue: input.queue,
    name: job.name,
    seconds: (Date.now() - started) / 1000,
    status,
  });
}

/** Logs the failure once and returns what to throw to BullMQ. */
function failure(error: unknown, job: Job, log: Logger, durationMs: number): Error {
  const unrecoverable =
    error instanceof UnrecoverableError || (isAppError(error) && !error.retryable);
  const final = unrecoverable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  const fields = {
    durationMs,
    err: error,
    ...(isAppError(error) ? { code: error.code } : {}),
  };
  if (final) log.error({ ...fields, retrying: false }, 'job failed');
  else log.warn({ ...fields, retrying: true }, 'job failed, will retry');
  if (unrecoverable && !(error instanceof UnrecoverableError)) {
    const mapped = new UnrecoverableError(describeError(error));
    mapped.cause = error;
    return mapped;
  }
  return error instanceof Error ? error : new Error(describeError(error));
}
