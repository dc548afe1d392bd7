import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../../../src/domain/diagnosis.js';
import { BEHAVIOUR_TOPICS, FindingSchema } from '../../../../src/domain/finding.js';
import { contentTokens } from '../../../../src/domain/text.js';
import {
  CATEGORY_WEIGHTS,
  cleanTopic,
  findingIdFrom,
  groupFindings,
  normalizeTopic,
} from '../../../../src/loop/synthesize/findings.js';

function diagnosis(conversationId: string, overrides: Partial<Diagnosis> = {}): Diagnosis {
  return {
    conversationId,
    outcome: 'failure',
    category: 'knowledge_gap',
    skillId: 'sk_returns',
    topic: 'international returns',
    evidence: [{ messageId: `${conversationId}-m1`, quote: `quote of ${conversationId}` }],
    confidence: 0.8,
    summary: 'The agent did not know.',
    diagnoser: 'rules',
    ...overrides,
  };
}

describe('normalizeTopic', () => {
  it('lowercases, trims, singularizes and drops articles and punctuation', () => {
    expect(normalizeTopic('  International Returns ')).toBe('international return');
    expect(normalizeTopic('the return policies!')).toBe('return policy');
    expect(normalizeTopic('Shipping addresses')).toBe('shipping address');
    expect(normalizeTopic('status')).toBe('status');
  });

  it('keeps emails, links and order numbers out of the topic', () => {
    expect(cleanTopic('refund for ann@example.com order #10423 see https://x.io/a')).toBe(
      'refund for order see',
    );
    expect(cleanTopic('Refund for ann@example.com')).toBe('refund');
    expect(cleanTopic('returns to the #10423')).toBe('returns');
  });

  it('merges topics only by exact normalized match', () => {
    expect(normalizeTopic('International return')).toBe(normalizeTopic('international returns'));
    expect(normalizeTopic('returns abroad')).not.toBe(normalizeTopic('international returns'));
  });
});

