import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createKlaviyoClient,
  KlaviyoApiError,
  type KlaviyoClient,
} from '../../../src/klaviyo/index.js';
import { createLlmClient } from '../../../src/llm/index.js';
import { readAgentConfig } from '../../../src/patches/agent-config.js';
import { approveProposal } from '../../../src/loop/approve/transitions.js';
import { applyProposal } from '../../../src/loop/apply/apply.js';
import type { FailureCategory } from '../../../src/domain/diagnosis.js';
import type { Patch } from '../../../src/patches/patch.js';
import type { Proposal } from '../../../src/domain/proposal.js';
import { baselineFor } from '../../../src/patches/baseline.js';
import { verifyProposal } from '../../../src/loop/verify/verify.js';
import { planImpactCheck } from '../../../src/queue/contracts/impact-check.js';
import {
  DEMO_FIXES,
  demoGroundTruth,
  generateDemoScenario,
  SANDBOX_KEYS,
  startSandbox,
  type DemoGroundTruth,
  type RunningSandbox,
} from '../../../src/sandbox/index.js';
import { createStores, type Stores } from '../../../src/store/index.js';
import { deleteKeys, uniquePrefix } from '../queue/redis-helpers.js';
import { makeProposal } from '../store/fixtures.js';
import { startFakeAnthropic } from '../../fakes/anthropic-server.js';

const ACCOUNT = 'acct-verify';
const NOW = new Date('2026-11-21T09:00:00.000Z');
/** Evidence conversations per finding: enough to show k of n, few enough to stay fast. */
const EVIDENCE = 4;

let redis: Redis;
let sandbox: RunningSandbox;
let client: KlaviyoClient;
let stores: Stores;
let prefix: string;
let truth: DemoGroundTruth;

beforeAll(async () => {
  redis = new Redis(inject('redisUrl'));
  prefix = uniquePrefix('verify');
  stores = createStores(redis, { prefix });
  sandbox = await startSandbox({ port: 0, rateLimits: 'off', indexingDelayMs: 0, now: () => NOW });
  truth = demoGroundTruth(generateDemoScenario({ now: NOW }));
  client = createKlaviyoClient({
    apiKey: SANDBOX_KEYS.write,
    baseUrl: sandbox.url,
    rateLimits: 'off',
    maxRetries: 0,
  });
});
afterAll(async () => {
  await sandbox.close();
  await deleteKeys(redis, prefix);
  await redis.quit();
});

/** Pulls the conversations into the snapshot store, as the pull job would. */
async function snapshot(ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    const conversation = await client.conversations.get(id);
    const messages = await client.conversations.messages(id).toArray();
    await stores.snapshots.putIfChanged(ACCOUNT, { conversation, messages });
  }
}

async function proposalFor(
  patch: Patch,
  category: FailureCategory,
  topic: string,
  conversationIds: string[],
): Promise<Proposal> {
  const view = await readAgentConfig(client);
  const base = makeProposal({ accountId: ACCOUNT });
  const proposal = makeProposal({
    id: `p_${category}`,
    accountId: ACCOUNT,
    patch,
    baseline: baselineFor(patch, view),
    finding: { ...base.finding, accountId: ACCOUNT, category, topic, conversationIds },
  });
  return (await stores.proposals.create(proposal)).proposal;
}

async function approveAndApply(proposal: Proposal): Promise<Proposal> {
  await approveProposal(stores, {
    proposalId: proposal.id,
    actor: 'cli:tester',
    accountConfig: { approvers: [] },
  });
  expect(await applyProposal({ proposalId: proposal.id, client, stores })).toBe('applied');
  const applied = await stores.proposals.get(proposal.id);
  if (applied === null) throw new Error('proposal vanished');
  return applied;
}

