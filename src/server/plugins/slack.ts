import type { FastifyPluginAsync } from 'fastify';
import { applyJobId, applyProposalJob } from '../../../jobs/apply-proposal.job.js';
import type { App } from '../../app.js';
import { AppError } from '../../errors.js';
import { readAgentConfig, toPolicyCurrent } from '../../loop/agent-config.js';
import { createEnqueue } from '../../queue/index.js';
import { slackInteractions } from './slack-interactions.js';

/**
 * Connects Slack's interactions endpoint to this deployment: approvals go through the approval
 * core with the proposal's account settings, an approval queues the apply job, and edits are
 * checked against the agent's configuration read fresh. Registered only with a signing secret.
 */
const slackPlugin: FastifyPluginAsync<{ app: App; signingSecret: string }> = async (
  server,
  { app, signingSecret },
) => {
  const { deps } = app;
  const enqueue = createEnqueue(app.queues);
  const accountOf = async (proposalId: string) => {
    const proposal = await deps.stores.proposals.get(proposalId);
    if (!proposal) {
      throw new AppError(`No proposal ${proposalId}`, {
        code: 'proposal_not_found',
        retryable: false,
      });
    }
    return deps.account(proposal.accountId);
  };
  await server.register(slackInteractions, {
    signingSecret,
    redis: app.redis,
    keyPrefix: app.config.redis.prefix,
    stores: deps.stores,
    accountFor: accountOf,
    enqueueApply: async (proposal) => {
      await enqueue(
        applyProposalJob,
        { accountId: proposal.accountId, proposalId: proposal.id },
        { jobId: applyJobId(proposal) },
      );
    },
    ...(deps.slack ? { notifier: deps.slack } : {}),
    policyContextFor: async (proposal) => {
      const account = deps.account(proposal.accountId);
      const view = await readAgentConfig(deps.klaviyo(account.id, 'read'));
      return {
        allowedKinds: account.allowedKinds,
        current: toPolicyCurrent(view),
        transcripts: [],
      };
    },
    logger: deps.logger,
  });
};

export default slackPlugin;
