import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKlaviyoClient, type KlaviyoClient } from '../../../src/klaviyo/index.js';
import { readAgentConfig } from '../../../src/patches/agent-config.js';
import { baselineFor } from '../../../src/patches/baseline.js';
import type { Patch } from '../../../src/patches/patch.js';
import type { ConversationSnapshot } from '../../../src/domain/snapshot.js';
import type { Finding } from '../../../src/domain/finding.js';
import { ALL_PATCH_KINDS } from '../../../src/loop/policy/policy.js';
import { synthesize, type SynthesizeInput } from '../../../src/loop/synthesize/synthesize.js';
import { createReproducer } from '../../../src/loop/verify/reproduce.js';
import { addVerifiedCases } from '../../../src/loop/verify/suite-cases.js';
import { checkRegressions } from '../../../src/loop/verify/regression-check.js';
import { againstBaseline, verifyProposal } from '../../../src/loop/verify/verify.js';
import { approveProposal } from '../../../src/loop/approve/transitions.js';
import { applyProposal } from '../../../src/loop/apply/apply.js';
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
import { makeDiagnosis, makeProposal } from '../store/fixtures.js';
import { runCli } from '../../faults/support/cli.js';

/**
 * Reproduce before proposing, verify against that baseline, on the demo sandbox: a finding's
 * evidence is replayed against the live configuration before its proposal is stored, and after
 * the apply "fixed" counts only the conversations that failed at that baseline.
 */

const ACCOUNT = 'acct-reproduce';
const NOW = new Date('2026-11-21T09:00:00.000Z');
const WINDOW = { from: '2026-10-20T00:00:00.000Z', to: NOW.toISOString() };
const GAP = DEMO_FIXES['knowledge-gap'];

let redis: Redis;
let truth: DemoGroundTruth;

beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
  truth = demoGroundTruth(generateDemoScenario({ now: NOW }));
});
afterAll(async () => {
  await redis.quit();
});

/** A demo sandbox of its own (tests change its configuration) and the write key's client. */
async function demoSandbox(): Promise<{ sandbox: RunningSandbox; client: KlaviyoClient }> {
  const sandbox = await startSandbox({
    port: 0,
    rateLimits: 'off',
    indexingDelayMs: 0,
    now: () => NOW,
  });
  const client = createKlaviyoClient({
    apiKey: SANDBOX_KEYS.write,
    baseUrl: sandbox.url,
    rateLimits: 'off',
    maxRetries: 0,
  });
  return { sandbox, client };
}

/** Pulls the conversations into the snapshot store, as the pull job would. */
async function snapshot(client: KlaviyoClient, stores: Stores, ids: readonly string[]) {
  for (const id of ids) {
    const conversation = await client.conversations.get(id);
    const messages = await client.conversations.messages(id).toArray();
    await stores.snapshots.putIfChanged(ACCOUNT, { conversation, messages });
  }
}

/** Stores a knowledge-gap diagnosis per conversation, as the diagnose job would. */
async function diagnoseAsGap(stores: Stores, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    const stored = await stores.snapshots.get(ACCOUNT, id);
    const at = String(stored?.conversation.attributes['created_at']);
    await stores.diagnoses.put(ACCOUNT, {
      conversationId: id,
      conversationCreatedAt: at,
      conversationUpdatedAt: at,
      diagnosis: makeDiagnosis(id, { topic: GAP.topic, skillId: null }),
    });
  }
}

/** A responses client that counts the preview turns of each conversation it is asked to run. */
function countingClient(client: KlaviyoClient) {
  const firstTurns: string[] = [];
  return {
    firstTurns,
    responses: {
      create: (body: Parameters<KlaviyoClient['responses']['create']>[0]) => {
        firstTurns.push(body.messages[0]?.content ?? '');
        return client.responses.create(body);
      },
    },
  };
}

