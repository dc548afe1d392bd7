import { WebClient } from '@slack/web-api';
import type { ModalView } from '@slack/types';
import type { Logger } from '../logger.js';
import type { Proposal } from '../domain/proposal.js';
import {
  proposalMessage,
  statusMessage,
  suspiciousNotice,
  type ProposalMessageOptions,
  type SuspiciousLine,
} from './blocks.js';

/**
 * Posts proposals to Slack and keeps their messages current. Retries are capped at two: the
 * library's default retries for about 30 minutes, which would stall a job or a request.
 */

export interface SlackNotifierOptions {
  /** Bot token (`xoxb-…`); never logged. */
  token: string;
  /** The Web API base, e.g. a fake's `http://127.0.0.1:<port>/api/`. @defaultValue Slack's */
  slackApiUrl?: string;
  logger: Logger;
  /** Builds the proposal's web page URL, linked when a diff is cut. */
  webUrlFor?: (proposal: Proposal) => string | undefined;
  /** Builds the URL of the proposal's account overview, linked next to its page. */
  overviewUrlFor?: (proposal: Proposal) => string | undefined;
  /** The web page that lists suspicious conversations, linked from their notice. */
  suspiciousUrl?: string;
  /** Per-call timeout in ms. @defaultValue 10000 */
  timeoutMs?: number;
}

/** Where a posted message lives: store both to update it later. */
export interface PostedMessage {
  channel: string;
  ts: string;
}

/** The message metadata that marks a proposal's message, so a retry can find it. */
export const PROPOSAL_EVENT_TYPE = 'agent_trainer_proposal';

export interface SlackNotifier {
  /** Posts the approval request; returns the channel id and message ts to store. */
  postProposal(channel: string, proposal: Proposal): Promise<PostedMessage>;
  /**
   * The proposal's message among the channel's recent ones (by its metadata), or null when none
   * is there or the app may not read the channel's history.
   */
  findProposalMessage(channel: string, proposalId: string): Promise<PostedMessage | null>;
  /** Replaces the message with the proposal's current status. */
  updateProposal(channel: string, ts: string, proposal: Proposal): Promise<void>;
  /** Replies in the message's thread. */
  reply(channel: string, ts: string, text: string): Promise<void>;
  /** Opens a modal for the user whose interaction gave `triggerId` (valid for 3 s). */
  openView(triggerId: string, view: ModalView): Promise<void>;
  /** Says that conversations tried to instruct the loop, and lists them in the message's thread. */
  postSuspicious(
    channel: string,
    accountId: string,
    conversations: readonly SuspiciousLine[],
  ): Promise<PostedMessage>;
}

/** How many recent channel messages a retry searches for a message it may have posted. */
const HISTORY_LOOKBACK = 200;

/** A notifier on Slack's Web API. */
export function createSlackNotifier(options: SlackNotifierOptions): SlackNotifier {
  const web = new WebClient(options.token, {
    retryConfig: { retries: 2 },
    timeout: options.timeoutMs ?? 10_000,
    ...(options.slackApiUrl === undefined ? {} : { slackApiUrl: options.slackApiUrl }),
  });
  const log = options.logger;
  const messageOptions = (proposal: Proposal): ProposalMessageOptions => {
    const webUrl = options.webUrlFor?.(proposal);
    const overviewUrl = options.overviewUrlFor?.(proposal);
    return {
      ...(webUrl === undefined ? {} : { webUrl }),
      ...(overviewUrl === undefined ? {} : { overviewUrl }),
    };
  };
  return {
    async postProposal(channel, proposal) {
      const message = proposalMessage(proposal, messageOptions(proposal));
      const result = await web.chat.postMessage({
        channel,
        ...message,
        unfurl_links: false,
        metadata: { event_type: PROPOSAL_EVENT_TYPE, event_payload: { proposal_id: proposal.id } },
      });
      if (result.ts === undefined || result.channel === undefined) {
        throw new Error('Slack chat.postMessage answered without a channel or ts');
      }
      log.info({ proposalId: proposal.id, channel: result.channel }, 'proposal posted to Slack');
      return { channel: result.channel, ts: result.ts };
    },
    async findProposalMessage(channel, proposalId) {
      try {
        const history = await web.conversations.history({
          channel,
          include_all_metadata: true,
          limit: HISTORY_LOOKBACK,
        });
        // The SDK types event_payload as `{}`; ours is `{ proposal_id }`.
        const found = history.messages?.find(
          (m) =>
            m.metadata?.event_type === PROPOSAL_EVENT_TYPE &&
            (m.metadata.event_payload as { proposal_id?: unknown } | undefined)?.proposal_id ===
              proposalId,
        );
        return found?.ts === undefined ? null : { channel, ts: found.ts };
      } catch (error) {
        // Without channels:history (older installs) we cannot look; the caller posts anew.
        log.warn({ err: error, proposalId, channel }, 'could not search the channel history');
        return null;
      }
    },
    async updateProposal(channel, ts, proposal) {
      const message = statusMessage(proposal, messageOptions(proposal));
      await web.chat.update({ channel, ts, ...message });
      log.debug({ proposalId: proposal.id, channel, ts }, 'proposal message updated');
    },
    async reply(channel, ts, text) {
      await web.chat.postMessage({ channel, thread_ts: ts, text });
    },
    async openView(triggerId, view) {
      await web.views.open({ trigger_id: triggerId, view });
    },
    async postSuspicious(channel, accountId, conversations) {
      const notice = suspiciousNotice(accountId, conversations, options.suspiciousUrl);
      const result = await web.chat.postMessage({
        channel,
        text: notice.text,
        unfurl_links: false,
      });
      if (result.ts === undefined || result.channel === undefined) {
        throw new Error('Slack chat.postMessage answered without a channel or ts');
      }
      await web.chat.postMessage({
        channel: result.channel,
        thread_ts: result.ts,
        text: notice.thread,
        unfurl_links: false,
      });
      log.info(
        { accountId, channel, conversations: conversations.length },
        'suspicious conversations posted to Slack',
      );
      return { channel: result.channel, ts: result.ts };
    },
  };
}
