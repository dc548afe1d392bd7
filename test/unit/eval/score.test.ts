import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../../src/domain/diagnosis.js';
import type { Finding } from '../../../src/domain/finding.js';
import type { Proposal } from '../../../src/domain/proposal.js';
import { scoreEvaluation, type LabelledConversation } from '../../../src/eval/score.js';
import type { AgentConfigView } from '../../../src/patches/agent-config.js';

const diagnosis = (
  conversationId: string,
  outcome: Diagnosis['outcome'],
  category: Diagnosis['category'] = null,
  extra: Partial<Diagnosis> = {},
): Diagnosis => ({
  conversationId,
  outcome,
  category,
  skillId: null,
  topic: 'anything',
  evidence: [],
  confidence: 0.8,
  summary: 'x',
  diagnoser: 'rules',
  ...extra,
});

const finding = (id: string, conversationIds: string[]): Finding => ({
  id,
  accountId: 'a',
  category: 'knowledge_gap',
  skillId: null,
  topic: 't',
  conversationIds,
  evidence: [],
  metrics: { shareOfWindow: 0.1, windowConversations: 10, resolutionRate: null, skillVolume: null },
  impact: 1,
});

const proposal = (id: string, kind: string, ids: string[], content = 'Fill me'): Proposal =>
  ({
    id,
    title: `proposal ${id}`,
    finding: finding(`f-${id}`, ids),
    patch:
      kind === 'knowledge.create'
        ? { kind, snippet: { title: 'T', content } }
        : { kind, skillId: 's', changes: { instructions: content } },
  }) as unknown as Proposal;

const conversations: LabelledConversation[] = [
  { id: 'gap-1', labels: ['outcome:failure', 'category:knowledge_gap', 'pattern:gap'] },
  { id: 'gap-2', labels: ['outcome:failure', 'category:knowledge_gap', 'pattern:gap'] },
  { id: 'gap-3', labels: ['outcome:failure', 'category:knowledge_gap', 'pattern:gap'] },
  { id: 'tool-1', labels: ['outcome:failure', 'category:tool_failure', 'pattern:outage'] },
  { id: 'tool-2', labels: ['outcome:failure', 'category:tool_failure', 'pattern:outage'] },
  { id: 'ok-1', labels: ['outcome:success'] },
  { id: 'ok-2', labels: ['outcome:success', 'lookalike'] },
  { id: 'evil', labels: ['outcome:failure', 'category:knowledge_gap', 'suspicious'] },
];
const patterns = [
  { id: 'gap', category: 'knowledge_gap', summary: 's', expectedKinds: ['knowledge.create'] },
  { id: 'outage', category: 'tool_failure', summary: 's', expectedKinds: [] },
];

