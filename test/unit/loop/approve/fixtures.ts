import {
  PROPOSAL_TRANSITIONS,
  ProposalSchema,
  type Proposal,
} from '../../../../src/domain/proposal.js';
import type { ApprovalStores } from '../../../../src/loop/approve/transitions.js';
import { ProposalChangedError, ProposalStateError } from '../../../../src/store/proposal-errors.js';
import type { ProposalListFilter, TransitionInput } from '../../../../src/store/proposals.js';

export const AT = '2026-11-20T10:00:00.000Z';
export const INSTRUCTIONS =
  'Answer from the return policy. Offer a teammate when the policy is silent.';

/** An in-memory proposal store with the real store's transition rules (no Redis: unit test). */
type ProposalsPort = ApprovalStores['proposals'];

export class FakeProposals implements ProposalsPort {
  readonly items = new Map<string, Proposal>();

  add(proposal: Proposal): void {
    this.items.set(proposal.id, ProposalSchema.parse(proposal));
  }

  async get(id: string): Promise<Proposal | null> {
    return this.items.get(id) ?? null;
  }

  async list(filter: ProposalListFilter = {}): Promise<Proposal[]> {
    const statuses = filter.status === undefined ? undefined : [filter.status].flat();
    return [...this.items.values()].filter((p) => !statuses || statuses.includes(p.status));
  }

  async transition(id: string, input: TransitionInput): Promise<Proposal> {
    const current = this.items.get(id);
    if (!current) throw new Error(`no proposal ${id}`);
    const from = [input.from].flat();
    if (
      !from.includes(current.status) ||
      !PROPOSAL_TRANSITIONS[current.status].includes(input.to)
    ) {
      throw ProposalStateError.refused(current, input.to, 'moved');
    }
    if (input.patch !== undefined && input.to !== 'pending')
      throw new Error('patch only while pending');
    ProposalChangedError.assertAt(current, input.revision);
    const next: Proposal = {
      ...current,
      status: input.to,
      revision: input.patch === undefined ? current.revision : current.revision + 1,
      patch: input.patch ?? current.patch,
      diff: input.diff ?? current.diff,
      history: [
        ...current.history,
        {
          at: AT,
          status: input.to,
          actor: input.actor,
          ...(input.note === undefined ? {} : { note: input.note }),
        },
      ],
    };
    this.items.set(id, next);
    return next;
  }
}

export function proposal(overrides: Partial<Proposal> = {}): Proposal {
  return {
    id: 'p_1',
    accountId: 'acct',
    status: 'pending',
    title: 'Tell shoppers the international return window',
    rationale: 'Shoppers abroad ask and the agent does not know.',
    finding: {
      id: 'f_1',
      accountId: 'acct',
      category: 'knowledge_gap',
      skillId: 'sk_returns',
      topic: 'international returns',
      conversationIds: ['c1'],
      evidence: [],
      metrics: {
        shareOfWindow: 0.1,
        windowConversations: 10,
        resolutionRate: null,
        skillVolume: null,
      },
      impact: 1,
    },
    patch: {
      kind: 'skill.update',
      skillId: 'sk_returns',
      changes: {
        instructions: `${INSTRUCTIONS} International orders can be returned within {{fill: international return window}}.`,
      },
    },
    baseline: {
      target: { type: 'agent-skill', id: 'sk_returns' },
      fields: { instructions: INSTRUCTIONS },
      updatedAt: null,
      readAt: AT,
    },
    diff: '--- skill "Returns" · instructions (current)\n+++ skill "Returns" · instructions (proposed)\n',
    expectedImpact: 'Fewer handoffs.',
    placeholders: ['international return window'],
    revertOf: null,
    createdAt: AT,
    updatedAt: AT,
    history: [{ at: AT, status: 'pending', actor: 'system' }],
    revision: 1,
    result: {},
    attribution: {},
    ...overrides,
  };
}