describe('reproduce before proposing (synthesis, rules judge)', () => {
  let sandbox: RunningSandbox;
  let client: KlaviyoClient;
  const prefixes: string[] = [];
  const ids = () => truth.conversations['knowledge-gap'].slice(0, 3);

  beforeAll(async () => {
    ({ sandbox, client } = await demoSandbox());
  });
  afterAll(async () => {
    await sandbox.close();
    for (const prefix of prefixes) await deleteKeys(redis, prefix);
  });

  /** A fresh store holding the three conversations and their knowledge-gap diagnoses. */
  async function seeded(): Promise<Stores> {
    const prefix = uniquePrefix('reproduce');
    prefixes.push(prefix);
    const stores = createStores(redis, { prefix, now: () => NOW });
    await snapshot(client, stores, ids());
    await diagnoseAsGap(stores, ids());
    return stores;
  }

  const input = (
    stores: Stores,
    maxReplays: number,
    replays = countingClient(client),
  ): SynthesizeInput => ({
    accountId: ACCOUNT,
    runId: 'run-1',
    client,
    stores,
    window: WINDOW,
    policy: { allowedKinds: ALL_PATCH_KINDS },
    now: () => NOW,
    reproduce: createReproducer({
      accountId: ACCOUNT,
      runId: 'run-1',
      client: replays,
      stores,
      judge: 'rules',
      maxReplays,
      now: () => NOW,
    }),
  });

  it('proposes a finding that still fails, saying it reproduces in k of n', async () => {
    const stores = await seeded();
    const result = await synthesize(input(stores, 30));
    expect(result.proposals).toHaveLength(1);
    const proposal = result.proposals[0];
    expect(proposal?.reproduction).toMatchObject({
      reproduced: 3,
      total: 3,
      checkedAt: NOW.toISOString(),
    });
    expect(proposal?.reproduction?.details.map((d) => [d.failedAtBaseline, d.judge])).toEqual([
      [true, 'rules'],
      [true, 'rules'],
      [true, 'rules'],
    ]);
    expect((await stores.proposals.get(proposal?.id ?? ''))?.reproduction?.reproduced).toBe(3);
  });

  it('proposes without replaying once the run’s cap is spent, and says so', async () => {
    const stores = await seeded();
    const replays = countingClient(client);
    const result = await synthesize(input(stores, 0, replays));
    expect(replays.firstTurns).toEqual([]);
    const reproduction = result.proposals[0]?.reproduction;
    expect(reproduction).toMatchObject({ reproduced: 0, total: 0 });
    expect(reproduction?.details.map((d) => d.reason)).toEqual(
      Array(3).fill("this run's replay cap (0) was spent"),
    );
    expect(result.unreproduced).toEqual([]);
  });

  it('does not propose a finding whose conversations pass against the live configuration', async () => {
    // Someone already added the missing snippet in Klaviyo: the failure no longer happens.
    await client.knowledge.create({ source_type: 'snippet', ...GAP.snippet });
    const stores = await seeded();
    const result = await synthesize(input(stores, 30));

    expect(result.proposals).toEqual([]);
    expect(result.created).toEqual([]);
    const finding = result.findings[0];
    expect(result.skipped).toEqual([
      {
        findingId: finding?.id,
        reason: 'Did not reproduce in 0 of 3 replays against the live configuration.',
      },
    ]);
    expect(await stores.proposals.list({ accountId: ACCOUNT })).toEqual([]);
    // Kept for a person to see, with each replay's verdict.
    const latest = await stores.findings.latest(ACCOUNT);
    expect(latest?.findings.map((f) => f.id)).toEqual([finding?.id]);
    expect(latest?.unreproduced).toEqual([
      {
        findingId: finding?.id,
        reproduction: expect.objectContaining({ reproduced: 0, total: 3 }),
      },
    ]);
    expect(latest?.unreproduced[0]?.reproduction.details.every((d) => !d.failedAtBaseline)).toBe(
      true,
    );
  });
});

