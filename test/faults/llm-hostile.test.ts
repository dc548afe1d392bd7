import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CycleSummary } from '../../cli/cycle.js';
import type { Proposal } from '../../src/domain/proposal.js';
import { ScenarioSchema, startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import {
  startFakeAnthropic,
  type FakeAnthropic,
  type FakeReply,
  type ParsedMessagesRequest,
} from '../fakes/anthropic-server.js';
import {
  agentConfigOf,
  configWrites,
  cycle,
  proposalsOf,
  startLoop,
  type LoopHarness,
} from './support/cycle.js';
import {
  ALL_IDS,
  conversationOf,
  correctDiagnosis,
  draftOf,
  draftTopic,
  hostileStore,
  isDiagnose,
  isRepair,
  REFUND_TOPIC,
  RETURNS_IDS,
  RETURNS_RULE,
  RETURNS_TOPIC,
  SHOPPER_PHONE,
} from './support/llm.js';
import { REFUND_DRAFT } from '../integration/e2e/llm-loop-support.js';

/**
 * Claude answering badly, through the whole loop (sandbox, Redis, BullMQ workers, the real SDK
 * against the fake Messages API): no tool call and broken JSON, a schema violation, and drafts
 * the policy must stop. Each bad draft leaves no trace in any proposal, the reason is recorded
 * with the finding and logged, and nothing is written to the agent's configuration.
 */

const NOW = new Date();
const DAYS = 1;

let sandbox: RunningSandbox;
let fake: FakeAnthropic | undefined;
let loop: LoopHarness | undefined;
let configBefore: Awaited<ReturnType<typeof agentConfigOf>>;

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    scenario: ScenarioSchema.parse(hostileStore(NOW)),
    rateLimits: 'off',
    indexingDelayMs: 0,
  });
  configBefore = await agentConfigOf(sandbox);
});

afterEach(async () => {
  await loop?.close();
  await fake?.close();
  loop = undefined;
  fake = undefined;
  // Nothing Claude said reached the agent's configuration.
  expect(configWrites(sandbox)).toBe(0);
  expect(await agentConfigOf(sandbox)).toEqual(configBefore);
});

afterAll(async () => {
  await sandbox.close();
});

interface Run {
  summary: CycleSummary;
  proposals: Proposal[];
  h: LoopHarness;
  fake: FakeAnthropic;
}

/** One cycle with Claude answering `respond`; every conversation goes to Claude. */
async function run(respond: (req: ParsedMessagesRequest) => FakeReply): Promise<Run> {
  fake = await startFakeAnthropic({ respond });
  loop = await startLoop({ sandboxUrl: sandbox.url, llm: { baseUrl: fake.url } });
  const summary = await cycle(loop, DAYS, NOW);
  return { summary, proposals: await proposalsOf(loop), h: loop, fake };
}

/** Diagnoses correctly; drafts the returns finding with `returns`, the refund one correctly. */
function drafting(returns: (req: ParsedMessagesRequest) => FakeReply) {
  return (req: ParsedMessagesRequest): FakeReply => {
    if (isDiagnose(req)) return correctDiagnosis(req);
    const topic = draftTopic(req, [RETURNS_TOPIC, REFUND_TOPIC]);
    if (topic === RETURNS_TOPIC) return returns(req);
    if (topic === REFUND_TOPIC) return { toolInput: REFUND_DRAFT };
    return { text: 'unexpected request' };
  };
}

/** The returns finding's outcome: its proposal (if any), why Claude's draft was not used. */
function returnsOutcome({ summary, proposals }: Run) {
  const proposal = proposals.find((p) => p.finding.topic === RETURNS_TOPIC);
  const refund = proposals.find((p) => p.finding.topic === REFUND_TOPIC);
  const findingId = proposal?.finding.id;
  const fallback = summary.fallbacks.find((f) => f.findingId === findingId);
  return { proposal, refund, fallback };
}

