import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCycle, type CycleSummary } from '../../../cli/cycle.js';
import type { Proposal } from '../../../src/domain/proposal.js';
import { ScenarioSchema, startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import type { Stores } from '../../../src/store/index.js';
import type { FakeReply, ParsedMessagesRequest } from '../../fakes/anthropic-server.js';
import {
  ACCOUNT,
  conversationOf,
  diagnosisFor,
  GOOD_DRAFT,
  INJECTED_DRAFT,
  INJECTION,
  INJECTION_IDS,
  isDiagnose,
  isDraft,
  isRepair,
  REFUND_TOPIC,
  RETURNS_IDS,
  RETURNS_TOPIC,
  SAMPLED_IDS,
  scenario,
  SHOPPER_EMAIL,
  startLoop,
  SUCCESS_IDS,
  TRIAGED_IDS,
  type LoopHarness,
  REFUND_DRAFT,
} from './llm-loop-support.js';

/**
 * The loop with Claude, end to end: the sandbox as Klaviyo, real Redis and BullMQ workers, and
 * the real Anthropic SDK talking to a fake Messages API that answers by script — including
 * invalid answers, 429 and 529, drafts the policy must block, and a budget that runs out.
 */

const DAY_MS = 24 * 3600_000;
const NOW = new Date();
const NOT_SAMPLED = SUCCESS_IDS.filter((id) => !SAMPLED_IDS.includes(id));

/** Diagnoses as a correct Claude would; drafts by finding topic from `drafts`. */
function responder(
  drafts: { returns: unknown; refund: unknown },
  diagnose: (req: ParsedMessagesRequest) => FakeReply = diagnosisFor,
) {
  return (req: ParsedMessagesRequest): FakeReply => {
    if (isDiagnose(req)) return diagnose(req);
    if (isDraft(req) && req.lastUserText.includes(RETURNS_TOPIC)) {
      return { toolInput: drafts.returns };
    }
    if (isDraft(req) && req.lastUserText.includes(REFUND_TOPIC)) {
      return { toolInput: drafts.refund };
    }
    return { text: 'unexpected request' };
  };
}

describe('the training loop with Claude (fake Messages API)', () => {
  let sandbox: RunningSandbox;
  let loop: LoopHarness | undefined;

  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      scenario: ScenarioSchema.parse(scenario(NOW)),
      rateLimits: 'off',
      indexingDelayMs: 0,
    });
  });

  afterEach(async () => {
    await loop?.close();
    loop = undefined;
  });

  afterAll(async () => {
    await sandbox.close();
  });

  const cycle = async (
    respond: (req: ParsedMessagesRequest) => FakeReply,
    budgetUsd?: number,
    before?: (stores: Stores) => Promise<void>,
  ): Promise<{ summary: CycleSummary; proposals: Proposal[]; loop: LoopHarness }> => {
    loop = await startLoop({
      sandboxUrl: sandbox.url,
      respond,
      ...(budgetUsd === undefined ? {} : { budgetUsd }),
    });
    await before?.(loop.app.deps.stores);
    const summary = await runCycle(loop.app, {
      accountId: ACCOUNT,
      since: new Date(NOW.getTime() - DAY_MS),
      days: 1,
    });
    const proposals = await loop.app.deps.stores.proposals.list({ accountId: ACCOUNT });
    return { summary, proposals, loop };
  };

  const diagnoserOf = async (h: LoopHarness, id: string) =>
    (await h.app.deps.stores.diagnoses.get(ACCOUNT, id))?.diagnosis.diagnoser;

  const blockedLogs = (h: LoopHarness) => h.logs.filter((l) => l['msg'] === 'draft blocked');

  it('has successes both inside and outside the sample', () => {
    expect(SAMPLED_IDS.length).toBeGreaterThan(0);
    expect(NOT_SAMPLED.length).toBeGreaterThan(0);
  });

  it('diagnoses through invalid answers, 429 and 529, and proposes Claude’s drafts', async () => {
    const [, invalid, limited, overloaded] = RETURNS_IDS;
    const {
      summary,
      proposals,
      loop: h,
    } = await cycle(
      responder({ returns: GOOD_DRAFT, refund: REFUND_DRAFT }, (req) => {
        const id = conversationOf(req);
        if (id === invalid && !isRepair(req)) {
          // A failure without a category, and a confidence out of range: a schema violation.
          return { toolInput: { outcome: 'failure', category: null, confidence: 7 } };
        }
        if (id === limited && req.retryCount === 0) return { status: 429, retryAfter: 0.01 };
        if (id === overloaded && req.retryCount === 0) return { status: 529, retryAfter: 0.01 };
        return diagnosisFor(req);
      }),
    );

    expect(summary.diagnosed).toBe(RETURNS_IDS.length + INJECTION_IDS.length + SUCCESS_IDS.length);
    for (const id of TRIAGED_IDS) expect(await diagnoserOf(h, id)).toBe('claude');
    for (const id of NOT_SAMPLED) expect(await diagnoserOf(h, id)).toBe('rules');
    // The injections are flagged by the rules and never handed to Claude at all.
    expect(summary.suspicious).toBe(INJECTION_IDS.length);
    for (const id of INJECTION_IDS) {
      const stored = await h.app.deps.stores.diagnoses.get(ACCOUNT, id);
      expect(stored?.diagnosis).toMatchObject({
        diagnoser: 'rules',
        suspicion: { evidence: { quote: expect.stringContaining(INJECTION) } },
      });
    }
    expect(h.fake.requests().some((r) => r.allText.includes(INJECTION))).toBe(false);
    const diagnosed = await h.app.deps.stores.diagnoses.get(ACCOUNT, invalid ?? '');
    expect(diagnosed?.diagnosis).toMatchObject({ category: 'knowledge_gap', topic: RETURNS_TOPIC });

    // Only the triaged conversations reached Claude: each once, plus one repair and two retries.
    const requests = h.fake.requests().filter(isDiagnose);
    expect(new Set(requests.map(conversationOf))).toEqual(new Set(TRIAGED_IDS));
    expect(requests).toHaveLength(TRIAGED_IDS.length + 3);
    for (const id of NOT_SAMPLED) {
      expect(h.fake.requests().some((r) => r.allText.includes(`id="${id}"`))).toBe(false);
    }
    expect(requests.filter(isRepair).map(conversationOf)).toEqual([invalid]);
    expect(h.fake.stats().errors).toBe(2);

    expect(summary.byCategory).toMatchObject({ knowledge_gap: RETURNS_IDS.length });
    // Only the real pattern is drafted: the flagged conversations make no finding.
    expect(summary.findings).toBe(1);
    expect(summary.created.length).toBe(1);
    expect(proposals.map((p) => [p.patch.kind, p.history[0]?.note]).sort()).toEqual([
      ['knowledge.create', 'drafted by claude'],
    ]);
    const snippet = proposals.find((p) => p.patch.kind === 'knowledge.create');
    expect(snippet?.placeholders).toEqual(['international return window']);

    // Every answered call is in Redis under the run, with the tokens the API reported.
    const spend = await h.app.deps.stores.llmSpend.run(ACCOUNT, summary.runId);
    const tokens = h.fake.stats().tokens;
    expect(spend.byStage.diagnose?.calls).toBe(TRIAGED_IDS.length + 1);
    expect(spend.byStage.draft?.calls).toBe(1);
    expect(spend.total).toMatchObject({
      inputTokens: tokens.input,
      outputTokens: tokens.output,
      cacheWriteTokens: tokens.cacheWrite,
      cacheReadTokens: tokens.cacheRead,
    });
    expect(spend.total.costUsd).toBeGreaterThan(0);
  });

  it('never proposes a draft that copies a shopper’s email; the rules draft stands instead', async () => {
    const leaking = {
      ...GOOD_DRAFT,
      patch: {
        kind: 'knowledge.create',
        snippet: {
          title: 'International returns',
          content: `For international returns, write to ${SHOPPER_EMAIL} like this shopper did.`,
        },
      },
    };
    const {
      summary,
      proposals,
      loop: h,
    } = await cycle(responder({ returns: leaking, refund: REFUND_DRAFT }));

    expect(h.fake.requests().filter(isDraft)).toHaveLength(1);
    expect(JSON.stringify(proposals)).not.toContain(SHOPPER_EMAIL);
    const returns = proposals.filter((p) => p.finding.topic === RETURNS_TOPIC);
    expect(returns.map((p) => [p.patch.kind, p.history[0]?.note])).toEqual([
      ['knowledge.create', 'drafted by rules'],
    ]);
    expect(summary.created).toEqual(expect.arrayContaining(returns.map((p) => p.id)));
    // Why Claude's draft was not used is recorded with the finding.
    expect(blockedLogs(h)).toEqual([
      expect.objectContaining({ findingId: returns[0]?.finding.id, rules: 'personal_data' }),
    ]);
    // The refund questions came only in conversations that tried to steer the loop: no finding.
    expect(proposals.find((p) => p.finding.topic === REFUND_TOPIC)).toBeUndefined();
  });

  it('does not follow a shopper’s injected instruction to remove escalation rules', async () => {
    const {
      summary,
      proposals,
      loop: h,
    } = await cycle(responder({ returns: INJECTED_DRAFT, refund: INJECTED_DRAFT }));

    // The injected conversations never reach Claude; a drafter fooled some other way (here it
    // answers the returns finding by removing the rules) is still stopped by the policy.
    expect(h.fake.requests().some((r) => r.allText.includes(INJECTION))).toBe(false);
    expect(h.fake.requests().filter(isDraft)).toHaveLength(1);

    for (const proposal of proposals) {
      expect(proposal.patch.kind).not.toMatch(/escalation-rule/);
      expect(proposal.history[0]?.note).toBe('drafted by rules');
      expect(JSON.stringify(proposal.patch)).not.toContain('disabled');
    }
    const blocked = blockedLogs(h);
    expect(blocked).toHaveLength(1);
    for (const log of blocked) expect(String(log['rules'])).toContain('escalation_rule_removed');
    expect(summary.findings).toBe(1);
    expect(summary.created.length + summary.blocked).toBeGreaterThan(0);
  });

  it('stops calling Claude at the budget and completes the cycle with the rules', async () => {
    const budgetUsd = 0.000001;
    const {
      summary,
      proposals,
      loop: h,
    } = await cycle(responder({ returns: GOOD_DRAFT, refund: REFUND_DRAFT }), budgetUsd);

    // The first call spent the whole budget; nothing was sent after it.
    expect(h.fake.stats().messages).toBe(1);
    const claude = [];
    for (const id of TRIAGED_IDS) if ((await diagnoserOf(h, id)) === 'claude') claude.push(id);
    expect(claude).toHaveLength(1);
    expect(summary.diagnosed).toBe(RETURNS_IDS.length + INJECTION_IDS.length + SUCCESS_IDS.length);
    expect(proposals.length).toBeGreaterThan(0);
    expect(proposals.every((p) => p.history[0]?.note === 'drafted by rules')).toBe(true);
    expect(h.logs.some((l) => l['reason'] === 'budget')).toBe(true);

    const day = await h.app.deps.stores.llmSpend.day(ACCOUNT);
    expect(day.total.calls).toBe(1);
    expect(day.total.costUsd).toBeGreaterThanOrEqual(budgetUsd);
  });

  it('counts what other workers spent: with the day’s budget gone, Claude is not called', async () => {
    const { summary, loop: h } = await cycle(
      responder({ returns: GOOD_DRAFT, refund: REFUND_DRAFT }),
      0.01,
      async (stores) => {
        // Another worker of the account already spent today's budget.
        await stores.llmSpend.add({
          accountId: ACCOUNT,
          runId: 'run-elsewhere',
          stage: 'diagnose',
          model: 'claude-haiku-4-5',
          tokens: { inputTokens: 10_000, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0 },
          costUsd: 0.01,
          batch: false,
          at: new Date(),
        });
      },
    );
    expect(h.fake.stats().requests).toBe(0);
    expect(summary.diagnosed).toBe(RETURNS_IDS.length + INJECTION_IDS.length + SUCCESS_IDS.length);
    for (const id of TRIAGED_IDS) expect(await diagnoserOf(h, id)).toBe('rules');
    expect(summary.created.length).toBeGreaterThan(0);
  });
});