describe('the per-run replay cap', () => {
  it('counts replays across findings, and runs no turn of a conversation past it', async () => {
    const { sandbox, client } = await demoSandbox();
    const prefix = uniquePrefix('reproduce-cap');
    try {
      const stores = createStores(redis, { prefix, now: () => NOW });
      const gap = truth.conversations['knowledge-gap'].slice(0, 3);
      const routed = truth.conversations['misrouted-skill'].slice(0, 3);
      await snapshot(client, stores, [...gap, ...routed]);
      const replays = countingClient(client);
      const reproduce = createReproducer({
        accountId: ACCOUNT,
        runId: 'run-cap',
        client: replays,
        stores,
        judge: 'rules',
        maxReplays: 4,
      });
      const finding = (id: string, conversationIds: string[]): Finding => ({
        ...makeProposal().finding,
        id,
        accountId: ACCOUNT,
        conversationIds,
      });

      const first = await reproduce(finding('f_gap', gap));
      const second = await reproduce(finding('f_routed', routed));

      expect(first.total).toBe(3);
      expect(second.total).toBe(1);
      expect(second.details.slice(1).map((d) => [d.failedAtBaseline, d.reason])).toEqual([
        [null, "this run's replay cap (4) was spent"],
        [null, "this run's replay cap (4) was spent"],
      ]);
      // Every responses call belongs to one of the four admitted conversations.
      const firstTurnOf = async (id: string) =>
        (await stores.snapshots.get(ACCOUNT, id))?.messages.find(
          (m) => m.attributes.role === 'user',
        )?.attributes.content;
      const admitted = await Promise.all([...gap, ...routed.slice(0, 1)].map(firstTurnOf));
      const capped = await Promise.all(routed.slice(1).map(firstTurnOf));
      expect(new Set(replays.firstTurns)).toEqual(new Set(admitted));
      expect(replays.firstTurns.some((t) => capped.includes(t))).toBe(false);
    } finally {
      await sandbox.close();
      await deleteKeys(redis, prefix);
    }
  });
});

