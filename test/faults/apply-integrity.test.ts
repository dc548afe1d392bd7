import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyProposalJob } from '../../jobs/apply-proposal.job.js';
import type { Proposal } from '../../src/domain/proposal.js';
import { createKlaviyoClient, type KlaviyoClient } from '../../src/klaviyo/index.js';
import { approveProposal } from '../../src/loop/approve/transitions.js';
import { readAgentConfig } from '../../src/patches/agent-config.js';
import { baselineFor } from '../../src/patches/baseline.js';
import type { Patch } from '../../src/patches/patch.js';
import { renderPatchDiff } from '../../src/patches/render-diff.js';
import { applyJobId } from '../../src/queue/contracts/apply-proposal.js';
import { createEnqueue, createQueues, type Queues } from '../../src/queue/index.js';
import {
  SANDBOX_KEYS,
  ScenarioSchema,
  startSandbox,
  type RunningSandbox,
} from '../../src/sandbox/index.js';
import { createStores, type Stores } from '../../src/store/index.js';
import { makeProposal } from '../integration/store/fixtures.js';
import type { CliProcess } from './support/process.js';
import { StopWaiting, waitUntil } from './support/wait.js';
import {
  deleteTestKeys,
  isConfigWrite,
  startSandboxGate,
  workerAccount,
  type SandboxGate,
  type WorkerAccount,
  workerPool,
} from './worker-crash-support.js';

/**
 * Integrity of the writes to Klaviyo with real worker processes (JOB_LOCK_SECONDS=1) and the
 * sandbox behind a gate that can hold its answers: the same apply job delivered twice at once
 * (its first attempt frozen with SIGSTOP mid-apply, so BullMQ hands the job to another worker)
 * writes once; two proposals on the same skill instructions applied by two workers at once keep
 * both lines; an apply job carrying another account's id fails without writing and is not retried.
 */

const APPROVER = 'cli:fault-test';
const INSTRUCTIONS = 'Answer from the return policy.\nOffer a teammate when the policy is silent.';
const SCENARIO = ScenarioSchema.parse({
  name: 'apply-integrity',
  agent: { id: 'agent_1' },
  skills: [
    {
      id: 'sk_returns',
      name: 'returns',
      display_name: 'Returns',
      description: 'Explains the return policy.',
      instructions: INSTRUCTIONS,
    },
  ],
  knowledge: [],
});

let redis: Redis;
let stores: Stores;
let queues: Queues;
let sandbox: RunningSandbox;
let gate: SandboxGate;
let account: WorkerAccount;
let direct: KlaviyoClient;
const OTHER_ACCOUNT = `other-${randomUUID().slice(0, 8)}`;
const prefix = `fault-apply-${randomUUID().slice(0, 8)}`;
const pool = workerPool(() => account.env);
const workers = pool.workers;
const startWorker = pool.start;

async function started(worker: CliProcess): Promise<void> {
  await worker.waitForLine((l) => l.json?.['msg'] === 'worker started', 'to start');
}

/**
 * A proposal drafted against the sandbox's config now, approved, and its apply job queued;
 * applied anyway, so two changes to one target both go through (the subject here is the writes).
 */
async function approvedAndQueued(patch: Patch, accountId = account.id): Promise<Proposal> {
  const baseline = baselineFor(patch, await readAgentConfig(direct));
  const draft = makeProposal({
    id: `p_${randomUUID().slice(0, 8)}`,
    accountId: account.id,
    patch,
    baseline,
    diff: renderPatchDiff(patch, baseline),
    placeholders: [],
  });
  await stores.proposals.create(draft);
  const approved = await approveProposal(stores, {
    proposalId: draft.id,
    actor: APPROVER,
    accountConfig: { approvers: [APPROVER] },
    applyAnyway: true,
  });
  await createEnqueue(queues)(
    applyProposalJob,
    { accountId, proposalId: approved.id },
    { jobId: applyJobId(approved) },
  );
  return approved;
}

/** Waits until every proposal has left `approved`/`applying`; returns them. */
async function settled(ids: readonly string[]): Promise<Proposal[]> {
  return waitUntil(
    async () => {
      const all = await Promise.all(ids.map((id) => stores.proposals.get(id)));
      const done = all.every((p) => p !== null && !['approved', 'applying'].includes(p.status));
      return done ? (all as Proposal[]) : undefined;
    },
    {
      what: `proposals ${ids.join(', ')} to settle`,
      timeoutMs: 90_000,
      context: () => workers.map((w) => w.tail(15)).join('\n'),
    },
  );
}

const configWrites = () =>
  gate.requests.filter((r) => isConfigWrite(r.method, r.path.split('?')[0] ?? ''));

beforeAll(async () => {
  redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
  stores = createStores(redis, { prefix });
  queues = createQueues(redis, prefix);
  sandbox = await startSandbox({
    port: 0,
    scenario: SCENARIO,
    rateLimits: 'off',
    indexingDelayMs: 0,
  });
  gate = await startSandboxGate(sandbox.url);
  direct = createKlaviyoClient({
    apiKey: SANDBOX_KEYS.write,
    baseUrl: sandbox.url,
    rateLimits: 'off',
  });
  account = await workerAccount({
    redisUrl: inject('redisUrl'),
    prefix,
    baseUrl: gate.url,
    rateLimitScale: 1,
    approver: APPROVER,
    extraEnv: { JOB_LOCK_SECONDS: '1', KLAVIYO_RATE_LIMITS: 'off' },
  });
  // A second account on the same store, for the apply job that names the wrong one.
  const file = account.env['ACCOUNTS_FILE'] ?? '';
  const accounts = JSON.parse(await readFile(file, 'utf8')) as { accounts: { id: string }[] };
  const first = accounts.accounts[0];
  await writeFile(file, JSON.stringify({ accounts: [first, { ...first, id: OTHER_ACCOUNT }] }));
});

