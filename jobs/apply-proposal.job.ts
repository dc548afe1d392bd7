import { applyProposal } from '../src/loop/apply/apply.js';
import type { Deps } from '../src/deps.js';
import { AppError } from '../src/errors.js';
import {
  applyJobId,
  applyProposalContract,
  defineJob,
  type Enqueue,
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
 * Enqueued with `applyJobId(proposal)`: one job per approval, however often it is enqueued. A
 * proposal held behind another change's open attribution window (`waiting`) gets a delayed apply
 * for when that window closes, with the id of the hold (`applyJobId` keys on the latest `approved`
 * entry, which the hold is): a retry of this job queues the same one, a worker restart keeps it
 * (it is in Redis), and when it runs, apply checks the windows again under the target's lease.
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
    if (outcome === 'waiting') await scheduleHeldApply(deps, enqueue, proposalId, job.id);
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

/** Queues the apply of a held proposal for when the window it waits behind closes. */
async function scheduleHeldApply(
  deps: Pick<Deps, 'stores' | 'now'>,
  enqueue: Enqueue,
  proposalId: string,
  current: string | undefined,
): Promise<void> {
  const held = await deps.stores.proposals.get(proposalId);
  const until = held?.attribution.waitingBehind?.until;
  if (held === null || until === undefined) return;
  const jobId = applyJobId(held);
  if (jobId === current) {
    // This is the held apply, run before the window closed by this clock (clocks differ by a
    // little between machines): queuing its own id again would be a no-op, so retry instead.
    throw new AppError(`Proposal ${proposalId} waits until ${until}; retried shortly.`, {
      code: 'proposal_busy',
      retryable: true,
    });
  }
  const delay = Math.max(0, Date.parse(until) - deps.now().getTime());
  await enqueue(applyProposalContract, { accountId: held.accountId, proposalId }, { jobId, delay });
}
