import { Job, QueueEvents } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { App } from '../src/app.js';
import { duplicateRedis, type RedisConnection } from '../src/redis.js';
import {
  diagnoseConversationsContract,
  pullConversationsContract,
  pullReportsContract,
  synthesizeContract,
  type AnyJobContract,
  type EnqueuedJob,
  type QueueName,
} from '../src/queue/index.js';
import { whySlow } from '../src/loop/pull/pace.js';
import { formatDuration, progressBar } from './progress.js';

/** What the pull job reports as it goes (`PullPace`; a worker older than it sends less). */
const PullProgressSchema = z.object({
  listed: z.number(),
  fetched: z.number(),
  pages: z.number().optional(),
  listingDone: z.boolean().optional(),
  toFetch: z.number().nullable().optional(),
  deferred: z.number().optional(),
  callsPerMinute: z.number().optional(),
  secondsLeft: z.number().nullable().optional(),
  limitPerMinute: z.number().nullable().optional(),
  othersPerMinute: z.number().nullable().optional(),
});
type PullProgressData = z.infer<typeof PullProgressSchema>;

export type CycleStep = 'pull' | 'diagnose' | 'reports' | 'synthesize';

export interface CycleOptions {
  accountId: string;
  /** Pull from here instead of the checkpoint. */
  since?: Date;
  /** Conversations window synthesized into findings. @defaultValue 7 */
  days?: number;
  /** `data`: the figures behind `detail`, when a step reports them (the pull's pace). */
  onProgress?: (step: CycleStep, detail: string, data?: Record<string, unknown>) => void;
}

export interface CycleSummary {
  runId: string;
  pull: {
    listed: number;
    fetched: number;
    unchanged: number;
    open: number;
    changed: number;
    /** Final conversations over this run's budget, fetched by the following runs. */
    deferred: number;
  };
  diagnosed: number;
  /**
   * Handed over by this run's pull but diagnosed before its batch ran: by an overlapping run (a
   * scheduled pull during a manual one) or by the attempt of a pull that was killed and retried.
   */
  alreadyDiagnosed: number;
  byCategory: Record<string, number>;
  /** Conversations that tried to instruct the loop (see `agent-trainer suspicious`). */
  suspicious: number;
  findings: number;
  proposals: string[];
  created: string[];
  blocked: number;
  /** Drafts waiting behind an undecided proposal that changes the same field. */
  held: { behind: string; title: string }[];
  /** Why Claude drafts gave way to rules drafts. */
  fallbacks: { findingId: string; reason: string }[];
  /** New proposals' reproduction: in how many of the replays judged the failure happened again. */
  reproduced: { proposalId: string; reproduced: number; total: number }[];
  /** Findings not proposed because no replay against the live configuration failed. */
  unreproduced: { findingId: string; topic: string; reason: string }[];
  /** Findings a recent rejection keeps from being proposed again. */
  rejected: { findingId: string; topic: string; reason: string }[];
  /** Claude's spend in this run (zero without ANTHROPIC_API_KEY). */
  llm: { usd: number; inputTokens: number; outputTokens: number };
}

/**
 * One training cycle for an account, through the same queues and jobs the scheduled worker uses:
 * pull → diagnose (fanned out) → reports → synthesize, waiting on each step. The jobs may run in
 * this process or in any worker sharing the Redis.
 */
