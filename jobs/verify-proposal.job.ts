import { verifyProposal } from '../src/loop/verify/verify.js';
// Also when the proposal's attribution window closes: one constant for both.
import { IMPACT_CHECK_AFTER_DAYS } from '../src/domain/attribution.js';
import {
  defineJob,
  impactCheckContract,
  planImpactCheck,
  verifyProposalContract,
} from '../src/queue/index.js';
import { notifyProposal } from './notify-proposal.job.js';

/**
 * Replays the evidence conversations' shopper turns against the changed agent in preview mode
 * (not billed, not stored) and records "fixed k of n"; then schedules the impact check.
 */
export const verifyProposalJob = defineJob({
  ...verifyProposalContract,
  async handle({ accountId, proposalId }, { deps, enqueue, log, signal }) {
    const proposal = await deps.stores.proposals.get(proposalId);
    if (!proposal) throw new Error(`proposal ${proposalId} not found`);
    const result = await verifyProposal({
      proposal,
      client: deps.klaviyo(accountId, 'write'),
      stores: deps.stores,
      judge: deps.llm ? { llm: deps.llm } : 'rules',
      logger: log,
      signal,
    });
    await deps.stores.proposals.transition(proposalId, {
      from: 'applied',
      to: 'applied',
      actor: 'system',
      note: `replay fixed ${result.fixed} of ${result.total}`,
      result: { ...proposal.result, replay: { fixed: result.fixed, total: result.total } },
      audit: false,
    });
    await notifyProposal(deps, enqueue, proposalId);
    const plan = planImpactCheck(proposal, { afterDays: IMPACT_CHECK_AFTER_DAYS, now: deps.now() });
    await enqueue(impactCheckContract, plan.payload, { jobId: plan.jobId, delay: plan.delayMs });
    log.info(
      { proposalId, fixed: result.fixed, total: result.total, impactAt: plan.runAt },
      'verified',
    );
    return { proposalId, fixed: result.fixed, total: result.total, impactCheckAt: plan.runAt };
  },
});
