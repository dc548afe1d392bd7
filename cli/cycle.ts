import { Job, QueueEvents } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { App } from '../src/app.js';
import { duplicateRedis, type RedisConnection } from '../src/redis.js';
import {
  createEnqueue,
  diagnoseConversationsContract,
  pullConversationsContract,
  pullReportsContract,
  synthesizeContract,
  type AnyJobContract,
  type EnqueuedJob,
  type QueueName,
} from '../src/queue/index.js';

/** What the pull job reports as it goes (`PullProgress`). */
const PullProgressSchema = z.object({ listed: z.number(), fetched: z.number() });

export type CycleStep = 'pull' | 'diagnose' | 'reports' | 'synthesize';

export interface CycleOptions {
  accountId: string;
  /** Pull from here instead of the checkpoint. */
  since?: Date;
  /** Conversations window synthesized into findings. @defaultValue 7 */
  days?: number;
  onProgress?: (step: CycleStep, detail: string) => void;
}

export interface CycleSummary {
  runId: string;
  pull: { listed: number; fetched: number; unchanged: number; open: number; changed: number };
  diagnosed: number;
  byCategory: Record<string, number>;
  findings: number;
  proposals: string[];
  created: string[];
  blocked: number;
  /** Why Claude drafts gave way to rules drafts. */
  fallbacks: { findingId: string; reason: string }[];
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
  const enqueue = createEnqueue(app.queues);
  const events = new Map<QueueName, QueueEvents>();
  const connections: RedisConnection[] = [];
  const queueEventsOf = async (queue: QueueName): Promise<QueueEvents> => {
    let queueEvents = events.get(queue);
    if (!queueEvents) {
      // QueueEvents blocks on its connection, so it gets its own (closed in `finally`).
      const connection = duplicateRedis(app.redis);
      connections.push(connection);
      queueEvents = new QueueEvents(queue, { connection, prefix: app.config.redis.prefix });
      await queueEvents.waitUntilReady();
      events.set(queue, queueEvents);
    }
    return queueEvents;
  };
  const waitFor = async <T>(
    job: EnqueuedJob,
    onJobProgress?: (data: unknown) => void,
  ): Promise<T> => {
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
  };
  const step = async <T>(def: AnyJobContract, payload: unknown, name: CycleStep): Promise<T> => {
    options.onProgress?.(name, 'started');
    const onJobProgress = (data: unknown) => {
      const pull = PullProgressSchema.safeParse(data);
      if (pull.success) {
        options.onProgress?.(name, `${pull.data.listed} listed, ${pull.data.fetched} fetched…`);
      }
    };
    return waitFor<T>(await enqueue(def, payload as never), onJobProgress);
  };

  try {
    const pulled = await step<PullResult>(
      pullConversationsContract,
      {
        accountId: options.accountId,
        runId,
        ...(options.since ? { since: options.since.toISOString() } : {}),
      },
      'pull',
    );
    options.onProgress?.(
      'pull',
      `${pulled.listed} listed, ${pulled.fetched} fetched, ${pulled.unchanged} unchanged, ${pulled.open} still open`,
    );

    const byCategory: Record<string, number> = {};
    let diagnosed = 0;
    let done = 0;
    // One at a time: the batches run in parallel on the workers; waiting is all that happens here.
    for (const id of pulled.diagnoseJobs) {
      const result = await waitFor<DiagnoseResult>({
        id,
        name: diagnoseConversationsContract.name,
        queue: diagnoseConversationsContract.queue,
      });
      diagnosed += result.diagnosed;
      for (const [category, n] of Object.entries(result.byCategory)) {
        byCategory[category] = (byCategory[category] ?? 0) + n;
      }
      done += 1;
      options.onProgress?.(
        'diagnose',
        `${done}/${pulled.diagnoseJobs.length} batches, ${diagnosed} diagnosed`,
      );
    }

    await step(
      pullReportsContract,
      { accountId: options.accountId, days: options.days ?? 7 },
      'reports',
    );
    const synthesized = await step<SynthesizeResult>(
      synthesizeContract,
      { accountId: options.accountId, runId, days: options.days ?? 7 },
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
      },
      diagnosed,
      byCategory,
      findings: synthesized.findings,
      proposals: synthesized.proposals,
      created: synthesized.created,
      blocked: synthesized.blocked,
      fallbacks: synthesized.fallbacks,
      llm: await llmSpend(app, options.accountId, runId),
    };
  } finally {
    await Promise.all([...events.values()].map((e) => e.close()));
    for (const connection of connections) connection.disconnect();
  }
}

interface PullResult {
  listed: number;
  fetched: number;
  unchanged: number;
  open: number;
  changed: number;
  diagnoseJobs: string[];
}
interface DiagnoseResult {
  diagnosed: number;
  byCategory: Record<string, number>;
}
interface SynthesizeResult {
  findings: number;
  proposals: string[];
  created: string[];
  blocked: number;
  fallbacks: { findingId: string; reason: string }[];
}

async function llmSpend(app: App, accountId: string, runId: string): Promise<CycleSummary['llm']> {
  const { total } = await app.deps.stores.llmSpend.run(accountId, runId);
  return { usd: total.costUsd, inputTokens: total.inputTokens, outputTokens: total.outputTokens };
}
