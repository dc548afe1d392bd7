import { jobs } from '../../../jobs/index.js';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterEach, inject } from 'vitest';
import { applyProposalJob } from '../../../jobs/apply-proposal.job.js';
import { applyJobId } from '../../../src/queue/contracts/apply-proposal.js';
import { startApp, type App } from '../../../src/app.js';
import { runCycle, type CycleSummary } from '../../../cli/cycle.js';
import { waitUntilSettled } from '../../../cli/settle.js';
import { DEFAULT_ALLOWED_KINDS, loadConfig, type Config } from '../../../src/config.js';
import { createKlaviyoClient, type RateLimitMode } from '../../../src/klaviyo/index.js';
import { createLogger } from '../../../src/logger.js';
import { readAgentConfig, type AgentConfigView } from '../../../src/patches/agent-config.js';
import { approveProposal } from '../../../src/loop/approve/transitions.js';
import type { Proposal } from '../../../src/domain/proposal.js';
import { createEnqueue, QUEUE_NAMES, type QueueName } from '../../../src/queue/index.js';
import {
  SANDBOX_KEYS,
  startSandbox,
  type RunningSandbox,
  type SandboxOptions,
  type Scenario,
} from '../../../src/sandbox/index.js';
import { deleteKeys, testRedis } from '../../integration/queue/redis-helpers.js';

/**
 * The loop as the worker runs it, for fault tests: the app with its BullMQ workers in this
 * process, real Redis under a prefix of its own, the sandbox as Klaviyo, and (optionally) the
 * real Anthropic SDK pointed at the fake Messages API. Every log line is kept for assertions.
 */

export const DAY_MS = 24 * 3600_000;
/** The approver recorded by these tests (any `cli:` actor may approve without an approver list). */
export const OPERATOR = 'cli:faults';

export interface LoopOptions {
  sandboxUrl: string;
  /** The client's pacing. @defaultValue 'off' */
  rateLimits?: RateLimitMode;
  /** @defaultValue the sandbox's read and write keys */
  keys?: { read?: string; write?: string };
  /** Claude at the fake Messages API; without it the rules diagnose and draft. */
  llm?: { baseUrl: string; successSample?: number };
  /** The loop's clock (synthesis windows, snapshot ages). */
  now?: () => Date;
}