describe('verifyProposal (rules judge, demo sandbox)', () => {
  it('knowledge gap: the evidence replays fail before the snippet and all pass after', async () => {
    const ids = truth.conversations['knowledge-gap'].slice(0, EVIDENCE);
    await snapshot(ids);
    const fix = DEMO_FIXES['knowledge-gap'];
    const proposal = await proposalFor(
      { kind: 'knowledge.create', snippet: { ...fix.snippet } },
      'knowledge_gap',
      fix.topic,
      ids,
    );

    const before = await verifyProposal({ proposal, client, stores, judge: 'rules' });
    expect(before).toMatchObject({ fixed: 0, total: EVIDENCE });
    expect(before.details[0]?.reason).toContain('lacks the facts');

    const applied = await approveAndApply(proposal);
    const after = await verifyProposal({ proposal: applied, client, stores, judge: 'rules' });
    expect(after).toMatchObject({ fixed: EVIDENCE, total: EVIDENCE });
    expect(after.details.every((d) => d.judge === 'rules' && d.turns > 0)).toBe(true);
  });

  it('wrong skill: the warranty description fix routes the replays to warranty answers', async () => {
    const ids = truth.conversations['misrouted-skill'].slice(0, EVIDENCE);
    await snapshot(ids);
    const fix = DEMO_FIXES['misrouted-skill'];
    const proposal = await proposalFor(
      {
        kind: 'skill.update',
        skillId: 'custom:agent_104',
        changes: { description: fix.description },
      },
      'wrong_skill',
      'warranty claims',
      ids,
    );
    expect((await verifyProposal({ proposal, client, stores, judge: 'rules' })).fixed).toBe(0);
    const applied = await approveAndApply(proposal);
    const after = await verifyProposal({ proposal: applied, client, stores, judge: 'rules' });
    expect(after).toMatchObject({ fixed: EVIDENCE, total: EVIDENCE });
  });

  it('replays in preview mode: nothing is stored as a conversation', async () => {
    const countConversations = async () => (await client.conversations.list().toArray()).length;
    const stored = await countConversations();
    const turnsBefore = Object.values(
      sandbox.stats().byOperation['create_customer_agent_response_beta'] ?? {},
    ).reduce((a, b) => a + b, 0);
    const proposal = await stores.proposals.get('p_knowledge_gap');
    if (proposal === null) throw new Error('run after the knowledge-gap test');
    await verifyProposal({ proposal, client, stores, judge: 'rules' });
    const turnsAfter = Object.values(
      sandbox.stats().byOperation['create_customer_agent_response_beta'] ?? {},
    ).reduce((a, b) => a + b, 0);
    expect(turnsAfter).toBeGreaterThan(turnsBefore);
    expect(await countConversations()).toBe(stored);

    const preview = await client.responses.create({
      mode: 'preview',
      messages: [{ role: 'user', content: 'What is the return window?' }],
    });
    await expect(client.conversations.get(preview.attributes.conversation_id)).rejects.toSatisfy(
      (e) => e instanceof KlaviyoApiError && e.status === 404,
    );
  });

  it('judges with Claude when configured, showing it the replayed replies as fenced data', async () => {
    const fake = await startFakeAnthropic();
    try {
      const llm = createLlmClient({
        apiKey: 'sk-ant-test-0123456789',
        baseURL: fake.url,
        models: {
          diagnose: 'claude-haiku-4-5',
          draft: 'claude-sonnet-4-6',
          judge: 'claude-haiku-4-5',
        },
        maxRetries: 0,
        timeoutMs: 10_000,
      });
      fake.script([
        { toolInput: { reason: 'It now gives the window.', handled: true } },
        { toolInput: { reason: 'Still vague.', handled: false } },
      ]);
      const proposal = await stores.proposals.get('p_knowledge_gap');
      if (proposal === null) throw new Error('run after the knowledge-gap test');
      const result = await verifyProposal({
        proposal,
        client,
        stores,
        judge: { llm, runId: 'verify-test' },
        maxConversations: 2,
      });
      expect(result).toMatchObject({ fixed: 1, total: 2 });
      expect(result.details.map((d) => [d.judge, d.reason])).toEqual([
        ['claude', 'It now gives the window.'],
        ['claude', 'Still vague.'],
      ]);
      const request = fake.requests()[0];
      expect(request?.lastUserText).toContain('[reply to shopper turn 1]');
      expect(request?.lastUserText).toContain('30 days of delivery');
    } finally {
      await fake.close();
    }
  });

  it('skips evidence without a snapshot instead of counting it', async () => {
    const proposal = await proposalFor(
      { kind: 'knowledge.create', snippet: { title: 'Unrelated', content: 'Nothing.' } },
      'other',
      'nothing',
      ['no-such-conversation'],
    );
    const result = await verifyProposal({ proposal, client, stores, judge: 'rules' });
    expect(result).toMatchObject({ fixed: 0, total: 0 });
    expect(result.details[0]).toMatchObject({
      handled: null,
      reason: expect.stringContaining('snapshot'),
    });
  });

  it('plans the impact check as a deterministic delayed job', async () => {
    const proposal = await stores.proposals.get('p_knowledge_gap');
    if (proposal === null) throw new Error('run after the knowledge-gap test');
    const appliedAt = Date.parse(proposal.result.appliedAt ?? '');
    const plan = planImpactCheck(proposal, { afterDays: 7, now: new Date(appliedAt + 60_000) });
    expect(plan).toMatchObject({
      job: 'impact-check',
      payload: { accountId: ACCOUNT, proposalId: proposal.id, windowDays: 7 },
      // Per apply: a proposal applied again later gets its own check.
      jobId: `impact-check--${proposal.id}--${appliedAt}`,
      delayMs: 7 * 24 * 60 * 60 * 1000 - 60_000,
    });
    const pending = makeProposal();
    expect(() => planImpactCheck(pending, { afterDays: 7 })).toThrow(/only an applied proposal/);
  });
});
