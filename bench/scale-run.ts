/**
 * One scale run, shared by `npm run bench:scale` and test/faults/scale.test.ts: N real
 * `agent-trainer worker --no-server` processes on one Redis, pointed through an arrival proxy at a
 * running sandbox, one pull → diagnose cycle enqueued the way the CLI does it, and what happened:
 * calls against the rate-limit ceiling, 429s (and whether each was honoured), conversations
 * diagnosed more than once, and each worker's memory.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { unlinkMatching } from '../src/redis.js';
import { pullConversationsJob } from '../jobs/pull-conversations.job.js';
import { createEnqueue, createQueues, type Queues } from '../src/queue/index.js';
import { SANDBOX_KEYS } from '../src/sandbox/index.js';
import { createStores, type DiagnosisStore } from '../src/store/index.js';
import { startCli, type CliProcess } from '../test/faults/support/process.js';
import { waitUntil } from '../test/faults/support/wait.js';
import { startArrivalProxy } from './arrival-proxy.js';
import {
  callsAgainstLimits,
  countDuplicates,
  MemorySampler,
  type DiagnoseJob,
  type WorkerMemory,
} from './scale-measure.js';

export type { WorkerMemory } from './scale-measure.js';

export interface ScaleRunOptions {
  /** A running sandbox (in this process or another); a proxy in front of it times every call. */
  sandboxUrl: string;
  redisUrl: string;
  processes: number;
  /** The sandbox's rate-limit scale; the workers pace at the same (`KLAVIYO_RATE_LIMITS`). */
  scale: number;
  /**
   * Caps each worker's V8 old space (`--max-old-space-size`): a worker whose memory grew with the
   * conversation count would run out of heap, rather than only show a higher RSS. Default: none.
   */
  workerHeapMb?: number;
  /** Longest wait for the pull, and then for the diagnoses. @defaultValue 30 minutes */
  timeoutMs?: number;
  onProgress?: (message: string) => void;
}

export interface ScaleResult {
  processes: number;
  listed: number;
  fetched: number;
  open: number;
  /** Conversations handed to diagnose jobs whose diagnosis is stored (one per version). */
  diagnosed: number;
  /** Diagnose jobs the pull fanned out, and the most conversations one of them held. */
  diagnoseJobs: number;
  largestDiagnoseJob: number;
  /** Diagnose jobs finished before the pull did: the pull hands pages over as it goes. */
  diagnosedDuringPull: number;
  /**
   * Conversations handled by diagnose work more than once: listed in several diagnose jobs,
   * skipped as already diagnosed by a later job, or in a job that ran more than once.
   */
  duplicates: number;
  wallSeconds: number;
  pullSeconds: number;
  /** Calls of the conversations group (listing and message fetches) the sandbox received. */
  calls: number;
  /** Calls per API minute (the sandbox's minute is 60 / scale seconds) over the active span. */
  callsPerMinute: number;
  /** `calls` against what the steady limit allows over the same span. */
  ceilingShare: number;
  maxPerSteadyWindow: number;
  maxPerBurstWindow: number;
  /** 429s the sandbox sent during the run (every response passes the proxy). */
  rateLimited: number;
  /** 429s after which more than the requests already in flight arrived before Retry-After. */
  unhonoured429s: number;
  workers: WorkerMemory[];
}

/** Schedules that never fire during a run, so the only pull is the one enqueued here. */
const NEVER = { pattern: '0 0 1 1 *', tz: 'UTC' };

