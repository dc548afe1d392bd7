import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentContext } from '../../../src/llm/agent-context.js';
import { BudgetGuard, TokenLedger } from '../../../src/llm/ledger.js';
import { diagnoseSnapshots, type DiagnoseLlmOptions } from '../../../src/loop/diagnose/diagnose.js';
import type { RulesContext } from '../../../src/loop/diagnose/offline-diagnoser.js';
import { createStores, type Stores } from '../../../src/store/index.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic-server.js';
import { clientFor, diagnosisAnswer } from '../llm/helpers.js';
import { deleteKeys, testRedis, uniquePrefix } from '../queue/redis-helpers.js';
import type { ConversationSnapshot } from '../../../src/domain/snapshot.js';

const CONTEXT: RulesContext = {
  skills: [
    {
      id: 'sk_returns',
      name: 'Returns',
      description: 'Explains the return policy and return windows.',
      handoff: 'offer',
    },
    {
      id: 'sk_orders',
      name: 'Order Tracking',
      description: 'Tracks orders and deliveries.',
      handoff: 'none',
    },
  ],
  knowledge: [
    {
      id: 'kn_1',
      title: 'Return policy',
      content: 'Unused items can be returned within 30 days for a full refund.',
    },
  ],
  escalationRules: [],
};

const AGENT_CONTEXT: AgentContext = {
  skills: CONTEXT.skills.map(({ id, name, description, handoff }) => ({
    id,
    name,
    description,
    handoff,
  })),
  knowledge: [{ id: 'kn_1', title: 'Return policy' }],
  escalationRules: [],
  communicationStyles: [],
  tone: null,
};

type Turns = [role: 'user' | 'agent', content: string][];

function snapshot(
  id: string,
  status: string,
  turns: Turns,
  updatedAt = '2026-11-20T10:05:00.000Z',
): ConversationSnapshot {
  const at = '2026-11-20T10:00:00.000Z';
  return {
    conversation: {
      type: 'customer-agent-conversation',
      id,
      attributes: { status, created_at: at, updated_at: updatedAt },
    },
    messages: turns.map(([role, content], i) => ({
      type: 'customer-agent-message',
      id: `${id}-m${i + 1}`,
      attributes: { role, content, created_at: at, updated_at: at },
    })),
  } as ConversationSnapshot;
}

const THANKED: Turns = [
  ['user', 'Can I return unused items?'],
  ['agent', 'Yes, unused items can be returned within 30 days for a full refund.'],
  ['user', 'Great, thanks!'],
];

/** Two successes, then a knowledge gap, a missed escalation and an open chat (triaged). */
const SNAPSHOTS = [
  snapshot('ok-1', 'resolved-by-ai', THANKED),
  snapshot('ok-2', 'closed', THANKED),
  snapshot('gap', 'closed', [
    ['user', 'Can I return an item bought in Canada?'],
    ['agent', "I'm not sure about that, sorry."],
  ]),
  snapshot('person', 'closed', [
    ['user', 'Where is my order?'],
    ['agent', 'It ships tomorrow.'],
    ['user', 'Can I talk to a real person?'],
    ['agent', "I'm sorry, I'm not able to connect you with a person."],
  ]),
  snapshot('open', 'open', [
    ['user', 'Can I return unused items?'],
    ['agent', 'Yes, within 30 days.'],
  ]),
];
const TRIAGED = ['gap', 'person', 'open'];

async function* stream<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

