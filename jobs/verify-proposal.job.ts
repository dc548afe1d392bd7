import { addVerifiedCases } from '../src/loop/verify/suite-cases.js';
import { verifyProposal } from '../src/loop/verify/verify.js';
import { describeReplay } from '../src/domain/replay.js';
// Also when the proposal's attribution window closes: one constant for both.
import { IMPACT_CHECK_AFTER_DAYS } from '../src/domain/attribution.js';
import {
  defineJob,
  impactCheckContract,
  planImpactCheck,
  regressionCheckContract,
  regressionCheckJobId,
  verifyProposalContract,
} from '../src/queue/index.js';
import { notifyProposal } from './notify-proposal.job.js';

/**
 * Replays the evidence conversations' shopper turns against the changed agent in preview mode
 * (not billed, not stored) and records the result against the proposal's baseline (fixed, newly
 * broken, still failing); adds the fixed ones to the account's regression suite, queues the
 * regression check and schedules the impact check.
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
    await deps.stores.proposals.recordOnApplied(proposalId, {
      note: describeReplay(result),
      result: { replay: result },
    });
    await notifyProposal(deps, enqueue, proposalId);
    // The fixed conversations join the account's regression suite; then the suite is replayed.
    const { skills } = await deps.agentConfig(accountId);
    await addVerifiedCases({
      proposal,
      details: result.details,
      stores: deps.stores,
      skills,
      now: deps.now(),
    });
    await enqueue(
      regressionCheckContract,
      { accountId, proposalId },
      { jobId: regressionCheckJobId(proposalId, proposal.result.appliedAt ?? proposalId) },
    );
    const plan = planImpactCheck(proposal, { afterDays: IMPACT_CHECK_AFTER_DAYS, now: deps.now() });
    await enqueue(impactCheckContract, plan.payload, { jobId: plan.jobId, delay: plan.delayMs });
    const { against, fixed, total, newlyBroken } = result;
    log.info({ proposalId, against, fixed, total, newlyBroken, impactAt: plan.runAt }, 'verified');
    return { proposalId, against, fixed, total, newlyBroken, impactCheckAt: plan.runAt };
  },
});
