import type { Job } from 'bullmq';
import type { QueueName, Queues } from '../../../src/queue/index.js';
/**
 * Waiting for a condition with a deadline, for fault tests: they wait for observable state (a
 * Redis key, a request reaching a server, a log line), never for a fixed time.
 */

export interface WaitOptions {
  /** What is awaited, for the timeout message ("the pull to store 5 snapshots"). */
  what: string;
  /** @defaultValue 30 000 */
  timeoutMs?: number;
  /** Pause between checks. @defaultValue 100 */
  intervalMs?: number;
  /** Extra context for the timeout message, read when it fires (e.g. a process's last logs). */
  context?: () => string;
}

/** Thrown by a check to end the wait at once (a job failed, a process exited). */
export class StopWaiting extends Error {}

/**
 * Calls `check` until it returns something other than `undefined`, `null` or `false`, and
 * resolves with that value. A check that throws counts as "not yet" (a server that is restarting
 * refuses connections); its last error is reported if the deadline passes. `StopWaiting` ends the
 * wait with that error.
 */
export async function waitUntil<T>(
  check: () => T | Promise<T>,
  options: WaitOptions,
): Promise<Exclude<T, undefined | null | false>> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) {
        return value as Exclude<T, undefined | null | false>;
      }
    } catch (error) {
      if (error instanceof StopWaiting) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      const why = lastError === undefined ? '' : ` (last error: ${String(lastError)})`;
      const context = options.context ? `\n${options.context()}` : '';
      throw new Error(`timed out waiting for ${options.what}${why}${context}`);
    }
    await sleep(options.intervalMs ?? 100);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Waits for a queued job to complete and returns it as completed (with its return value); a
 * failed job ends the wait with its reason. `context` is read on timeout (a worker's last logs).
 */
export async function completedJob(
  queues: Queues,
  queue: QueueName,
  id: string,
  context: () => string,
): Promise<Job> {
  return waitUntil(
    async () => {
      const job = await queues[queue].getJob(id);
      const state = await job?.getState();
      if (state === 'failed') throw new StopWaiting(`job ${id} failed: ${job?.failedReason}`);
      // Read it again once completed: the copy read before may predate its return value.
      return state === 'completed' ? await queues[queue].getJob(id) : undefined;
    },
    { what: `${queue} job ${id} to complete`, timeoutMs: 90_000, context },
  );
}