afterEach(async () => {
  gate.release();
  for (const worker of workers.splice(0)) {
    worker.child.kill('SIGCONT');
    await worker.kill('SIGKILL');
  }
});

afterAll(async () => {
  await Promise.all([gate?.close(), sandbox?.close()]);
  await queues?.closeAll();
  if (redis && account) {
    await deleteTestKeys(redis, prefix, account.id);
    await deleteTestKeys(redis, prefix, OTHER_ACCOUNT);
  }
  redis?.disconnect();
  await account?.cleanup();
});

describe('writes to Klaviyo under concurrency, with real worker processes', () => {
  it('the same apply job run twice at once (lock of 1 s) writes once', async () => {
    const snippet = { title: 'Gift returns', content: 'Gift returns get store credit.' };
    // The first attempt's read of the target is held: it has claimed but not written yet.
    let holds = 0;
    gate.holdAnswers(
      (method, path) => method === 'GET' && path === '/api/agent-knowledge' && holds++ === 0,
    );
    const first = startWorker();
    const proposal = await approvedAndQueued({ kind: 'knowledge.create', snippet });
    await waitUntil(() => gate.held().length > 0 || undefined, {
      what: 'the first attempt to read the target',
      timeoutMs: 60_000,
      context: () => first.tail(),
    });
    // The first attempt freezes (SIGSTOP): its job lock and target lease run out, and BullMQ
    // hands the same job (same id) to the second worker.
    first.child.kill('SIGSTOP');
    startWorker();
    const [applied] = await settled([proposal.id]);
    expect(applied?.status).toBe('applied');

    // The frozen attempt resumes with the read it was waiting for (the target without the
    // snippet) and must not write: a newer attempt holds the target.
    gate.release();
    first.child.kill('SIGCONT');
    const ended = await first.waitForLine(
      (l) => l.json?.['queue'] === 'apply' && /^job (done|failed)/.test(String(l.json['msg'])),
      'the resumed attempt to end',
    );
    expect(configWrites().map((w) => `${w.method} ${w.path}`)).toEqual([
      'POST /api/agent-knowledge',
    ]);
    const titled = (await direct.knowledge.list().toArray()).filter(
      (k) =>
        k.attributes.source.source_type === 'snippet' &&
        k.attributes.source.title === snippet.title,
    );
    expect(titled.map((k) => k.id)).toEqual([applied?.result.resourceId]);
    const audit = await stores.audit.list({ proposalId: proposal.id });
    expect(audit.map((e) => e.type)).toEqual(['approved', 'applied']);
    expect(ended.json?.['code']).toBe('apply_stopped');
  });

  it('two proposals on the same instructions applied by two workers at once: both lines stay', async () => {
    const lines = ['Exchanges are free within 14 days.', 'Sale items are final sale.'];
    const workersUp = [startWorker(), startWorker()];
    await Promise.all(workersUp.map(started));
    // Both attempts' reads are held, so without serialization both would write what they read.
    gate.holdAnswers((method, path) => method === 'GET' && path === '/api/agent-skills/sk_returns');
    const writesBefore = configWrites().length;
    const proposals = await Promise.all(
      lines.map((line) =>
        approvedAndQueued({
          kind: 'skill.update',
          skillId: 'sk_returns',
          changes: { instructions: `${INSTRUCTIONS}\n\n${line}` },
        }),
      ),
    );
    // Release once both reads are held, or once the second found the target held and waits.
    await waitUntil(
      async () => {
        if (gate.held().length >= 2) return true;
        const jobs = await queues.apply.getJobs(['delayed', 'wait']);
        return jobs.some((j) => j.failedReason?.includes('waits: its target')) || undefined;
      },
      {
        what: 'both applies to reach the target',
        timeoutMs: 60_000,
        context: () => workersUp.map((w) => w.tail(10)).join('\n'),
      },
    );
    gate.release();
    const done = await settled(proposals.map((p) => p.id));

    const text = String((await direct.skills.get('sk_returns')).attributes.instructions);
    expect(text.startsWith(INSTRUCTIONS)).toBe(true);
    for (const [i, proposal] of done.entries()) {
      // Never a lost line: an applied proposal's line is there; otherwise it ended in conflict.
      if (proposal.status === 'applied') expect(text).toContain(lines[i]);
      else expect(proposal.status).toBe('conflict');
    }
    // With the second applied on top of the first, both are applied.
    expect(done.map((p) => p.status)).toEqual(['applied', 'applied']);
    expect(configWrites().length - writesBefore).toBe(2);
  });

  it("an apply job carrying another account's id fails without writing, and is not retried", async () => {
    const worker = startWorker();
    const writesBefore = configWrites().length;
    const proposal = await approvedAndQueued(
      {
        kind: 'skill.update',
        skillId: 'sk_returns',
        changes: { description: 'Explains the return policy and the return windows.' },
      },
      OTHER_ACCOUNT,
    );
    const job = await waitUntil(
      async () => {
        const found = (await queues.apply.getFailed(0, -1)).find(
          (j) => (j.data as { proposalId?: string }).proposalId === proposal.id,
        );
        if (
          found === undefined &&
          (await stores.proposals.get(proposal.id))?.status !== 'approved'
        ) {
          throw new StopWaiting('the proposal moved: the job was not refused');
        }
        return found;
      },
      { what: 'the apply job to fail', timeoutMs: 60_000, context: () => worker.tail() },
    );
    expect(job.failedReason).toContain(`belongs to account "${account.id}"`);
    expect(job.attemptsMade).toBe(1);
    expect(configWrites().length).toBe(writesBefore);
    expect((await stores.proposals.get(proposal.id))?.status).toBe('approved');
  });
});
