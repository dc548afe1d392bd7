import { describe, expect, it } from 'vitest';
import type { AgentConfigView } from '../../../../src/patches/agent-config.js';
import type { Finding } from '../../../../src/domain/finding.js';
import { ProposalSchema } from '../../../../src/domain/proposal.js';
import { admitPatch, type AdmitInput } from '../../../../src/loop/policy/admit.js';
import { ALL_PATCH_KINDS } from '../../../../src/loop/policy/policy.js';
import { baselineFor } from '../../../../src/patches/baseline.js';
import type { Patch } from '../../../../src/patches/patch.js';
import { proposalIdFrom } from '../../../../src/store/proposal-id.js';

const SKILL = {
  display_name: 'Order status',
  description: 'Answers where-is-my-order questions.',
  instructions: 'Look up the order.\nShare the tracking link.',
  status: 'live',
  handoff: 'offer',
  updated_at: '2026-11-01T00:00:00Z',
};

const VIEW: AgentConfigView = {
  readAt: '2026-11-21T08:00:00.000Z',
  agent: {
    id: 'agent_1',
    tone: { preset: 'friendly', custom_instruction: null },
    escalationRules: [],
    communicationStyles: [],
    updatedAt: null,
    attributes: { escalation_rules: [], communication_styles: [] },
  },
  skills: [
    {
      id: 'sk_orders',
      name: 'order_status',
      displayName: SKILL.display_name,
      description: SKILL.description,
      instructions: SKILL.instructions,
      status: 'live',
      handoff: 'offer',
      toolIds: [],
      updatedAt: SKILL.updated_at,
      attributes: SKILL,
    },
  ],
  knowledge: [],
};

const FINDING: Finding = {
  id: 'finding_1',
  accountId: 'acct',
  category: 'instruction_gap',
  skillId: 'sk_orders',
  topic: 'late parcels',
  conversationIds: ['c1'],
  evidence: [{ conversationId: 'c1', messageId: 'm1', quote: 'Where is my parcel?' }],
  metrics: { shareOfWindow: 0.1, windowConversations: 10, resolutionRate: null, skillVolume: null },
  impact: 1,
};

const edit: Patch = {
  kind: 'skill.update',
  skillId: 'sk_orders',
  changes: { instructions: `${SKILL.instructions}\nIf it is late, {{fill: late parcel policy}}.` },
};

function input(overrides: Partial<AdmitInput> = {}): AdmitInput {
  return {
    accountId: 'acct',
    patch: edit,
    view: VIEW,
    policy: { allowedKinds: ALL_PATCH_KINDS },
    transcripts: [],
    prose: {
      title: `Cover late parcels ${'x'.repeat(300)}`,
      rationale: 'Shoppers ask about late parcels.',
      expectedImpact: 'Fewer handoffs.',
      finding: FINDING,
    },
    drafted: { actor: 'system', note: 'drafted by rules' },
    now: new Date('2026-11-21T09:00:00.000Z'),
    ...overrides,
  };
}

describe('admitPatch', () => {
  it('makes a checked patch a pending proposal with its baseline, diff, id and placeholders', () => {
    const result = admitPatch(input());
    if (!result.ok) throw new Error(JSON.stringify(result.violations));
    const { proposal } = result;
    expect(ProposalSchema.parse(proposal)).toEqual(proposal);
    expect(proposal.baseline).toEqual(baselineFor(edit, VIEW));
    expect(proposal.id).toBe(proposalIdFrom('acct', edit, proposal.baseline));
    expect(proposal.title).toHaveLength(200);
    expect(proposal.diff).toContain('--- skill "Order status" · instructions (current)');
    expect(proposal.placeholders).toEqual(['late parcel policy']);
    expect(proposal.revertOf).toBeNull();
    expect(proposal.history).toEqual([
      {
        at: '2026-11-21T09:00:00.000Z',
        status: 'pending',
        actor: 'system',
        note: 'drafted by rules',
      },
    ]);
  });

  it('returns the violations instead of a proposal when the policy refuses the patch', () => {
    const result = admitPatch(input({ policy: { allowedKinds: ['knowledge.create'] } }));
    expect(result).toEqual({
      ok: false,
      violations: [expect.objectContaining({ rule: 'kind_not_allowed' })],
    });
  });

  it('checks a revert against the values it must restore and records what it reverts', () => {
    const restore: Patch = {
      kind: 'skill.update',
      skillId: 'sk_orders',
      changes: { instructions: 'Look up the order.' },
    };
    const restores = { instructions: 'Look up the order.' };
    const admitted = admitPatch(input({ patch: restore, revert: { of: 'prop_1', restores } }));
    expect(admitted.ok && admitted.proposal.revertOf).toBe('prop_1');
    const other = admitPatch(
      input({ patch: restore, revert: { of: 'prop_1', restores: { instructions: 'Other.' } } }),
    );
    expect(other.ok ? [] : other.violations.map((v) => v.rule)).toContain('revert_mismatch');
  });
});