export async function runScaleCycle(options: ScaleRunOptions): Promise<ScaleResult> {
  const { processes, scale } = options;
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  const log = options.onProgress ?? (() => undefined);
  const tag = randomUUID().slice(0, 8);
  const prefix = `scale-${tag}`;
  // A fresh account too: the client's rate-limit buckets are keyed by account, not by prefix.
  const accountId = `scale-${tag}`;
  const dir = await mkdtemp(join(tmpdir(), 'agent-trainer-scale-'));
  const proxy = await startArrivalProxy(options.sandboxUrl);
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const queues = createQueues(redis, prefix);
  const workers: CliProcess[] = [];
  try {
    const accountsFile = join(dir, 'accounts.json');
    await writeFile(accountsFile, JSON.stringify(accountsConfig(accountId)));
    const env = workerEnv({ ...options, prefix, accountsFile, baseUrl: proxy.url });
    for (let i = 1; i <= processes; i += 1) {
      workers.push(startCli(['worker', '--no-server'], { env, name: `worker-${i}` }));
    }
    const context = () => workers.map((w) => w.tail(15)).join('\n');
    // A worker that died (it should not) ends the run at once instead of at the timeout.
    const died = () => workers.find((w) => w.exit() !== undefined)?.tail(30);
    await waitUntil(
      async () => died() ?? ((await queues.diagnose.getWorkersCount()) >= processes || undefined),
      { what: `${processes} workers to connect`, timeoutMs: 120_000, context },
    );
    const dead = died();
    if (dead !== undefined) throw new Error(`a worker exited at start:\n${dead}`);
    const memory = workers.map((w) => new MemorySampler(w.pid));

    const started = performance.now();
    const enqueued = await createEnqueue(queues)(pullConversationsJob, {
      accountId,
      runId: prefix,
      since: new Date(Date.now() - 31 * 24 * 3600_000).toISOString(),
    });
    log(`${processes} worker(s): pulling`);
    const wait = { queues, timeoutMs, context, died };
    const pull = await finished<PullResult>(wait, 'pull', enqueued.id);
    const pullSeconds = (performance.now() - started) / 1000;
    log(`pulled ${pull.fetched} in ${pullSeconds.toFixed(0)} s; diagnosing`);
    const diagnoses: DiagnoseJob[] = [];
    // One at a time: the workers run them in parallel; waiting is all that happens here.
    for (const id of pull.diagnoseJobs) {
      diagnoses.push(await finished<DiagnoseJob>(wait, 'diagnose', id));
    }
    const wallSeconds = (performance.now() - started) / 1000;
    const workerMemory = await Promise.all(memory.map((m) => m.stop()));

    const diagnosed = await countDiagnosed(
      createStores(redis, { prefix }).diagnoses,
      accountId,
      diagnoses.flatMap((job) => job.conversations),
    );
    return {
      processes,
      listed: pull.listed,
      fetched: pull.fetched,
      open: pull.open,
      diagnosed,
      diagnoseJobs: pull.diagnoseJobs.length,
      largestDiagnoseJob: Math.max(0, ...diagnoses.map((job) => job.conversations.length)),
      diagnosedDuringPull: diagnoses.filter((job) => job.finishedOn < pull.finishedOn).length,
      duplicates: countDuplicates(diagnoses),
      wallSeconds,
      pullSeconds,
      workers: workerMemory,
      ...callsAgainstLimits(proxy.arrivals, scale),
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await proxy.close();
    await unlinkMatching(redis, `${prefix}:*`);
    await queues.closeAll();
    redis.disconnect();
    await rm(dir, { recursive: true, force: true });
  }
}

interface JobWait {
  queues: Queues;
  timeoutMs: number;
  context: () => string;
  /** The output of a worker that has exited, if one has. */
  died: () => string | undefined;
}

interface PullResult {
  listed: number;
  fetched: number;
  open: number;
  diagnoseJobs: string[];
  finishedOn: number;
}

function accountsConfig(accountId: string) {
  return {
    accounts: [
      {
        id: accountId,
        readKeyEnv: 'KLAVIYO_API_KEY',
        writeKeyEnv: 'KLAVIYO_WRITE_API_KEY',
        schedules: { 'pull-conversations': NEVER, 'pull-reports': NEVER, synthesize: NEVER },
      },
    ],
  };
}

function workerEnv(settings: {
  redisUrl: string;
  prefix: string;
  accountsFile: string;
  baseUrl: string;
  scale: number;
  workerHeapMb?: number;
}): Record<string, string> {
  return {
    ...(settings.workerHeapMb === undefined
      ? {}
      : { NODE_OPTIONS: `--max-old-space-size=${settings.workerHeapMb}` }),
    REDIS_URL: settings.redisUrl,
    QUEUE_PREFIX: settings.prefix,
    ACCOUNTS_FILE: settings.accountsFile,
    KLAVIYO_BASE_URL: settings.baseUrl,
    KLAVIYO_API_KEY: SANDBOX_KEYS.read,
    KLAVIYO_WRITE_API_KEY: SANDBOX_KEYS.write,
    KLAVIYO_RATE_LIMITS: `scale=${settings.scale}`,
    LOG_LEVEL: 'warn',
    // The rules diagnoser only, whatever the caller's environment holds.
    ANTHROPIC_API_KEY: '',
    SLACK_BOT_TOKEN: '',
  };
}

/** Waits for a job to complete and returns its result; a failed job ends the run. */
async function finished<T>(
  { queues, timeoutMs, context, died }: JobWait,
  queue: 'pull' | 'diagnose',
  id: string,
): Promise<T> {
  const { job, state } = await waitUntil(
    async () => {
      const dead = died();
      if (dead !== undefined) return { job: undefined, state: `worker died:\n${dead}` };
      const found = await Job.fromId(queues[queue], id);
      const current = await found?.getState();
      if (current !== 'completed' && current !== 'failed') return undefined;
      // Read again once settled: the first read may predate the result a worker just wrote.
      return { job: await Job.fromId(queues[queue], id), state: current };
    },
    { what: `${queue} job ${id}`, timeoutMs, intervalMs: 250, context },
  );
  if (!job || state !== 'completed') {
    throw new Error(`${queue} job ${id}: ${job?.failedReason ?? state}\n${context()}`);
  }
  if (job.returnvalue === null || job.returnvalue === undefined) {
    throw new Error(`${queue} job ${id} completed without a result\n${context()}`);
  }
  if (queue === 'pull') return { ...(job.returnvalue as object), finishedOn: job.finishedOn } as T;
  const result = job.returnvalue as { diagnosed: number; skipped: number };
  const data = job.data as { conversations: DiagnoseJob['conversations'] };
  const outcome: DiagnoseJob = {
    conversations: data.conversations,
    diagnosed: result.diagnosed,
    skipped: result.skipped,
    attemptsStarted: job.attemptsStarted,
    finishedOn: job.finishedOn ?? 0,
  };
  return outcome as T;
}

/**
 * Distinct conversations whose version has a stored diagnosis, asked one by one: the window
 * listing would miss those created more than the retention (30 days) ago by now, at its edge.
 */
async function countDiagnosed(
  store: DiagnosisStore,
  accountId: string,
  versions: DiagnoseJob['conversations'],
): Promise<number> {
  const distinct = [...new Map(versions.map((v) => [v.id, v])).values()];
  let found = 0;
  for (let i = 0; i < distinct.length; i += 500) {
    const chunk = distinct.slice(i, i + 500);
    const stored = await Promise.all(chunk.map((v) => store.has(accountId, v.id, v.updatedAt)));
    found += stored.filter(Boolean).length;
  }
  return found;
}
