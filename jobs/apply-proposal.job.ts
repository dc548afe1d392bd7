import { z } from 'zod';
import { applyProposal } from '../src/loop/apply/apply.js';
import type { Proposal } from '../src/domain/proposal.js';
import { defineJob, jobIdFrom } from '../src/queue/index.js';
import { notifyProposal } from './notify-proposal.job.js';
import { verifyProposalJob } from './verify-proposal.job.js';

/**
 * Applies one approved proposal with the account's write key: drift check against the baseline,
 * at most one write under retries and crashes (write intents), audit entry with before/after.
 * An applied change is verified by replay right after.
 *
 * Enqueue it with `applyJobId(proposal)`: one job per approval, however often it is enqueued.
 */
/** The job id of a proposal's apply: per approval, so a later re-approval is not a no-op. */
export function applyJobId(proposal: Proposal): string {
  const approval = proposal.history.findLast((event) => event.status === 'approved');
  return jobIdFrom('apply', proposal.id, approval?.at ?? proposal.updatedAt);
}

export const applyProposalJob = defineJob({
  name: 'apply-proposal',
  queue: 'apply',
  payload: z.object({ accountId: z.string().min(1), proposalId: z.string().min(1) }),
  async handle({ accountId, proposalId }, { deps, enqueue, log, job }) {
    const outcome = await applyProposal({
      proposalId,
      client: deps.klaviyo(accountId, 'write'),
      stores: deps.stores,
      owner: job.id,
      logger: log,
      now: deps.now,
    });
    if (outcome !== 'already-applied') deps.metrics.observeApply(outcome);
    await notifyProposal(deps, enqueue, proposalId);
    if (outcome === 'applied') {
      const applied = await deps.stores.proposals.get(proposalId);
      await enqueue(
        verifyProposalJob,
        { accountId, proposalId },
        { jobId: jobIdFrom('verify', proposalId, applied?.result.appliedAt ?? job.id) },
      );
    }
    log.info({ proposalId, outcome }, 'apply finished');
    return { proposalId, outcome };
  },
});
