import type { Deps } from '../src/deps.js';
import {
  defineJob,
  enqueueNotification,
  notifyProposalContract,
  type Enqueue,
} from '../src/queue/index.js';

/**
 * Tells the account's Slack channel about a proposal: posts it (with Approve / Reject / Edit) the
 * first time, and afterwards updates that message and says in its thread what happened —
 * approved or rejected by whom, applied or conflict, the replay result, the regression check, the
 * impact check. Without SLACK_BOT_TOKEN or a channel for the account, it does nothing.
 */
export const notifyProposalJob = defineJob({
  ...notifyProposalContract,
  async handle({ proposalId }, { deps, log }) {
    const proposal = await deps.stores.proposals.get(proposalId);
    const channel = proposal ? deps.account(proposal.accountId).slackChannel : undefined;
    if (!deps.slack || !proposal || !channel) return { proposalId, sent: false };
    const posted = await deps.stores.slackMessages.get(proposalId);
    if (!posted) {
      // A retry after a crash between posting and recording finds the first message instead of
      // posting a second one.
      const firstAttempt = await deps.stores.slackMessages.claimPost(proposalId);
      const earlier = firstAttempt
        ? null
        : await deps.slack.findProposalMessage(channel, proposalId);
      const message = earlier ?? (await deps.slack.postProposal(channel, proposal));
      await deps.stores.slackMessages.setOnce(proposalId, message);
      log.info({ proposalId, channel, adopted: earlier !== null }, 'proposal posted to Slack');
      return { proposalId, sent: earlier === null ? 'posted' : 'adopted' };
    }
    await deps.slack.updateProposal(posted.channel, posted.ts, proposal);
    const latest = proposal.history.at(-1);
    if (latest) {
      await deps.slack.reply(
        posted.channel,
        posted.ts,
        `${latest.status} by ${latest.actor}${latest.note ? ` — ${latest.note}` : ''}`,
      );
    }
    return { proposalId, sent: 'updated' };
  },
});

/**
 * For handlers: queues the notification of a proposal's current state (nothing without Slack).
 * Decisions notify through the decide service (src/loop/approve/decide.ts).
 */
export async function notifyProposal(
  deps: Pick<Deps, 'slack' | 'stores'>,
  enqueue: Enqueue,
  proposalId: string,
): Promise<void> {
  if (!deps.slack) return;
  await enqueueNotification(enqueue, deps.stores.proposals, proposalId);
}
