import type { JobsOptions } from 'bullmq';
import { z } from 'zod';
import { RequestValidationError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { QueueName, Queues } from './queues.js';

/**
 * A job is data: its name, queue, zod payload schema, options and handler, declared once in
 * `jobs/<name>.job.ts` and read by the worker, the scheduler, the dashboard and the CLI.
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

/** Options a job may set; `jobId`, `repeat` and `delay` are per call (see `enqueue`). */
export type JobOptions = Omit<JobsOptions, 'jobId' | 'repeat' | 'delay' | 'deduplication'>;

export interface EnqueueOptions {
  /** Deterministic id (see `jobIdFrom`): a second enqueue with the same id is a no-op. */
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

/** Validates the payload, then adds the job to its queue. */
export type Enqueue = <TSchema extends z.ZodType>(
  job: JobDefinition<TSchema, never, unknown>,
  payload: z.input<TSchema>,
  options?: EnqueueOptions,
) => Promise<EnqueuedJob>;

export interface JobContext<TDeps = JobDeps> {
  /** Child logger with `{ queue, job, jobId, attempt }`; log object-first. */
  log: Logger;
  /** `attemptsMade` counts earlier failed attempts (0 on the first run). */
  job: { id: string; name: string; queue: QueueName; attemptsMade: number };
  /** Aborted when the job is cancelled; pass it to HTTP and LLM calls. */
  signal: AbortSignal;
  deps: TDeps;
  enqueue: Enqueue;
  progress(progress: number | object): Promise<void>;
}

export interface JobDefinition<
  TSchema extends z.ZodType = z.ZodType,
  TDeps = JobDeps,
  TResult = unknown,
> {
  /** Kebab-case, the job file's base name; unique across all queues. */
  readonly name: string;
  readonly queue: QueueName;
  /**
   * Checked on enqueue and again before `handle` runs. The parsed value is what is stored, so a
   * schema's output must parse as its input (no one-way transforms).
   */
  readonly payload: TSchema;
  /** Override the defaults from `defaults.ts` (attempts, backoff, retention). */
  readonly options?: JobOptions;
  /**
   * `per-account`: one BullMQ job scheduler per configured account, with payload `{ accountId }`
   * and the cron pattern and time zone from that account's config (see `syncSchedules`).
   */
  readonly schedule?: 'per-account';
  handle(payload: z.output<TSchema>, ctx: JobContext<TDeps>): Promise<TResult>;
}

/** Any job definition, whatever its payload and result (for registries and the worker). */
// Method parameters are bivariant, so every concrete definition is assignable to this.
export type AnyJobDefinition<TDeps = JobDeps> = JobDefinition<z.ZodType, TDeps, unknown>;

const JOB_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Declares a job; the handler's payload type is inferred from the schema. */
export function defineJob<TSchema extends z.ZodType, TDeps = JobDeps, TResult = unknown>(
  definition: JobDefinition<TSchema, TDeps, TResult>,
): JobDefinition<TSchema, TDeps, TResult> {
  if (!JOB_NAME.test(definition.name)) {
    throw new RequestValidationError(`Job name "${definition.name}" must be kebab-case`);
  }
  return Object.freeze({ ...definition });
}

/** Parses a payload against a job's schema, with an error that names the job and the fields. */
export function parsePayload<TSchema extends z.ZodType>(
  job: Pick<JobDefinition<TSchema, never, unknown>, 'name' | 'payload'>,
  payload: unknown,
): z.output<TSchema> {
  const parsed = job.payload.safeParse(payload);
  if (!parsed.success) {
    throw new RequestValidationError(
      `Invalid payload for job "${job.name}":\n${z.prettifyError(parsed.error)}`,
      parsed.error,
    );
  }
  return parsed.data;
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
