import type { JobsOptions } from 'bullmq';
import type { QueueName } from './queues.js';
import { DAY_SECONDS, SECOND_MS } from '../time.js';

/**
 * The retry and retention numbers, written down once. HTTP and LLM clients retry transient
 * failures a couple of times within one attempt; these attempts cover longer outages (a Klaviyo
 * incident, a Redis restart), so the two layers do not multiply on the same short failure.
 */

/** Attempts per job before it is failed for good (and kept for inspection). */
export const DEFAULT_ATTEMPTS = 5;

/** 10 s, 20 s, 40 s, 80 s (± half of it as jitter, so retries from many jobs spread out). */
export const DEFAULT_BACKOFF = { type: 'exponential', delay: 10 * SECOND_MS, jitter: 0.5 } as const;

/** Completed jobs: kept a week (up to 1000 per queue) for the dashboard, then removed. */
export const KEEP_COMPLETED = { age: 7 * DAY_SECONDS, count: 1000 } as const;

/** Failed jobs: kept 30 days for inspection and manual retry from the dashboard or CLI. */
export const KEEP_FAILED = { age: 30 * DAY_SECONDS } as const;

/** Default options of every job; a job definition's `options` override them field by field. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: DEFAULT_ATTEMPTS,
  backoff: { ...DEFAULT_BACKOFF },
  removeOnComplete: { ...KEEP_COMPLETED },
  removeOnFail: { ...KEEP_FAILED },
};

/**
 * Stalled-job settings, identical for every worker on purpose: BullMQ throttles the stalled check
 * with a Redis key whose TTL is the `stalledInterval` of whichever worker ran it last, so mixed
 * values delay recovery of a killed worker's jobs to the longest one.
 * The lock is renewed every `lockDuration / 2` while a job runs, so long LLM calls are fine.
 */
export const WORKER_TIMINGS = {
  stalledInterval: 30 * SECOND_MS,
  lockDuration: 30 * SECOND_MS,
  /** A job whose worker died twice is failed rather than retried forever. */
  maxStalledCount: 1,
} as const;

/**
 * WORKER_TIMINGS with another lock duration (`JOB_LOCK_SECONDS`), for deployments (and fault
 * tests) that want a killed worker's jobs taken over sooner: the stalled check runs as often as
 * the lock lasts, as with the defaults. Every worker must use the same value (see above).
 */
export function workerTimings(lockMs?: number) {
  if (lockMs === undefined) return WORKER_TIMINGS;
  return { ...WORKER_TIMINGS, stalledInterval: lockMs, lockDuration: lockMs };
}

/** Jobs run at once per queue per worker process; pulls are bound by Klaviyo's rate limit anyway. */
export const DEFAULT_CONCURRENCY = {
  pull: 2,
  diagnose: 4,
  synthesize: 1,
  apply: 1,
  verify: 2,
  notify: 4,
} as const satisfies Record<QueueName, number>;
