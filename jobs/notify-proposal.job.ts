import { z } from 'zod';
import type { Deps } from '../src/deps.js';
import { defineJob, jobIdFrom, type Enqueue } from '../src/queue/index.js';
import type { Proposal } from '../src/domain/proposal.js';

/**
 * Tells the account's Slack channel about a proposal: posts it (with Approve / Reject / Edit) the
 * first time, and afterwards updates that message and says in its thread what happened —
 * approved or rejected by whom, applied or conflict, the replay result, the impact check.
 * Without SLACK_BOT_TOKEN or a channel for the account, it does nothing.
 */
export const notifyProposalJob = defineJob({
  name: 'notify-proposal',
  queue: 'notify',
  payload: z.object({ proposalId: z.string().min(1) }),
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

/** One notification per state of a proposal, however often it is enqueued. */
export function notifyJobId(proposal: Proposal): string {
  return jobIdFrom('notify', proposal.id, proposal.updatedAt, proposal.history.length);
}

/** Queues the notification of a proposal's current state (a no-op job without Slack). */
export async function notifyProposal(
  deps: Deps,
  enqueue: Enqueue,
  proposalId: string,
): Promise<void> {
  if (!deps.slack) return;
  const proposal = await deps.stores.proposals.get(proposalId);
  if (proposal) await enqueue(notifyProposalJob, { proposalId }, { jobId: notifyJobId(proposal) });
}