export interface LoopHarness {
  app: App;
  /** Unique per harness: the client's rate-limit buckets in Redis are keyed by account. */
  accountId: string;
  /** Redis key prefix of its queues and stores (a CLI process given it shares them). */
  prefix: string;
  /** Every log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startLoop(options: LoopOptions): Promise<LoopHarness> {
  const accountId = `faults-${randomUUID().slice(0, 8)}`;
  const prefix = `test-faults-${randomUUID().slice(0, 8)}`;
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const app = await startApp(loopConfig(options, accountId, prefix), {
    logger: createLogger({ level: 'info' }, sink),
    jobs,
    rateLimits: options.rateLimits ?? 'off',
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    app,
    accountId,
    prefix,
    logs,
    close: async () => {
      await app.close();
      const redis = testRedis();
      try {
        for (const keyPrefix of [prefix, `agent-trainer:ratelimit:{${accountId}}`]) {
          await deleteKeys(redis, keyPrefix);
        }
      } finally {
        redis.disconnect();
      }
    },
  };
}

/**
 * For a test file whose tests each run the loop on a sandbox of their own: returns the function
 * that starts both (the sandbox on a free port, indexing at once) and closes both after each test.
 * Call it at the top level of the file, where it registers that `afterEach`.
 */
export function sandboxAndLoopPerTest(): (
  sandboxOptions: SandboxOptions,
  loopOptions?: Omit<LoopOptions, 'sandboxUrl'>,
) => Promise<{ sandbox: RunningSandbox; loop: LoopHarness }> {
  let sandbox: RunningSandbox | undefined;
  let loop: LoopHarness | undefined;
  afterEach(async () => {
    await loop?.close();
    await sandbox?.close();
    loop = undefined;
    sandbox = undefined;
  });
  return async (sandboxOptions, loopOptions = {}) => {
    sandbox = await startSandbox({ port: 0, indexingDelayMs: 0, ...sandboxOptions });
    loop = await startLoop({ sandboxUrl: sandbox.url, ...loopOptions });
    return { sandbox, loop };
  };
}

function loopConfig(options: LoopOptions, accountId: string, prefix: string): Config {
  const base = loadConfig({ REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: prefix });
  const defaults = base.accounts[0];
  if (!defaults) throw new Error('loadConfig gave no default account');
  return {
    ...base,
    accounts: [
      {
        ...defaults,
        id: accountId,
        name: accountId,
        baseUrl: options.sandboxUrl,
        readKey: options.keys?.read ?? SANDBOX_KEYS.read,
        writeKey: options.keys?.write ?? SANDBOX_KEYS.write,
        approvers: [],
        allowedKinds: DEFAULT_ALLOWED_KINDS,
      },
    ],
    llm: options.llm
      ? {
          apiKey: 'sk-ant-faults-0123456789',
          baseUrl: options.llm.baseUrl,
          models: {
            diagnose: 'claude-haiku-4-5',
            draft: 'claude-sonnet-4-6',
            judge: 'claude-haiku-4-5',
          },
          batch: false,
          successSample: options.llm.successSample ?? 1,
        }
      : base.llm,
  };
}

/** Conversations a pull fetches from a store: those that ended (open ones wait for their end). */
export function finalConversationIds(store: Scenario): string[] {
  return store.conversations
    .filter((c) => c.status !== 'open')
    .map((c) => c.id ?? '')
    .filter(Boolean);
}

/** One cycle (pull → diagnose → reports → synthesize) over the last `days` before `now`. */
export function cycle(h: LoopHarness, days: number, now = new Date()): Promise<CycleSummary> {
  return runCycle(h.app, {
    accountId: h.accountId,
    since: new Date(now.getTime() - days * DAY_MS),
    days,
  });
}

export function proposalsOf(h: LoopHarness): Promise<Proposal[]> {
  return h.app.deps.stores.proposals.list({ accountId: h.accountId });
}

/**
 * Approves as a CLI operator would (the same approval core) and queues the apply job. Applied
 * anyway: these tests are about every write landing once, so a second change to a skill is not
 * held behind the first's attribution window (e2e/attribution.test.ts covers the hold).
 */
export async function approveAndQueueApply(
  h: LoopHarness,
  proposal: Proposal,
  fills: Record<string, string> = {},
): Promise<void> {
  const approved = await approveProposal(h.app.deps.stores, {
    proposalId: proposal.id,
    actor: OPERATOR,
    accountConfig: h.app.deps.account(h.accountId),
    ...(Object.keys(fills).length > 0 ? { fills } : {}),
    applyAnyway: true,
  });
  await createEnqueue(h.app.queues)(
    applyProposalJob,
    { accountId: h.accountId, proposalId: proposal.id },
    { jobId: applyJobId(approved) },
  );
}

/**
 * How long applies and verifies may take. Generous: under a loaded CI machine a faulty cycle's
 * applies (paced, retried, each with its replay) ran several times slower than alone (~20 s).
 */
const SETTLE_MS = 200_000;

/** Waits until apply (and verify, for applied ones) are done; fails the test if they never are. */
export async function settled(h: LoopHarness, ids: readonly string[]): Promise<Proposal[]> {
  const result = await waitUntilSettled(h.app, ids, SETTLE_MS);
  if (!result.settled) {
    const states = result.proposals.map((p) => `${p.id}: ${p.status}`).join(', ');
    throw new Error(`proposals did not settle: ${states}\n${await queueTrail(h)}`);
  }
  return result.proposals;
}

/**
 * What the queues and the log say when a wait times out: every job not completed (state, attempts,
 * last error) and the warnings and errors logged, so a rare timeout can be told from a slow machine.
 */
async function queueTrail(h: LoopHarness): Promise<string> {
  const lines: string[] = [];
  for (const queue of QUEUE_NAMES) {
    const jobs = await h.app.queues[queue].getJobs(['active', 'waiting', 'delayed', 'failed']);
    for (const job of jobs) {
      const state = await job.getState();
      lines.push(
        `${queue} ${job.name} ${job.id ?? ''}: ${state}, ${job.attemptsMade} attempts${job.failedReason ? `, last error: ${job.failedReason}` : ''}`,
      );
    }
  }
  const warnings = new Map<string, number>();
  for (const l of h.logs) {
    if (typeof l['level'] !== 'number' || l['level'] < 40) continue;
    const key = `log ${l['level']}: ${String(l['msg'])}`;
    warnings.set(key, (warnings.get(key) ?? 0) + 1);
  }
  for (const [line, n] of warnings) lines.push(`${line} (${n}×)`);
  return lines.join('\n');
}

export interface FailedJob {
  queue: QueueName;
  name: string;
  id: string | undefined;
  attemptsMade: number;
  failedReason: string;
}

/** The jobs in BullMQ's failed set of every queue (failed for good, after their attempts). */
export async function failedJobs(app: App): Promise<FailedJob[]> {
  const failed: FailedJob[] = [];
  for (const queue of QUEUE_NAMES) {
    for (const job of await app.queues[queue].getFailed(0, -1)) {
      failed.push({
        queue,
        name: job.name,
        id: job.id,
        attemptsMade: job.attemptsMade,
        failedReason: job.failedReason,
      });
    }
  }
  return failed;
}

/** Requests the sandbox answered for one operation, by status (`{ '200': 3, '503': 1 }`). */
export function statusesOf(sandbox: RunningSandbox, operation: string): Record<string, number> {
  return sandbox.stats().byOperation[operation] ?? {};
}

/** Requests the sandbox answered with a 2xx for operations that change the configuration. */
export function configWrites(sandbox: RunningSandbox): number {
  let writes = 0;
  for (const [operation, byStatus] of Object.entries(sandbox.stats().byOperation)) {
    if (!/^(?:create|update|delete)_(?:agent|customer_agent_beta)/.test(operation)) continue;
    for (const [status, n] of Object.entries(byStatus)) if (status.startsWith('2')) writes += n;
  }
  return writes;
}

/** The agent's whole configuration as the API serves it now (agent, skills, knowledge). */
export async function agentConfigOf(
  sandbox: RunningSandbox,
): Promise<Omit<AgentConfigView, 'readAt'>> {
  const client = createKlaviyoClient({
    apiKey: SANDBOX_KEYS.read,
    baseUrl: sandbox.url,
    rateLimits: 'off',
  });
  const { readAt: _readAt, ...config } = await readAgentConfig(client);
  return config;
}
