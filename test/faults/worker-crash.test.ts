import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pullConversationsJob } from '../../jobs/pull-conversations.job.js';
import { synthesizeJob } from '../../jobs/synthesize.job.js';
import { demoFills } from '../../cli/demo-fills.js';
import { createEnqueue, createQueues, type QueueName, type Queues } from '../../src/queue/index.js';
import {
  REVISION,
  SANDBOX_KEYS,
  startSandbox,
  type RunningSandbox,
} from '../../src/sandbox/index.js';
import { createStores, type Stores } from '../../src/store/index.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-server.js';
import { runCli, type CliProcess } from './support/process.js';
import { completedJob, waitUntil } from './support/wait.js';
import {
  conversationIds,
  deleteTestKeys,
  diagnosedAt,
  diagnosisRecordCounts,
  isConfigWrite,
  smallDemoScenario,
  startSandboxGate,
  workerAccount,
  type SandboxGate,
  type WorkerAccount,
  workerPool,
} from './worker-crash-support.js';

/**
 * A worker process killed with SIGKILL mid-pull, mid-diagnose and mid-apply, then restarted: the
 * killed worker's job is taken over (BullMQ stalled-job recovery, lock shortened with
 * JOB_LOCK_SECONDS), every conversation is diagnosed once, proposals are not duplicated, the apply
 * writes to Klaviyo (the sandbox) exactly once and the audit log holds one approval and one
 * apply. One cycle runs through the three kills in order; each test checks its stage.
 */

const RATE_LIMIT_SCALE = 4;
const APPROVER = 'cli:fault-test';
const DAY_MS = 24 * 3600_000;

const now = new Date();
const scenario = smallDemoScenario(now);
const ids = conversationIds(scenario);
const newestCreatedAt = scenario.conversations
  .map((c) => c.created_at)
  .sort()
  .at(-1);
const messagesPath = (id: string) =>
  `/api/customer-agent-conversations/${id}/customer-agent-messages`;

let redis: Redis;
let stores: Stores;
let queues: Queues;
let sandbox: RunningSandbox;
let gate: SandboxGate;
let claude: FakeAnthropic;
let account: WorkerAccount;
const prefix = `fault-crash-${randomUUID().slice(0, 8)}`;
const pool = workerPool(() => account.env);
const workers = pool.workers;
const startWorker = pool.start;
/** Claude answers nothing until opened, then refuses (the rules diagnoses and drafts stand). */
let openClaude: () => void = () => undefined;
const claudeOpen = new Promise<void>((resolve) => (openClaude = resolve));

async function killed(worker: CliProcess): Promise<void> {
  const exit = await worker.kill('SIGKILL');
  expect(exit.signal, worker.tail()).toBe('SIGKILL');
}

/** Waits for a job to complete; a failed job fails the test with its reason. */
/** Waits for a job of this file's queues to complete (see support/wait.ts). */
const completed = (queue: QueueName, id: string) =>
  completedJob(queues, queue, id, () => workers.at(-1)?.tail() ?? '');

const transcriptOf = (text: string) => /<transcript id="([^"]+)"/.exec(text)?.[1];

beforeAll(async () => {
  redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
  stores = createStores(redis, { prefix });
  queues = createQueues(redis, prefix);
  sandbox = await startSandbox({
    port: 0,
    scenario,
    rateLimits: { scale: RATE_LIMIT_SCALE },
    indexingDelayMs: 0,
  });
  gate = await startSandboxGate(sandbox.url);
  claude = await startFakeAnthropic({
    respond: async () => {
      await claudeOpen;
      return { status: 400, message: 'fault test: Claude gives no answer' };
    },
  });
  account = await workerAccount({
    redisUrl: inject('redisUrl'),
    prefix,
    baseUrl: gate.url,
    rateLimitScale: RATE_LIMIT_SCALE,
    approver: APPROVER,
    extraEnv: {
      JOB_LOCK_SECONDS: '4',
      ANTHROPIC_API_KEY: 'sk-fault-test',
      ANTHROPIC_BASE_URL: claude.url,
      // Only the rules' failures go to Claude: which ones is then known.
      LLM_SUCCESS_SAMPLE: '0',
    },
  });
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill('SIGKILL')));
  openClaude();
  gate?.release();
  await Promise.all([gate?.close(), sandbox?.close(), claude?.close()]);
  await queues?.closeAll();
  if (redis && account) await deleteTestKeys(redis, prefix, account.id);
  redis?.disconnect();
  await account?.cleanup();
});

