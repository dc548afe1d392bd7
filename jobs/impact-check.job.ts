import { checkImpact, impactNote } from '../src/loop/verify/impact.js';
import { defineJob, impactCheckContract } from '../src/queue/index.js';
import { notifyProposal } from './notify-proposal.job.js';

/**
 * Some days after an apply, compares the resolution rate in equal windows before and after it.
 * A regression is recorded on the proposal with a revert offer (`proposals revert <id>`).
 */
export const impactCheckJob = defineJob({
  ...impactCheckContract,
  async handle({ proposalId, windowDays }, { deps, enqueue, log }) {
    const proposal = await deps.stores.proposals.get(proposalId);
    if (!proposal || proposal.status !== 'applied') {
      log.info(
        { proposalId, status: proposal?.status },
        'impact check skipped: not applied any more',
      );
      return { proposalId, verdict: 'skipped' };
    }
    const impact = await checkImpact({
      proposal,
      stores: deps.stores,
      now: deps.now(),
      windowDays,
    });
    await deps.stores.proposals.recordOnApplied(proposalId, { note: impactNote(impact) });
    await notifyProposal(deps, enqueue, proposalId);
    log.info(
      { proposalId, verdict: impact.verdict, offerRevert: impact.offerRevert },
      'impact checked',
    );
    return { proposalId, verdict: impact.verdict, offerRevert: impact.offerRevert };
  },
});