export async function runCycle(app: App, options: CycleOptions): Promise<CycleSummary> {
  const runId = `run-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
  const waiter = createJobWaiter(app);
  const step = stepRunner(app, waiter, options.onProgress);
  const { accountId } = options;
  const days = options.days ?? 7;
  try {
    const pulled = await step<PullResult>(
      pullConversationsContract,
      { accountId, runId, ...(options.since ? { since: options.since.toISOString() } : {}) },
      'pull',
    );
    options.onProgress?.(
      'pull',
      `${pulled.listed} listed, ${pulled.fetched} fetched, ${pulled.unchanged} unchanged, ${pulled.open} still open`,
    );
    const diagnosed = await waitForDiagnoses(waiter, pulled.diagnoseJobs, options.onProgress);
    await step(pullReportsContract, { accountId, days }, 'reports');
    const synthesized = await step<SynthesizeResult>(
      synthesizeContract,
      { accountId, runId, days },
      'synthesize',
    );
    return {
      runId,
      pull: {
        listed: pulled.listed,
        fetched: pulled.fetched,
        unchanged: pulled.unchanged,
        open: pulled.open,
        changed: pulled.changed,
        // A worker older than the budget reports none.
        deferred: pulled.deferred ?? 0,
      },
      ...diagnosed,
      findings: synthesized.findings,
      proposals: synthesized.proposals,
      created: synthesized.created,
      blocked: synthesized.blocked,
      held: synthesized.held,
      fallbacks: synthesized.fallbacks,
      // A worker older than reproduction reports neither.
      reproduced: synthesized.reproduced ?? [],
      unreproduced: synthesized.unreproduced ?? [],
      rejected: synthesized.rejected ?? [],
      llm: await llmSpend(app, accountId, runId),
    };
  } finally {
    await waiter.close();
  }
}

type OnProgress = CycleOptions['onProgress'];

/** Waits for jobs to finish, wherever they run, through their queues' events. */
interface JobWaiter {
  /** The job's result; `onJobProgress` gets the progress it reports meanwhile. */
  wait<T>(job: EnqueuedJob, onJobProgress?: (data: unknown) => void): Promise<T>;
  /** Closes the queue events and their connections. */
  close(): Promise<void>;
}

function createJobWaiter(app: App): JobWaiter {
  const events = new Map<QueueName, QueueEvents>();
  const connections: RedisConnection[] = [];
  const queueEventsOf = async (queue: QueueName): Promise<QueueEvents> => {
    let queueEvents = events.get(queue);
    if (!queueEvents) {
      // QueueEvents blocks on its connection, so it gets its own (closed in `close`).
      const connection = duplicateRedis(app.redis);
      connections.push(connection);
      queueEvents = new QueueEvents(queue, { connection, prefix: app.config.redis.prefix });
      await queueEvents.waitUntilReady();
      events.set(queue, queueEvents);
    }
    return queueEvents;
  };
  return {
    async wait<T>(job: EnqueuedJob, onJobProgress?: (data: unknown) => void): Promise<T> {
      const queueEvents = await queueEventsOf(job.queue);
      // A long pull (minutes under the real limits) reports each fetch; the job may run in any
      // worker process, so its progress comes through the queue's events.
      const relay = ({ jobId, data }: { jobId: string; data: unknown }) => {
        if (jobId === job.id) onJobProgress?.(data);
      };
      if (onJobProgress) queueEvents.on('progress', relay);
      try {
        const found = await Job.fromId(app.queues[job.queue], job.id);
        if (!found) throw new Error(`job ${job.id} vanished from queue ${job.queue}`);
        return (await found.waitUntilFinished(queueEvents)) as T;
      } finally {
        queueEvents.off('progress', relay);
      }
    },
    async close() {
      await Promise.all([...events.values()].map((e) => e.close()));
      for (const connection of connections) connection.disconnect();
    },
  };
}

/** Enqueues a step's job and waits for its result, saying when it starts and how a pull goes. */
function stepRunner(app: App, waiter: JobWaiter, onProgress: OnProgress) {
  return async <T>(contract: AnyJobContract, payload: unknown, name: CycleStep): Promise<T> => {
    onProgress?.(name, 'started');
    const onJobProgress = (data: unknown) => {
      const pull = PullProgressSchema.safeParse(data);
      if (pull.success) onProgress?.(name, describePull(pull.data), pull.data);
    };
    return waiter.wait<T>(await app.enqueue(contract, payload as never), onJobProgress);
  };
}

/**
 * `[####------] 1,200 of 3,000 fetched, 20,000 listed · 58/min · 31 min left · Klaviyo allows 60
 * conversations a minute; other integrations are using 12`; while listing, the pages so far.
 */
export function describePull(p: PullProgressData): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const parts: string[] = [];
  if (p.toFetch === undefined) return `${p.listed} listed, ${p.fetched} fetched…`;
  if (p.toFetch === null) {
    parts.push(`listing… ${n(p.pages ?? 0)} pages, ${n(p.listed)} conversations so far`);
  } else {
    const share = p.toFetch === 0 ? 1 : p.fetched / p.toFetch;
    const later = p.deferred ? `; ${n(p.deferred)} left for the next runs` : '';
    parts.push(
      `${progressBar(share)} ${n(p.fetched)} of ${n(p.toFetch)} fetched, ${n(p.listed)} listed${later}`,
    );
  }
  if (p.callsPerMinute !== undefined) parts.push(`${p.callsPerMinute.toFixed(0)} calls/min`);
  if (typeof p.secondsLeft === 'number') parts.push(`${formatDuration(p.secondsLeft)} left`);
  const why = whySlow(p);
  if (why) parts.push(why);
  return parts.join(' · ');
}

/** Waits for the pull's diagnose batches, adding up what they diagnosed by category. */
async function waitForDiagnoses(
  waiter: JobWaiter,
  jobIds: readonly string[],
  onProgress: OnProgress,
): Promise<Pick<CycleSummary, 'diagnosed' | 'alreadyDiagnosed' | 'byCategory' | 'suspicious'>> {
  const byCategory: Record<string, number> = {};
  let diagnosed = 0;
  let alreadyDiagnosed = 0;
  let suspicious = 0;
  let done = 0;
  // One at a time: the batches run in parallel on the workers; waiting is all that happens here.
  for (const id of jobIds) {
    const result = await waiter.wait<DiagnoseResult>({
      id,
      name: diagnoseConversationsContract.name,
      queue: diagnoseConversationsContract.queue,
    });
    diagnosed += result.diagnosed;
    alreadyDiagnosed += result.skipped;
    // Batches stored by a worker older than this field count none.
    suspicious += result.suspicious ?? 0;
    for (const [category, n] of Object.entries(result.byCategory)) {
      byCategory[category] = (byCategory[category] ?? 0) + n;
    }
    done += 1;
    onProgress?.('diagnose', `${done}/${jobIds.length} batches, ${diagnosed} diagnosed`);
  }
  return { diagnosed, alreadyDiagnosed, byCategory, suspicious };
}

interface PullResult {
  listed: number;
  fetched: number;
  unchanged: number;
  open: number;
  changed: number;
  deferred?: number;
  diagnoseJobs: string[];
}
interface DiagnoseResult {
  diagnosed: number;
  skipped: number;
  byCategory: Record<string, number>;
  suspicious?: number;
}
interface SynthesizeResult {
  findings: number;
  proposals: string[];
  created: string[];
  blocked: number;
  held: { behind: string; title: string }[];
  fallbacks: { findingId: string; reason: string }[];
  reproduced?: CycleSummary['reproduced'];
  unreproduced?: CycleSummary['unreproduced'];
  rejected?: CycleSummary['rejected'];
}

async function llmSpend(app: App, accountId: string, runId: string): Promise<CycleSummary['llm']> {
  const { total } = await app.deps.stores.llmSpend.run(accountId, runId);
  return { usd: total.costUsd, inputTokens: total.inputTokens, outputTokens: total.outputTokens };
}