describe('a worker killed with SIGKILL and restarted', () => {
  let pullJobId: string;
  let diagnoseJobIds: string[] = [];

  it('mid-pull: the restarted worker finishes the pull without refetching, and every conversation reaches the diagnoser', async () => {
    const first = startWorker();
    const pull = await createEnqueue(queues)(pullConversationsJob, {
      accountId: account.id,
      runId: 'fault-run',
      since: new Date(now.getTime() - 31 * DAY_MS).toISOString(),
    });
    pullJobId = pull.id;
    const storedAtKill = await waitUntil(
      async () => {
        const known = await stores.snapshots.knownUpdatedAt(account.id, ids);
        return known.size >= 3 ? [...known.keys()] : undefined;
      },
      { what: 'the pull to store 3 snapshots', timeoutMs: 60_000, context: () => first.tail() },
    );
    await killed(first);
    const stored = await stores.snapshots.knownUpdatedAt(account.id, ids);
    // The kill must land mid-pull for this test to mean anything.
    expect(stored.size).toBeLessThan(ids.length);
    expect(await stores.checkpoints.get(account.id, 'conversations')).toBeNull();

    startWorker();
    const job = await completed('pull', pullJobId);
    expect((await stores.snapshots.knownUpdatedAt(account.id, ids)).size).toBe(ids.length);
    const checkpoint = await stores.checkpoints.get(account.id, 'conversations');
    expect(Date.parse(checkpoint?.lastCreatedAt ?? '')).toBe(Date.parse(newestCreatedAt ?? ''));
    // Snapshots stored before the kill were not fetched again (first pages counted).
    for (const id of storedAtKill) {
      const fetches = gate.requests.filter(
        (r) => r.path.startsWith(messagesPath(id)) && !r.path.includes('cursor'),
      );
      expect(fetches, id).toHaveLength(1);
    }
    // The run's summary counts what the killed attempt fetched as well as the restarted one.
    const pulled = job.returnvalue as {
      fetched: number;
      unchanged: number;
      diagnoseJobs: string[];
    };
    expect(pulled).toMatchObject({ fetched: ids.length, unchanged: 0 });
    // Every conversation, including those pulled by the killed worker, goes to a diagnose job.
    diagnoseJobIds = pulled.diagnoseJobs;
    const offered = new Set<string>();
    for (const id of diagnoseJobIds) {
      const diagnose = await queues.diagnose.getJob(id);
      const data = diagnose?.data as { conversations: { id: string }[] } | undefined;
      for (const c of data?.conversations ?? []) offered.add(c.id);
    }
    expect([...offered].sort()).toEqual([...ids].sort());
  });

  it('mid-diagnose: the diagnoses stored before the kill stay, the rest are stored once, none re-sent to Claude', async () => {
    const second = workers.at(-1) as CliProcess;
    // The worker waits on Claude for the rules' failures, which answers nothing yet; each job
    // stores its rules successes first. Which job gets there first is the scheduler's call, so
    // wait for both: Claude asked, and some diagnoses stored.
    await waitUntil(
      async () =>
        (claude.requests().length > 0 && (await diagnosedAt(stores, account.id, ids)).size > 0) ||
        undefined,
      {
        what: 'the diagnose jobs to store successes and call Claude',
        timeoutMs: 60_000,
        context: () => second.tail(),
      },
    );
    const beforeKill = await diagnosedAt(stores, account.id, ids);
    await killed(second);
    expect(beforeKill.size).toBeGreaterThan(0);
    expect(beforeKill.size).toBeLessThan(ids.length);
    const askedBeforeKill = claude.requests().length;
    openClaude();

    startWorker();
    for (const id of diagnoseJobIds) await completed('diagnose', id);
    const counts = await diagnosisRecordCounts(redis, prefix, account.id);
    expect([...counts.keys()].sort()).toEqual([...ids].sort());
    for (const [id, n] of counts) expect(n, id).toBe(1);
    const after = await diagnosedAt(stores, account.id, ids);
    for (const [id, at] of beforeKill) expect(after.get(id), id).toBe(at);
    const askedAfter = claude
      .requests()
      .slice(askedBeforeKill)
      .map((r) => transcriptOf(r.allText));
    for (const id of beforeKill.keys()) expect(askedAfter, id).not.toContain(id);
  });

  it('mid-apply: the write reaches the sandbox once, the proposal ends applied, the audit log has one approval and one apply', async () => {
    const third = workers.at(-1) as CliProcess;
    const synthesize = await createEnqueue(queues)(synthesizeJob, {
      accountId: account.id,
      runId: 'fault-run',
      days: 31,
    });
    await completed('synthesize', synthesize.id);
    const proposals = await stores.proposals.list({ accountId: account.id });
    expect(proposals.length).toBeGreaterThan(0);
    // One proposal per finding; a wrong skill's companion goes with its lead's.
    const leads = proposals.filter((p) => p.pair?.role !== 'companion');
    expect(new Set(leads.map((p) => p.finding.id)).size).toBe(leads.length);
    const proposal = proposals.find((p) => p.patch.kind === 'knowledge.create');
    if (proposal?.patch.kind !== 'knowledge.create')
      throw new Error('no knowledge.create proposal');
    const title = proposal.patch.snippet.title;

    gate.holdAnswers(isConfigWrite);
    const fills = Object.entries(demoFills(proposal)).flatMap(([k, v]) => ['--fill', `${k}=${v}`]);
    const approve = await runCli(
      ['proposals', 'approve', proposal.id, '--as', APPROVER, '--json', ...fills],
      { env: account.env, name: 'approve' },
    );
    expect(approve.code, approve.stderr).toBe(0);
    await waitUntil(() => gate.held().length > 0 || undefined, {
      what: 'the apply to write to the sandbox',
      timeoutMs: 60_000,
      context: () => third.tail(),
    });
    // Killed between the write and its record: the intent says only that a write may have happened.
    expect((await stores.writeIntents.get(proposal.id))?.state).toBe('claimed');
    expect((await stores.proposals.get(proposal.id))?.status).toBe('applying');
    await killed(third);
    gate.release();

    const fourth = startWorker();
    const applied = await waitUntil(
      async () => {
        const current = await stores.proposals.get(proposal.id);
        return current?.status === 'applied' ? current : undefined;
      },
      { what: 'the proposal to be applied', timeoutMs: 90_000, context: () => fourth.tail() },
    );
    const writes = gate.requests.filter((r) => isConfigWrite(r.method, r.path.split('?')[0] ?? ''));
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual(['POST /api/agent-knowledge']);
    const snippets = await sandboxSnippetsTitled(title);
    expect(snippets).toEqual([applied.result.resourceId]);
    expect((await stores.writeIntents.get(proposal.id))?.state).toBe('landed');
    const audit = await stores.audit.list({ proposalId: proposal.id });
    const types = audit.map((entry) => entry.type);
    expect(types.filter((t) => t === 'approved')).toHaveLength(1);
    expect(types.filter((t) => t === 'applied')).toHaveLength(1);
    expect(audit.find((e) => e.type === 'approved')?.actor).toBe(APPROVER);
  });
});

/** Ids of the sandbox's knowledge items with this title, read from the sandbox directly. */
async function sandboxSnippetsTitled(title: string): Promise<string[]> {
  const response = await fetch(`${sandbox.url}/api/agent-knowledge?page[size]=100`, {
    headers: {
      Authorization: `Klaviyo-API-Key ${SANDBOX_KEYS.read}`,
      revision: REVISION,
      accept: 'application/vnd.api+json',
    },
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as {
    data: { id: string; attributes: { source: { title?: string } } }[];
  };
  return body.data.filter((item) => item.attributes.source.title === title).map((item) => item.id);
}
