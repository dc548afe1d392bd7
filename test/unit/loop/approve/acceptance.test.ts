import { describe, expect, it } from 'vitest';
import { acceptanceStats, drafterOf } from '../../../../src/loop/approve/acceptance.js';
import type { Proposal, ProposalStatus } from '../../../../src/domain/proposal.js';
import { makeProposal } from '../../../integration/store/fixtures.js';

function decided(status: ProposalStatus, category: string, drafter: string): Proposal {
  const base = makeProposal();
  return {
    ...base,
    status,
    finding: { ...base.finding, category: category as Proposal['finding']['category'] },
    history: [
      { at: base.createdAt, status: 'pending', actor: 'system', note: `drafted by ${drafter}` },
    ],
  };
}

describe('acceptanceStats', () => {
  it('counts yes and no per category and drafter, leaving undecided ones out', () => {
    const rows = acceptanceStats([
      decided('applied', 'knowledge_gap', 'rules'),
      decided('conflict', 'knowledge_gap', 'rules'),
      decided('rejected', 'knowledge_gap', 'rules'),
      decided('rejected', 'knowledge_gap', 'claude'),
      decided('pending', 'tone', 'rules'),
      decided('expired', 'tone', 'rules'),
    ]);
    expect(rows).toEqual([
      { category: 'knowledge_gap', drafter: 'claude', accepted: 0, rejected: 1, rate: 0 },
      { category: 'knowledge_gap', drafter: 'rules', accepted: 2, rejected: 1, rate: 2 / 3 },
    ]);
  });

  it('reads the drafter from the first history entry', () => {
    expect(drafterOf(decided('applied', 'tone', 'claude'))).toBe('claude');
    const revert = { ...makeProposal(), revertOf: 'p_0', history: [] };
    expect(drafterOf(revert)).toBe('revert');
  });
});
