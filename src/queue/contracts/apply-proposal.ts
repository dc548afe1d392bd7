import { z } from 'zod';
import type { Proposal } from '../../domain/proposal.js';
import { defineContract } from '../contract.js';
import { jobIdFrom } from '../job-id.js';

/** Applies one approved proposal with the account's write key. Enqueue it with `applyJobId`. */
export const applyProposalContract = defineContract({
  name: 'apply-proposal',
  queue: 'apply',
  payload: z.object({ accountId: z.string().min(1), proposalId: z.string().min(1) }),
});

/** The job id of a proposal's apply: per approval, so a later re-approval is not a no-op. */
export function applyJobId(proposal: Pick<Proposal, 'id' | 'history' | 'updatedAt'>): string {
  const approval = proposal.history.findLast((event) => event.status === 'approved');
  return jobIdFrom('apply', proposal.id, approval?.at ?? proposal.updatedAt);
}
