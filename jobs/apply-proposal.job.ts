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
 * at most one write under retries, crashes and double deliveries (a fenced lease on the target,
 * write intents), audit entry with before/after. A payload whose account is not the proposal's is
 * refused without writing and not retried. The attempt stops when the job is aborted (its signal:
 * cancelled, or its lock lost). An applied change is verified by replay right after.
 *
 * Enqueued with `applyJobId(proposal)`: one job per approval, however often it is enqueued.
 */
export const applyProposalJob = defineJob({
  ...applyProposalContract,
  async handle({ accountId, proposalId }, { deps, enqueue, log, job, signal }) {
    const outcome = await applyProposal({
      proposalId,
      accountId,
      client: deps.klaviyo(accountId, 'write'),
      stores: deps.stores,
      owner: job.id,
      // As long as the job's lock: a stalled attempt loses both at about the same time.
      leaseMs: deps.config.jobs.lockSeconds * 1000,
      signal,
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
