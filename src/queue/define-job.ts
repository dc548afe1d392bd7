import type { z } from 'zod';
import type { Logger } from '../logger.js';
import { assertJobName, parsePayload, type JobContract } from './contract.js';
import type { QueueName, Queues } from './queues.js';

/**
 * A job definition is a contract (`contract.ts`: name, queue, payload schema, options, schedule)
 * plus its handler, declared in `jobs/<name>.job.ts` and run by the worker. Callers enqueue by
 * contract, so they never need the handler or what it imports.
 */

/**
 * What handlers get as `ctx.deps`: the clients and stores built once where the process starts.
 * Empty here on purpose; the loop adds its members by declaration merging, so job files need no
 * type arguments:
 * ```ts
 * declare module '../src/queue/define-job.js' {
 *   interface JobDeps { klaviyo: KlaviyoClient; stores: Stores }
 * }
 * ```
 * Tests that want other deps pass a `deps` type argument (`defineJob<Schema, FakeDeps>`) instead.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface JobDeps {}

export interface EnqueueOptions {
  /**
   * Deterministic id from the contract's id function (e.g. `applyJobId`): a second enqueue with
   * the same id is a no-op.
   */
  jobId?: string;
  /** Milliseconds to wait before the job may run. */
  delay?: number;
  /** Drops further enqueues with this id while the first job is waiting or running. */
  deduplicationId?: string;
}

export interface EnqueuedJob {
  id: string;
  name: string;
  queue: QueueName;
}

/** Validates the payload, then adds the job of a contract (or a definition) to its queue. */
export type Enqueue = <TSchema extends z.ZodType>(
  job: JobContract<TSchema>,
  payload: z.input<TSchema>,
  options?: EnqueueOptions,
) => Promise<EnqueuedJob>;

export interface JobContext<TDeps = JobDeps> {
  /** Child logger with `{ queue, job, jobId, attempt }`; log object-first. */
  log: Logger;
  /** `attemptsMade` counts earlier failed attempts (0 on the first run). */
  job: { id: string; name: string; queue: QueueName; attemptsMade: number };
  /** Aborted when the job is cancelled or its lock is lost; pass it to HTTP and LLM calls. */
  signal: AbortSignal;
  deps: TDeps;
  enqueue: Enqueue;
  progress(progress: number | object): Promise<void>;
}

export interface JobDefinition<
  TSchema extends z.ZodType = z.ZodType,
  TDeps = JobDeps,
  TResult = unknown,
> extends JobContract<TSchema> {
  handle(payload: z.output<TSchema>, ctx: JobContext<TDeps>): Promise<TResult>;
}

/** Any job definition, whatever its payload and result (for registries and the worker). */
// Method parameters are bivariant, so every concrete definition is assignable to this.
export type AnyJobDefinition<TDeps = JobDeps> = JobDefinition<z.ZodType, TDeps, unknown>;

/**
 * Declares a job: a contract (usually spread from `contracts/`) plus `handle`, whose payload
 * type is inferred from the schema: `defineJob({ ...applyProposalContract, async handle() {} })`.
 */
export function defineJob<TSchema extends z.ZodType, TDeps = JobDeps, TResult = unknown>(
  definition: JobDefinition<TSchema, TDeps, TResult>,
): JobDefinition<TSchema, TDeps, TResult> {
  assertJobName(definition.name);
  return Object.freeze({ ...definition });
}

/**
 * Builds `enqueue` over a set of queues: the payload is validated before anything reaches Redis,
 * so a bad payload fails at the caller, not later in a worker.
 */
export function createEnqueue(queues: Queues): Enqueue {
  return async (job, payload, options = {}) => {
    const data = parsePayload(job, payload);
    const added = await queues[job.queue].add(job.name, data, {
      ...job.options,
      ...(options.jobId === undefined ? {} : { jobId: options.jobId }),
      ...(options.delay === undefined ? {} : { delay: options.delay }),
      ...(options.deduplicationId === undefined
        ? {}
        : { deduplication: { id: options.deduplicationId } }),
    });
    return { id: added.id ?? options.jobId ?? '', name: job.name, queue: job.queue };
  };
}
