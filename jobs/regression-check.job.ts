import { checkRegressions } from '../src/loop/verify/regression-check.js';
import { describeRegression } from '../src/domain/regression.js';
import { defineJob, regressionCheckContract } from '../src/queue/index.js';
import { notifyProposal } from './notify-proposal.job.js';

/**
 * After an apply is verified: replays the account's regression suite and recent successful
 * conversations of the touched skill in preview mode, within REGRESSION_REPLAY_BUDGET turns.
 * Regressions are recorded on the proposal with a drafted revert (a new pending proposal).
 */
export const regressionCheckJob = defineJob({
  ...regressionCheckContract,
  async handle({ accountId, proposalId }, { deps, enqueue, log, signal }) {
    const proposal = await deps.stores.proposals.get(proposalId);
    if (!proposal || proposal.status !== 'applied') {
      log.info({ proposalId, status: proposal?.status }, 'regression check skipped: not applied');
      return { proposalId, regressions: null };
    }
    const { replayBudget, successSample } = deps.config.regression;
    const result = await checkRegressions({
      proposal,
      client: deps.klaviyo(accountId, 'write'),
      stores: deps.stores,
      now: deps.now(),
      budget: replayBudget,
      successSample,
      revert: { stores: deps.stores, client: deps.klaviyo(accountId, 'read'), now: deps.now },
      logger: log,
      signal,
    });
    await deps.stores.proposals.recordOnApplied(proposalId, {
      note: describeRegression(result),
      result: { regression: result },
    });
    await notifyProposal(deps, enqueue, proposalId);
    if (result.revertProposalId !== undefined) {
      await notifyProposal(deps, enqueue, result.revertProposalId);
    }
    return { proposalId, checked: result.checked, regressions: result.regressions.length };
  },
});
