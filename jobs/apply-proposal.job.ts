import { applyProposal } from '../src/loop/apply/apply.js';
import {
  applyProposalContract,
  defineJob,
  verifyJobId,
  verifyProposalContract,
} from '../src/queue/index.js';
import { notifyProposal } from './notify-proposal.job.js';

/**
 * Applies one approved proposal with the account's write key: drift check against the baseline,
 * at most one write under retries and crashes (write intents), audit entry with before/after.
 * An applied change is verified by replay right after.
 *
 * Enqueued with `applyJobId(proposal)`: one job per approval, however often it is enqueued.
 */
export const applyProposalJob = defineJob({
  ...applyProposalContract,
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
        verifyProposalContract,
        { accountId, proposalId },
        { jobId: verifyJobId(proposalId, applied?.result.appliedAt ?? job.id) },
      );
    }
    log.info({ proposalId, outcome }, 'apply finished');
    return { proposalId, outcome };
  },
});
