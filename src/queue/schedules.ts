import { getNextMillis } from 'bullmq';
import { ConfigError, describeError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import { parsePayload, type AnyJobContract } from './contract.js';
import { DEFAULT_JOB_OPTIONS } from './defaults.js';
import { jobIdFrom } from './job-id.js';
import { QUEUE_NAMES, type QueueName, type Queues } from './queues.js';

/**
 * Per-account cron schedules as BullMQ job schedulers. Every worker calls `syncSchedules` at
 * start: `upsertJobScheduler` is idempotent (same id → updated in place), so any number of
 * workers yields one scheduler per (job, account), and each fire is one job, whichever worker
 * takes it.
 */

export interface ScheduleSpec {
  /** Cron pattern (5 fields, or 6 with seconds). */
  pattern: string;
  /** IANA time zone, e.g. `Europe/London`. */
  tz: string;
}

export interface AccountSchedules {
  id: string;
  /** Keyed by job name; a scheduled job without an entry is not scheduled for this account. */
  schedules: Readonly<Partial<Record<string, ScheduleSpec>>>;
}

export interface SyncResult {
  /** Scheduler ids created or updated. */
  upserted: string[];
  /** Scheduler ids removed because no job/account configures them any more. */
  removed: string[];
}

interface DesiredScheduler {
  id: string;
  queue: QueueName;
  jobName: string;
  spec: ScheduleSpec;
  data: unknown;
  job: AnyJobContract;
}

/** The scheduler id for a job and account: `<job>--<account>`. */
export function schedulerId(jobName: string, accountId: string): string {
  return jobIdFrom(jobName, accountId);
}

/**
 * Makes the schedulers in Redis match the config: upserts one per account and scheduled job,
 * removes any other. Everything is validated first, so a bad cron or time zone changes nothing.
 */
export async function syncSchedules(
  queues: Queues,
  jobs: readonly AnyJobContract[],
  accounts: readonly AccountSchedules[],
  options: { logger?: Logger } = {},
): Promise<SyncResult> {
  const log = options.logger ?? silentLogger;
  const desired = plan(jobs, accounts);
  for (const entry of desired) {
    await queues[entry.queue].upsertJobScheduler(
      entry.id,
      { pattern: entry.spec.pattern, tz: entry.spec.tz },
      {
        name: entry.jobName,
        data: entry.data,
        opts: { ...DEFAULT_JOB_OPTIONS, ...entry.job.options },
      },
    );
  }
  const wanted = new Set(desired.map((entry) => `${entry.queue}/${entry.id}`));
  const removed: string[] = [];
  for (const queue of QUEUE_NAMES) {
    for (const scheduler of await queues[queue].getJobSchedulers(0, -1)) {
      const id = scheduler.id ?? scheduler.key;
      if (wanted.has(`${queue}/${id}`)) continue;
      if (await queues[queue].removeJobScheduler(id)) removed.push(id);
    }
  }
  const upserted = desired.map((entry) => entry.id);
  log.info({ upserted: upserted.length, removed }, 'job schedules synced');
  return { upserted, removed };
}

function plan(
  jobs: readonly AnyJobContract[],
  accounts: readonly AccountSchedules[],
): DesiredScheduler[] {
  const scheduled = new Map(
    jobs.filter((job) => job.schedule === 'per-account').map((job) => [job.name, job] as const),
  );
  const desired: DesiredScheduler[] = [];
  for (const account of accounts) {
    for (const [jobName, spec] of Object.entries(account.schedules)) {
      if (spec === undefined) continue;
      const job = scheduled.get(jobName);
      if (!job) {
        const known = [...scheduled.keys()].join(', ') || 'none';
        throw new ConfigError(
          `Account ${account.id}: "${jobName}" is not a scheduled job (scheduled jobs: ${known}).`,
        );
      }
      validateSpec(account.id, jobName, spec);
      desired.push({
        id: schedulerId(jobName, account.id),
        queue: job.queue,
        jobName,
        spec,
        data: templateData(job, account.id),
        job,
      });
    }
  }
  return desired;
}

function validateSpec(accountId: string, jobName: string, spec: ScheduleSpec): void {
  const where = `Account ${accountId}, job ${jobName}`;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: spec.tz });
  } catch {
    throw new ConfigError(`${where}: "${spec.tz}" is not an IANA time zone (e.g. Europe/London).`);
  }
  try {
    const next = getNextMillis(Date.now(), { pattern: spec.pattern, tz: spec.tz });
    if (next === undefined) throw new Error('it never fires');
  } catch (error) {
    throw new ConfigError(
      `${where}: cron pattern "${spec.pattern}" is invalid (${describeError(error)}); ` +
        'use 5 fields (minute hour day month weekday), e.g. "0 6 * * *".',
      error,
    );
  }
}

function templateData(job: AnyJobContract, accountId: string): unknown {
  try {
    return parsePayload(job, { accountId });
  } catch (error) {
    throw new ConfigError(
      `Job ${job.name} is scheduled per account but its payload does not accept { accountId }: ` +
        describeError(error),
      error,
    );
  }
}