describe('groupFindings', () => {
  it('groups failures by category × skill × normalized topic with deterministic ids', () => {
    const findings = groupFindings({
      accountId: 'acct',
      windowConversations: 20,
      diagnoses: [
        diagnosis('c1'),
        diagnosis('c2', { topic: 'International Return' }),
        // Another skill's gap on the same topic: every skill answers from the same knowledge.
        diagnosis('c7', { skillId: 'sk_other' }),
        diagnosis('c3', { skillId: 'sk_other', category: 'instruction_gap' }),
        diagnosis('c4', { skillId: 'sk_other', category: 'instruction_gap' }),
        diagnosis('c5', { category: 'tone' }),
        diagnosis('c6', { outcome: 'success', category: null }),
      ],
    });
    expect(findings.map((f) => [f.skillId, f.category, f.conversationIds])).toEqual([
      ['sk_returns', 'knowledge_gap', ['c1', 'c2', 'c7']],
      ['sk_other', 'instruction_gap', ['c3', 'c4']],
    ]);
    const returns = findings.find((f) => f.skillId === 'sk_returns');
    expect(returns?.id).toBe(
      findingIdFrom('acct', 'knowledge_gap', 'sk_returns', 'international return'),
    );
    expect(returns?.id).toMatch(/^finding_[0-9a-f]{16}$/);
    // The most frequent spelling is the one people read.
    expect(returns?.topic).toBe('international returns');
    for (const finding of findings) expect(FindingSchema.parse(finding)).toEqual(finding);
  });

  it('names a merged group by the spelling most of its topics share a word with', () => {
    const [finding] = groupFindings({
      accountId: 'acct',
      windowConversations: 20,
      diagnoses: [
        // The odd one out sorts first, and joins only through "plan".
        diagnosis('c1', { topic: 'covered under your plan' }),
        diagnosis('c2', { topic: 'trade in plan payments' }),
        diagnosis('c3', { topic: 'trade in credit' }),
        diagnosis('c4', { topic: 'trade in value' }),
      ],
    });
    expect(finding?.conversationIds).toHaveLength(4);
    expect(finding?.topic).toBe('trade in plan payments');
  });

  it('names a knowledge gap by the snippet a more general spelling of it falls within', () => {
    const input = {
      accountId: 'acct',
      windowConversations: 20,
      diagnoses: [
        diagnosis('c1', { topic: 'shipping' }),
        diagnosis('c2', { topic: 'shipping' }),
        diagnosis('c3', { topic: 'shipping' }),
        diagnosis('c4', { topic: 'shipping rates and delivery times' }),
        diagnosis('c5', { topic: 'shipping rates and delivery times' }),
      ],
    };
    expect(groupFindings(input)[0]?.topic).toBe('shipping');
    const snippetTopics = new Set([normalizeTopic('shipping rates and delivery times')]);
    const [finding] = groupFindings({ ...input, snippetTopics });
    expect(finding?.conversationIds).toHaveLength(5);
    expect(finding?.topic).toBe('shipping rates and delivery times');
    // A snippet that does not hold the other spelling's words does not take its count.
    const other = new Set([normalizeTopic('delivery times')]);
    const diagnoses = [...input.diagnoses, diagnosis('c6', { topic: 'delivery times' })];
    expect(groupFindings({ ...input, diagnoses, snippetTopics: other })[0]?.topic).toBe('shipping');
  });

  it('names a finding by the members whose category was shown, not the guessed ones', () => {
    const guessed = (id: string) => diagnosis(id, { tentative: true, topic: 'orders delivery' });
    const [finding] = groupFindings({
      accountId: 'acct',
      windowConversations: 20,
      diagnoses: [
        guessed('t1'),
        guessed('t2'),
        guessed('t3'),
        diagnosis('c1', { topic: 'delivery cut off' }),
        diagnosis('c2', { topic: 'delivery cut off' }),
      ],
    });
    expect(finding?.conversationIds).toHaveLength(5);
    expect(finding?.topic).toBe('delivery cut off');
  });

  it('merges gaps on a word the configuration lacks, unless the whole window uses it', () => {
    const gap = (id: string, topic: string, quote: string) =>
      diagnosis(id, { topic, evidence: [{ messageId: `${id}-m1`, quote }] });
    const gaps = [
      gap('c1', 'dangerous goods', 'Dear team, can our lab get acetone in Dublin?'),
      gap('c2', 'dangerous goods', 'Dear sirs, our lab wants ethanol sent to Lyon'),
      gap('c3', 'calibration', 'Dear Wren, does the lab pipette come with a certificate?'),
      gap('c4', 'calibration', 'Dear all, the lab needs a certificate with each pipette'),
    ];
    const vocabulary = contentTokens('acetone ethanol pipette shipping');
    const input = { accountId: 'acct', windowConversations: 40, vocabulary };
    // Alone in the window, "lab" and "dear" read as the unknown thing both pairs name.
    expect(groupFindings({ ...input, diagnoses: gaps })).toHaveLength(1);
    // Among the window's other questions, which say "lab" all the time, they name nothing.
    const others = Array.from({ length: 20 }, (_, i) =>
      diagnosis(`s${i}`, {
        outcome: 'success',
        category: null,
        evidence: [{ messageId: `s${i}-m1`, quote: `Dear Kestrel, lab order ${i} status?` }],
      }),
    );
    expect(groupFindings({ ...input, diagnoses: [...gaps, ...others] })).toHaveLength(2);
  });

  it('lets failures of a guessed category join a finding, never start one', () => {
    const guessed = (id: string) => diagnosis(id, { tentative: true, confidence: 0.5 });
    const input = {
      accountId: 'acct',
      windowConversations: 10,
      diagnoses: [guessed('t1'), guessed('t2'), guessed('t3')],
    } as const;
    expect(groupFindings(input)).toEqual([]);
    const joined = groupFindings({ ...input, diagnoses: [...input.diagnoses, diagnosis('c1')] });
    expect(joined.map((f) => [...f.conversationIds].sort())).toEqual([['c1', 't1', 't2', 't3']]);
  });

  it('needs minCount conversations, at least one of them a failure', () => {
    const input = {
      accountId: 'acct',
      windowConversations: 10,
      diagnoses: [
        diagnosis('c1'),
        diagnosis('u1', { outcome: 'uncertain', topic: 'sizing', confidence: 0.9 }),
        diagnosis('u2', { outcome: 'uncertain', topic: 'sizing', confidence: 0.9 }),
      ],
    } as const;
    expect(groupFindings(input)).toEqual([]);
    expect(groupFindings({ ...input, minCount: 1 }).map((f) => f.conversationIds)).toEqual([
      ['c1'],
    ]);
  });

  it('counts uncertain diagnoses from confidence 0.5, at half weight', () => {
    const [finding] = groupFindings({
      accountId: 'acct',
      windowConversations: 10,
      diagnoses: [
        diagnosis('c1', { confidence: 1 }),
        diagnosis('c2', { outcome: 'uncertain', confidence: 0.6 }),
        diagnosis('c3', { outcome: 'uncertain', confidence: 0.4 }),
      ],
    });
    expect(finding?.conversationIds).toEqual(['c1', 'c2']);
    const weight = CATEGORY_WEIGHTS.knowledge_gap;
    expect(finding?.impact).toBeCloseTo(1 * weight + 0.6 * weight * 0.5, 6);
  });

  it('ranks by impact: escalations and knowledge gaps weigh more than tone', () => {
    const findings = groupFindings({
      accountId: 'acct',
      windowConversations: 10,
      diagnoses: [
        ...['t1', 't2', 't3'].map((id) => diagnosis(id, { category: 'tone', topic: 'delays' })),
        ...['m1', 'm2'].map((id) =>
          diagnosis(id, { category: 'missed_escalation', topic: 'asks for a person' }),
        ),
      ],
    });
    expect(findings.map((f) => f.category)).toEqual(['missed_escalation', 'tone']);
    expect(findings[0]?.impact).toBeCloseTo(2 * 0.8 * 3, 6);
    expect(findings[1]?.impact).toBeCloseTo(3 * 0.8 * 1, 6);
  });

  it('is deterministic whatever the input order', () => {
    const diagnoses = Array.from({ length: 12 }, (_, i) =>
      diagnosis(`c${i}`, {
        topic: ['returns', 'shipping', 'sizes'][i % 3] ?? 'x',
        category: i % 2 === 0 ? 'knowledge_gap' : 'instruction_gap',
        confidence: 0.5 + (i % 4) / 10,
      }),
    );
    const forward = groupFindings({ accountId: 'a', windowConversations: 12, diagnoses });
    const backward = groupFindings({
      accountId: 'a',
      windowConversations: 12,
      diagnoses: [...diagnoses].reverse(),
    });
    expect(backward).toEqual(forward);
    expect(forward.length).toBeGreaterThan(2);
    const impacts = forward.map((f) => f.impact);
    expect(impacts).toEqual([...impacts].sort((a, b) => b - a));
  });

  it('keeps up to 5 quotes from distinct conversations, strongest first', () => {
    const diagnoses = Array.from({ length: 7 }, (_, i) =>
      diagnosis(`c${i}`, {
        confidence: 0.3 + i / 10,
        evidence: [
          { messageId: `m${i}a`, quote: `first ${i}` },
          { messageId: `m${i}b`, quote: `second ${i}` },
        ],
      }),
    );
    const [finding] = groupFindings({ accountId: 'a', windowConversations: 7, diagnoses });
    expect(finding?.evidence).toHaveLength(5);
    expect(finding?.evidence.map((e) => e.conversationId)).toEqual(['c6', 'c5', 'c4', 'c3', 'c2']);
    expect(finding?.evidence[0]).toEqual({
      conversationId: 'c6',
      messageId: 'm6a',
      quote: 'first 6',
    });
  });

  it('attaches the share of the window, the resolution rate and the skill volume', () => {
    const [finding] = groupFindings({
      accountId: 'a',
      windowConversations: 40,
      diagnoses: [diagnosis('c1'), diagnosis('c2'), diagnosis('c3')],
      metrics: { resolutionRate: 0.62, skillVolumes: { sk_returns: 17 } },
    });
    expect(finding?.metrics).toEqual({
      shareOfWindow: 0.075,
      windowConversations: 40,
      resolutionRate: 0.62,
      skillVolume: 17,
    });
  });

  it('groups wrong skills by the skill that took them, and names the one most should have had', () => {
    const wrong = (id: string, overrides: Partial<Diagnosis>) =>
      diagnosis(id, { category: 'wrong_skill', ...overrides });
    const [finding, ...rest] = groupFindings({
      accountId: 'acct',
      windowConversations: 20,
      diagnoses: [
        wrong('c1', { skillId: 'sk_subs', tookSkillId: 'sk_orders', topic: 'subscriptions' }),
        wrong('c2', { skillId: 'sk_subs', tookSkillId: 'sk_orders', topic: 'subscriptions' }),
        // Read as another skill's: the skill that took it is the same.
        wrong('c3', { skillId: 'sk_billing', tookSkillId: 'sk_orders', topic: 'billing' }),
        // No skill named: the diagnosis is the taking skill's own.
        wrong('c4', { skillId: 'sk_orders', topic: BEHAVIOUR_TOPICS.outsideSkill }),
      ],
    });
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      category: 'wrong_skill',
      skillId: 'sk_subs',
      tookSkillId: 'sk_orders',
      topic: 'subscriptions',
      conversationIds: ['c1', 'c2', 'c3', 'c4'],
    });
    // When none names the skill that should have had them, the finding is the taking skill's.
    const [outside] = groupFindings({
      accountId: 'acct',
      windowConversations: 20,
      diagnoses: ['c5', 'c6'].map((id) =>
        wrong(id, { skillId: 'sk_orders', topic: BEHAVIOUR_TOPICS.outsideSkill }),
      ),
    });
    expect(outside).toMatchObject({ skillId: 'sk_orders', topic: BEHAVIOUR_TOPICS.outsideSkill });
    expect(outside?.tookSkillId).toBeUndefined();
  });

  it('treats a re-diagnosed conversation once, by its last diagnosis', () => {
    const findings = groupFindings({
      accountId: 'a',
      windowConversations: 3,
      diagnoses: [diagnosis('c1'), diagnosis('c2'), diagnosis('c2', { outcome: 'success' })],
    });
    expect(findings).toEqual([]);
  });
});
