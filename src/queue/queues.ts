import { Queue } from 'bullmq';
import { ConfigError } from '../errors.js';
import type { RedisConnection } from '../redis.js';
import { DEFAULT_JOB_OPTIONS } from './defaults.js';

/**
 * The few queues of the loop, split by concurrency and rate-limit needs (pulls share the
 * Klaviyo conversations quota, synthesis and diagnosis spend LLM tokens, apply writes to
 * production). Jobs are selected by `job.name` within a queue.
 */
export const QUEUES = {
  pull: 'pull',
  diagnose: 'diagnose',
  synthesize: 'synthesize',
  apply: 'apply',
  verify: 'verify',
  notify: 'notify',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const QUEUE_NAMES: readonly QueueName[] = Object.values(QUEUES);

/** BullMQ's key prefix for all our queues (BullMQ's own default is `bull`). */
export const DEFAULT_QUEUE_PREFIX = 'agent-trainer';

export interface QueuePrefixConfig {
  /** @defaultValue 'agent-trainer' */
  prefix?: string;
  /** Redis Cluster: wrap the prefix in a hash tag so each queue's keys share one slot. */
  cluster?: boolean;
}

/**
 * The BullMQ `prefix`. On Redis Cluster, BullMQ's Lua scripts touch several keys of a queue at
 * once, which Cluster only allows within one hash slot: `{agent-trainer}` puts them there.
 */
export function queuePrefix(config: QueuePrefixConfig = {}): string {
  const prefix = (config.prefix ?? DEFAULT_QUEUE_PREFIX).trim();
  if (prefix === '' || /[\s]/.test(prefix)) {
    throw new ConfigError(
      `Queue prefix "${prefix}" is invalid: use a non-empty word without spaces.`,
    );
  }
  if (!config.cluster || /\{[^{}]+\}/.test(prefix)) return prefix;
  if (/[{}]/.test(prefix)) {
    throw new ConfigError(
      `Queue prefix "${prefix}" has unbalanced braces; use e.g. {agent-trainer}.`,
    );
  }
  return `{${prefix}}`;
}

/** One BullMQ `Queue` per queue name, plus `closeAll()`. */
export type Queues = Readonly<Record<QueueName, Queue>> & {
  /** Closes every queue (not the shared connection, which its owner closes last). */
  closeAll(): Promise<void>;
};

/**
 * Creates the queues on a shared connection. Every queue gets the defaults from `defaults.ts`, so
 * jobs enqueued by any caller (CLI, server, other jobs) are retried and kept the same way.
 */
export function createQueues(connection: RedisConnection, prefix: string): Queues {
  const entries = QUEUE_NAMES.map(
    (name) =>
      [
        name,
        new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS }),
      ] as const,
  );
  const record = Object.fromEntries(entries) as Record<QueueName, Queue>;
  let closing: Promise<void> | undefined;
  return {
    ...record,
    closeAll() {
      closing ??= Promise.all(entries.map(([, queue]) => queue.close())).then(() => undefined);
      return closing;
    },
  };
}
