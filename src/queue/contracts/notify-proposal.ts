import { z } from 'zod';
import type { Proposal } from '../../domain/proposal.js';
import { defineContract } from '../contract.js';
import type { Enqueue } from '../define-job.js';
import { jobIdFrom } from '../job-id.js';

/** Posts a proposal to its account's Slack channel, then updates that message and its thread. */
export const notifyProposalContract = defineContract({
  name: 'notify-proposal',
  queue: 'notify',
  payload: z.object({ proposalId: z.string().min(1) }),
});

/** One notification per state of a proposal, however often it is enqueued. */
export function notifyJobId(proposal: Pick<Proposal, 'id' | 'updatedAt' | 'history'>): string {
  return jobIdFrom('notify', proposal.id, proposal.updatedAt, proposal.history.length);
}

/**
 * Queues the notification of a proposal's current state, read fresh (nothing when it is gone).
 * Callers skip it when Slack is not configured.
 */
export async function enqueueNotification(
  enqueue: Enqueue,
  proposals: { get(id: string): Promise<Proposal | null> },
  proposalId: string,
): Promise<void> {
  const proposal = await proposals.get(proposalId);
  if (proposal) {
    await enqueue(notifyProposalContract, { proposalId }, { jobId: notifyJobId(proposal) });
  }
}