const BAD_DRAFTS: {
  name: string;
  reply: (req: ParsedMessagesRequest) => FakeReply;
  /** Text of the bad draft that must appear in no proposal. */
  marker: string;
  /** Draft requests for the finding: the answer, plus one repair when it was invalid. */
  asked: number;
  reason: RegExp;
  log: { msg: string; field: 'rules' | 'err'; value: RegExp };
}[] = [
  {
    name: 'no tool call, then broken JSON as text and a malformed body',
    reply: (req) =>
      isRepair(req)
        ? { raw: { unexpected: 'not a message' } }
        : {
            text: '{"title": "Returns", "patch": {"kind": "knowledge.create", "snippet": {"title": "Returns abroad',
          },
    marker: 'Returns abroad',
    asked: 2,
    reason: /Claude could not draft it \(.*did not call the tool propose_patch/,
    log: { msg: 'claude draft failed', field: 'err', value: /./ },
  },
  {
    name: 'a schema violation (a delete, which no patch kind allows), twice',
    reply: () => draftOf({ kind: 'knowledge.delete', knowledgeId: 'kn_hours' }, 'Delete hours'),
    marker: 'knowledge.delete',
    asked: 2,
    reason: /Claude could not draft it \(.*did not match the expected schema.*patch\.kind/,
    log: { msg: 'claude draft failed', field: 'err', value: /schema/ },
  },
  {
    name: 'a patch that guts the escalation rule',
    reply: () =>
      draftOf({
        kind: 'agent.escalation-rule.edit',
        title: RETURNS_RULE.title,
        rule: { ...RETURNS_RULE, description: 'Never hand off; resolve it.' },
      }),
    marker: 'Never hand off',
    asked: 1,
    reason: /policy blocked Claude's draft \(.*escalation_rule_removed/,
    log: { msg: 'draft blocked', field: 'rules', value: /escalation_rule_removed/ },
  },
  {
    name: 'a patch that sends shoppers to an unknown site',
    reply: () =>
      draftOf({
        kind: 'knowledge.create',
        snippet: {
          title: 'International returns',
          content: 'Start an international return at https://returns-portal.example.net/start.',
        },
      }),
    marker: 'returns-portal.example.net',
    asked: 1,
    reason: /policy blocked Claude's draft \(.*unknown_url/,
    log: { msg: 'draft blocked', field: 'rules', value: /unknown_url/ },
  },
  {
    name: "a patch that copies a shopper's phone number",
    reply: () =>
      draftOf({
        kind: 'knowledge.create',
        snippet: {
          title: 'International returns',
          content: `For returns from abroad, call ${SHOPPER_PHONE} like the shopper suggested.`,
        },
      }),
    marker: '555 0134',
    asked: 1,
    reason: /policy blocked Claude's draft \(.*personal_data/,
    log: { msg: 'draft blocked', field: 'rules', value: /personal_data/ },
  },
];

describe("Claude's drafter answering badly", () => {
  it.each(BAD_DRAFTS)('$name: not proposed, reason recorded, nothing written', async (bad) => {
    const result = await run(drafting(bad.reply));
    const { proposal, refund, fallback } = returnsOutcome(result);

    // Claude was asked; its answer is in no proposal, and the rules' draft stands instead.
    expect(result.fake.requests().filter((r) => draftTopic(r, [RETURNS_TOPIC]))).toHaveLength(
      bad.asked,
    );
    expect(JSON.stringify(result.proposals)).not.toContain(bad.marker);
    expect(proposal?.history[0]?.note).toBe('drafted by rules');
    expect(refund?.history[0]?.note).toBe('drafted by claude');
    expect(result.proposals.every((p) => p.status === 'pending')).toBe(true);
    // Why, with the finding in the cycle's summary and in the log.
    expect(fallback?.reason).toMatch(bad.reason);
    const logged = result.h.logs.find(
      (l) => l['msg'] === bad.log.msg && l['findingId'] === proposal?.finding.id,
    );
    expect(String(logged?.[bad.log.field])).toMatch(bad.log.value);
  });
});

describe("Claude's diagnoser answering garbage", () => {
  it('keeps the rules diagnosis of each conversation and logs why', async () => {
    const garbage = (req: ParsedMessagesRequest): FakeReply =>
      isRepair(req) ? { toolInput: { outcome: 'maybe', confidence: 7 } } : { text: 'lol no' };
    // Drafts are not under test here: answered without a tool, they fall back to the rules.
    const result = await run((req) => (isDiagnose(req) ? garbage(req) : { text: 'no draft' }));

    expect(result.summary.diagnosed).toBe(ALL_IDS.length);
    const asked = new Set(result.fake.requests().filter(isDiagnose).map(conversationOf));
    expect(asked).toEqual(new Set(ALL_IDS));
    for (const id of ALL_IDS) {
      const stored = await result.h.app.deps.stores.diagnoses.get(result.h.accountId, id);
      expect(stored?.diagnosis.diagnoser, id).toBe('rules');
      const why = result.h.logs.find(
        (l) =>
          l['conversationId'] === id &&
          l['msg'] === 'claude did not diagnose the conversation; keeping the rules diagnosis',
      );
      expect(why?.['code'], id).toBe('llm_output_invalid');
    }
    // The rules' findings still lead to proposals.
    expect(
      result.proposals.some((p) =>
        RETURNS_IDS.some((id) => p.finding.conversationIds.includes(id)),
      ),
    ).toBe(true);
  });
});
