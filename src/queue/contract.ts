import type { JobsOptions } from 'bullmq';
import { z } from 'zod';
import { RequestValidationError } from '../errors.js';
import type { QueueName } from './queues.js';

/**
 * A job contract: what a caller needs to enqueue a job and what the worker checks before running
 * it — name, queue, zod payload schema, options, schedule — without the handler. The loop's
 * contracts, each with its deterministic job id function, are in `contracts/`; a handler in
 * `jobs/<name>.job.ts` adds `handle` to one (see `defineJob`).
 */

/** Options a job may set; `jobId`, `repeat` and `delay` are per call (see `enqueue`). */
export type JobOptions = Omit<JobsOptions, 'jobId' | 'repeat' | 'delay' | 'deduplication'>;

export interface JobContract<TSchema extends z.ZodType = z.ZodType> {
  /** Kebab-case, the job file's base name; unique across all queues. */
  readonly name: string;
  readonly queue: QueueName;
  /**
   * Checked on enqueue and again before the handler runs. The parsed value is what is stored, so
   * a schema's output must parse as its input (no one-way transforms).
   */
  readonly payload: TSchema;
  /** Override the defaults from `defaults.ts` (attempts, backoff, retention). */
  readonly options?: JobOptions;
  /**
   * `per-account`: one BullMQ job scheduler per configured account, with payload `{ accountId }`
   * and the cron pattern and time zone from that account's config (see `syncSchedules`).
   */
  readonly schedule?: 'per-account';
}

/** Any contract, whatever its payload (for lists and the scheduler). */
export type AnyJobContract = JobContract<z.ZodType>;

const JOB_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Throws unless `name` is kebab-case. */
export function assertJobName(name: string): void {
  if (!JOB_NAME.test(name)) {
    throw new RequestValidationError(`Job name "${name}" must be kebab-case`);
  }
}

/** Declares a job contract (name checked, object frozen). */
export function defineContract<TSchema extends z.ZodType>(
  contract: JobContract<TSchema>,
): JobContract<TSchema> {
  assertJobName(contract.name);
  return Object.freeze({ ...contract });
}

/** Parses a payload against a job's schema, with an error that names the job and the fields. */
export function parsePayload<TSchema extends z.ZodType>(
  job: Pick<JobContract<TSchema>, 'name' | 'payload'>,
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