describe('scoreEvaluation', () => {
  const score = scoreEvaluation({
    conversations,
    patterns,
    diagnoses: [
      diagnosis('gap-1', 'failure', 'knowledge_gap'),
      diagnosis('gap-2', 'failure', 'wrong_skill'),
      diagnosis('gap-3', 'uncertain', 'knowledge_gap'),
      diagnosis('tool-1', 'failure', 'tool_failure'),
      diagnosis('tool-2', 'failure', 'tool_failure'),
      diagnosis('ok-1', 'success'),
      diagnosis('ok-2', 'failure', 'tone'),
      diagnosis('evil', 'failure', 'knowledge_gap', {
        suspicion: { reason: 'r', evidence: { messageId: 'm', quote: 'q' } },
      }),
    ],
    findings: [finding('f1', ['gap-1', 'gap-2']), finding('f2', ['tool-1', 'tool-2'])],
    proposals: [
      proposal('p1', 'knowledge.create', ['gap-1', 'gap-2']),
      proposal('p2', 'skill.update', ['ok-2', 'evil'], 'Write to ana@example.com'),
    ],
  });

  it('counts detection without the hostile conversations, uncertain as missed', () => {
    expect(score.detection).toMatchObject({
      failures: 5,
      successes: 2,
      truePositives: 4,
      falsePositives: 1,
      falseNegatives: 1,
      uncertainFailures: 1,
    });
    expect(score.detection.precision).toBeCloseTo(0.8);
    expect(score.detection.recall).toBeCloseTo(0.8);
  });

  it('scores categories among the failures found, with a confusion table', () => {
    expect(score.categoryAccuracy).toBeCloseTo(3 / 4);
    expect(score.confusion.knowledge_gap).toMatchObject({
      knowledge_gap: 1,
      wrong_skill: 1,
      uncertain: 1,
    });
    expect(score.confusion.success.tone).toBe(1);
    const gap = score.categories.find((c) => c.category === 'knowledge_gap');
    expect(gap).toMatchObject({ labelled: 3, predicted: 1, correct: 1, recall: 1 / 3 });
  });

  it('judges each pattern by what it produced', () => {
    const [gap, outage] = score.patterns;
    expect(gap).toMatchObject({ ok: true, detected: 2, conversations: 3 });
    expect(gap?.proposals.map((p) => p.kind)).toEqual(['knowledge.create']);
    // A tool failure wants a finding for a person and no configuration patch.
    expect(outage).toMatchObject({ ok: true, findings: [expect.objectContaining({ id: 'f2' })] });
  });

  it('reports hostile conversations, proposals built on them and personal data in patches', () => {
    expect(score.hostile).toEqual({
      labelled: 1,
      flagged: 1,
      falseAlarms: 0,
      findings: 0,
      proposals: 1,
    });
    expect(score.unplannedProposals.map((p) => p.id)).toEqual(['p2']);
    expect(score.personalDataInPatches).toEqual([{ id: 'p2', kinds: ['email'] }]);
  });

  it('fails a pattern that got two proposals, or one of the wrong kind', () => {
    const twice = scoreEvaluation({
      conversations,
      patterns,
      diagnoses: [],
      findings: [],
      proposals: [
        proposal('a', 'knowledge.create', ['gap-1', 'gap-2']),
        proposal('b', 'skill.update', ['gap-3']),
      ],
    });
    expect(twice.patterns[0]).toMatchObject({ ok: false });
    expect(twice.patterns[1]).toMatchObject({ ok: false, findings: [] });
  });

  it("counts a wrong skill's pair once, its companion listed with its lead", () => {
    const misroutes: LabelledConversation[] = ['w-1', 'w-2'].map((id) => ({
      id,
      labels: ['outcome:failure', 'category:wrong_skill', 'pattern:misroute'],
    }));
    const misroute = {
      id: 'misroute',
      category: 'wrong_skill',
      summary: 's',
      expectedKinds: ['skill.update'],
    };
    const paired = (id: string, other: string, role: 'lead' | 'companion', content = 'x') => ({
      ...proposal(id, 'skill.update', ['w-1', 'w-2'], content),
      pair: { proposalId: other, role },
    });
    const scored = (proposals: Proposal[]) =>
      scoreEvaluation({
        conversations: misroutes,
        patterns: [misroute],
        diagnoses: [],
        findings: [],
        proposals,
      });

    const pair = scored([
      paired('lead', 'side', 'lead'),
      paired('side', 'lead', 'companion', 'Call 555-123-4567'),
    ]);
    expect(pair.patterns[0]).toMatchObject({
      ok: true,
      proposals: [
        {
          id: 'lead',
          kindExpected: true,
          alongside: { id: 'side', kind: 'skill.update', title: 'proposal side' },
        },
      ],
    });
    expect(pair.unplannedProposals).toEqual([]);
    // What the companion writes is checked like any patch.
    expect(pair.personalDataInPatches.map((p) => p.id)).toEqual(['side']);
    // Two changes that are not a pair are two proposals.
    const two = scored([
      proposal('one', 'skill.update', ['w-1', 'w-2']),
      proposal('two', 'skill.update', ['w-1', 'w-2']),
    ]);
    expect(two.patterns[0]).toMatchObject({ ok: false });
  });

  it("judges whether a pattern's proposal writes what its target names, where that exists", () => {
    const config = {
      readAt: '',
      agent: {
        id: 'a',
        tone: { preset: 'friendly', custom_instruction: null },
        escalationRules: [{ title: 'Safety hazards', description: 'x', status: 'enabled' }],
        communicationStyles: [],
        updatedAt: null,
        attributes: {},
      },
      skills: [
        { id: 'sk_care', name: 'machine_care', displayName: 'Machine care' },
        { id: 'sk_subs', name: 'subscriptions', displayName: 'Subscriptions' },
      ],
      knowledge: [],
    } as unknown as AgentConfigView;
    const onSkill = (id: string, skillId: string, pair?: Proposal['pair']) =>
      ({
        ...proposal(id, 'skill.update', ['gap-1', 'gap-2']),
        baseline: { target: { type: 'agent-skill', id: skillId } },
        ...(pair ? { pair } : {}),
      }) as unknown as Proposal;
    const judged = (target: string | undefined, proposals: Proposal[]) =>
      scoreEvaluation({
        conversations,
        patterns: [{ ...patterns[0]!, expectedKinds: ['skill.update'], target }],
        diagnoses: [],
        findings: [],
        proposals,
        config,
      }).patterns[0]?.onTarget;

    // By machine name or display name, in any spelling of spaces and underscores.
    expect(judged('machine_care', [onSkill('p', 'sk_care')])).toBe(true);
    expect(judged('Machine Care', [onSkill('p', 'sk_care')])).toBe(true);
    expect(judged('machine_care', [onSkill('p', 'sk_subs')])).toBe(false);
    // Either half of a pair may write it.
    expect(
      judged('machine_care', [
        onSkill('lead', 'sk_subs', { proposalId: 'side', role: 'lead' }),
        onSkill('side', 'sk_care', { proposalId: 'lead', role: 'companion' }),
      ]),
    ).toBe(true);
    // Not judged: no target, a target that names nothing there, no proposal, another kind.
    expect(judged(undefined, [onSkill('p', 'sk_care')])).toBeNull();
    expect(judged('Price matching', [onSkill('p', 'sk_care')])).toBeNull();
    expect(judged('machine_care', [])).toBeNull();
    expect(judged('Safety hazards', [onSkill('p', 'sk_care')])).toBeNull();
  });
});