describe('verify against the baseline', () => {
  let sandbox: RunningSandbox;
  let client: KlaviyoClient;
  let stores: Stores;
  let prefix: string;

  beforeAll(async () => {
    ({ sandbox, client } = await demoSandbox());
    prefix = uniquePrefix('reproduce-verify');
    stores = createStores(redis, { prefix });
  });
  afterAll(async () => {
    await sandbox.close();
    await deleteKeys(redis, prefix);
  });

  /** A conversation written for the test: one shopper question. */
  async function storeQuestion(id: string, text: string): Promise<void> {
    const at = '2026-11-20T10:00:00.000Z';
    const conversation = {
      conversation: {
        id,
        attributes: { status: 'resolved-by-ai', created_at: at, updated_at: at },
      },
      messages: [
        {
          id: `${id}-m1`,
          attributes: { role: 'user', content: text, created_at: at, updated_at: at },
        },
      ],
    } as unknown as ConversationSnapshot;
    await stores.snapshots.putIfChanged(ACCOUNT, conversation);
  }

  it('counts as fixed only what failed at the baseline, and counts what it newly breaks', async () => {
    // Two conversations the broad refund rule hands off for nothing, one the agent answers now
    // and the change will break (it narrows the rule onto its words), one it answers throughout.
    const escalated = truth.conversations['unnecessary-escalation'].slice(0, 2);
    await snapshot(client, stores, escalated);
    await storeQuestion('c-gift', 'Do your gift cards expire? How do I check a gift card balance?');
    await storeQuestion('c-hours', 'What are your store hours on Sunday?');
    const patch: Patch = {
      kind: 'agent.escalation-rule.edit',
      title: 'Refund requests',
      rule: {
        title: 'Refund requests',
        description: 'Hand off whenever the shopper mentions a "gift card".',
        status: 'enabled',
      },
    };
    const base = makeProposal();
    const finding: Finding = {
      ...base.finding,
      id: 'f_refund_rule',
      accountId: ACCOUNT,
      category: 'unnecessary_escalation',
      topic: 'refund requests',
      conversationIds: [...escalated, 'c-gift', 'c-hours'],
    };

    // What synthesis does before storing it: the evidence against the live configuration.
    const reproduce = createReproducer({
      accountId: ACCOUNT,
      runId: 'run-verify',
      client,
      stores,
      judge: 'rules',
      maxReplays: 30,
    });
    const reproduction = await reproduce(finding);
    expect(reproduction).toMatchObject({ reproduced: 2, total: 4 });
    const { proposal } = await stores.proposals.create(
      makeProposal({
        id: 'p_refund_rule',
        accountId: ACCOUNT,
        finding,
        patch,
        baseline: baselineFor(patch, await readAgentConfig(client)),
        reproduction,
      }),
    );

    await approveProposal(stores, {
      proposalId: proposal.id,
      actor: 'cli:tester',
      accountConfig: { approvers: [] },
    });
    expect(await applyProposal({ proposalId: proposal.id, client, stores })).toBe('applied');
    const applied = await stores.proposals.get(proposal.id);
    if (applied === null) throw new Error('proposal vanished');
    const result = await verifyProposal({ proposal: applied, client, stores, judge: 'rules' });

    expect(result).toMatchObject({
      against: 'baseline',
      fixed: 2,
      total: 2,
      newlyBroken: 1,
      stillFailing: 0,
      baselineMissing: 0,
    });
    expect(result.details.map((d) => [d.conversationId, d.outcome])).toEqual([
      [escalated[0], 'fixed'],
      [escalated[1], 'fixed'],
      ['c-gift', 'newly-broken'],
      ['c-hours', 'still-passing'],
    ]);
    // Without the baseline, the conversation that always passed would count as fixed.
    expect(againstBaseline(result.details, undefined)).toMatchObject({
      against: 'none',
      fixed: 3,
      total: 4,
    });

    // The regression suite takes what this change fixed, not what passed all along.
    await addVerifiedCases({ proposal: applied, details: result.details, stores, now: NOW });
    const cases = await stores.regressionSuite.list(ACCOUNT);
    expect(cases.map((c) => c.conversationId).sort()).toEqual([...escalated].sort());

    // What the verify and regression-check jobs record, and what `proposals show` prints.
    const regression = await checkRegressions({ proposal: applied, client, stores, now: NOW });
    await stores.proposals.transition(proposal.id, {
      from: 'applied',
      to: 'applied',
      actor: 'system',
      result: { ...applied.result, replay: result, regression },
      audit: false,
    });
    const env = {
      REDIS_URL: inject('redisUrl'),
      QUEUE_PREFIX: prefix,
      KLAVIYO_API_KEY: SANDBOX_KEYS.read,
      KLAVIYO_BASE_URL: sandbox.url,
    };
    const json = await runCli(['proposals', 'show', proposal.id, '--json'], env);
    expect(json.stderr).toBe('');
    const shown = JSON.parse(json.stdout) as typeof applied;
    expect(shown.status).toBe('applied');
    expect(shown.reproduction).toEqual(reproduction);
    expect(shown.result.replay).toMatchObject({
      against: 'baseline',
      fixed: 2,
      total: 2,
      newlyBroken: 1,
    });
    expect(shown.result.replay?.details).toHaveLength(4);
    expect(shown.result.regression).toEqual(regression);

    const text = await runCli(['proposals', 'show', proposal.id], env);
    expect(text.stdout).toContain('Reproduces in 2 of 4 replays against the live configuration.');
    expect(text.stdout).toContain(
      'Replay against the baseline: fixed 2 of 2 that failed at the baseline, 1 newly broken.',
    );
    expect(text.stdout).toContain('[c-gift] newly-broken');
  });
});