describe('diagnoseSnapshots', () => {
  let redis: Redis;
  let prefix: string;
  let stores: Stores;
  let fake: FakeAnthropic;

  beforeEach(async () => {
    redis = testRedis();
    prefix = uniquePrefix('diagnose');
    stores = createStores(redis, { prefix });
    fake = await startFakeAnthropic({ respond: () => ({ toolInput: diagnosisAnswer() }) });
  });

  afterEach(async () => {
    await fake.close();
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  const run = (
    snapshots: Iterable<ConversationSnapshot> | AsyncIterable<ConversationSnapshot>,
    llm?: DiagnoseLlmOptions,
  ) =>
    diagnoseSnapshots({
      accountId: 'acct-1',
      runId: 'run-1',
      snapshots,
      context: CONTEXT,
      stores,
      llm,
    });

  const llmOptions = (overrides: Partial<DiagnoseLlmOptions> = {}): DiagnoseLlmOptions => ({
    client: clientFor(fake),
    agentContext: AGENT_CONTEXT,
    mode: 'direct',
    successSample: 0,
    ...overrides,
  });

  it('stores one rules diagnosis per conversation version, and a rerun skips them', async () => {
    const progress: number[] = [];
    const first = await diagnoseSnapshots({
      accountId: 'acct-1',
      runId: 'run-1',
      snapshots: stream([...SNAPSHOTS, SNAPSHOTS[0] as ConversationSnapshot]),
      context: CONTEXT,
      stores,
      onProgress: (p) => progress.push(p.seen),
    });
    expect(first).toMatchObject({
      diagnosed: 5,
      skipped: 1,
      byOutcome: { success: 2, failure: 2, uncertain: 1 },
      byCategory: { knowledge_gap: 1, missed_escalation: 1 },
      byDiagnoser: { rules: 5, claude: 0 },
      sentToClaude: 0,
    });
    expect(first.usage).toBeUndefined();
    expect(progress.at(-1)).toBe(6);
    const stored = await stores.diagnoses.get('acct-1', 'gap', '2026-11-20T10:05:00.000Z');
    expect(stored?.diagnosis).toMatchObject({ diagnoser: 'rules', category: 'knowledge_gap' });

    const rerun = await run(SNAPSHOTS);
    expect(rerun).toMatchObject({ diagnosed: 0, skipped: 5 });

    // A conversation that changed since is diagnosed again.
    const changed = snapshot('gap', 'closed', THANKED, '2026-11-20T11:00:00.000Z');
    expect(await run([changed])).toMatchObject({ diagnosed: 1, skipped: 0 });
  });

  it('sends only triaged conversations to Claude and stores its diagnoses', async () => {
    const summary = await run(SNAPSHOTS, llmOptions());
    expect(fake.stats().messages).toBe(TRIAGED.length);
    const sent = fake.requests().map((r) => r.lastUserText);
    expect(sent.some((t) => t.includes('Great, thanks!'))).toBe(false);
    expect(summary).toMatchObject({
      diagnosed: 5,
      sentToClaude: 3,
      claudeFailures: 0,
      byDiagnoser: { rules: 2, claude: 3 },
    });
    expect(summary.usage?.calls).toBe(3);
    expect(summary.stoppedBy).toBeUndefined();
    for (const id of TRIAGED) {
      const stored = await stores.diagnoses.get('acct-1', id);
      expect(stored?.diagnosis.diagnoser).toBe('claude');
    }
    expect((await stores.diagnoses.get('acct-1', 'ok-1'))?.diagnosis.diagnoser).toBe('rules');

    // A rerun finds every version diagnosed before spending a token.
    expect(await run(SNAPSHOTS, llmOptions())).toMatchObject({ diagnosed: 0, skipped: 5 });
    expect(fake.stats().messages).toBe(TRIAGED.length);
  });

  it('samples successes for Claude when asked to', async () => {
    const summary = await run(SNAPSHOTS, llmOptions({ successSample: 1 }));
    expect(fake.stats().messages).toBe(SNAPSHOTS.length);
    expect(summary.byDiagnoser).toEqual({ rules: 0, claude: 5 });
  });

  it('uses the Message Batches API in batch mode', async () => {
    const summary = await run(SNAPSHOTS, llmOptions({ mode: 'batch', pollMs: 1 }));
    expect(fake.stats()).toMatchObject({ batches: 1, batchItems: TRIAGED.length });
    expect(summary.byDiagnoser).toEqual({ rules: 2, claude: 3 });
  });

  it('falls back to the rules when Claude refuses the key', async () => {
    await fake.close();
    fake = await startFakeAnthropic({ apiKey: 'sk-ant-another-key' });
    const summary = await run(SNAPSHOTS, llmOptions());
    expect(fake.stats().requests).toBe(1);
    expect(summary).toMatchObject({
      diagnosed: 5,
      sentToClaude: 3,
      claudeFailures: 3,
      byDiagnoser: { rules: 5, claude: 0 },
      stoppedBy: 'api_error',
    });
    const stored = await stores.diagnoses.get('acct-1', 'person');
    expect(stored?.diagnosis).toMatchObject({ diagnoser: 'rules', category: 'missed_escalation' });
  });

  it('stops calling Claude once the budget is spent and keeps the rules diagnoses', async () => {
    const ledger = new TokenLedger();
    const budget = new BudgetGuard({ ledger, budgetUsd: 1e-9 });
    const client = clientFor(fake, { ledger, budget });
    const summary = await run(SNAPSHOTS, llmOptions({ client, chunkSize: 2 }));
    // The first call spends the budget; its chunk-mate is refused, the last chunk never sent.
    expect(fake.stats().messages).toBe(1);
    expect(summary).toMatchObject({
      diagnosed: 5,
      sentToClaude: 2,
      claudeFailures: 1,
      byDiagnoser: { rules: 4, claude: 1 },
      stoppedBy: 'budget',
    });
    expect((await stores.diagnoses.get('acct-1', 'open'))?.diagnosis.diagnoser).toBe('rules');
  });
});
