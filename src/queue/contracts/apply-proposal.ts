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

/**
 * The job id of a proposal's apply: per `approved` entry, so a later one (a hold behind an
 * attribution window, an "apply anyway") queues a new job instead of a no-op.
 */
export function applyJobId(proposal: Pick<Proposal, 'id' | 'history' | 'updatedAt'>): string {
  const approved = (event: Proposal['history'][number]) => event.status === 'approved';
  const entry = proposal.history.findLastIndex(approved);
  const latest = proposal.history[entry];
  if (latest === undefined) return jobIdFrom('apply', proposal.id, proposal.updatedAt);
  // A later entry's place too: a hold can be recorded in the same millisecond as the approval.
  return entry === proposal.history.findIndex(approved)
    ? jobIdFrom('apply', proposal.id, latest.at)
    : jobIdFrom('apply', proposal.id, latest.at, entry);
}
