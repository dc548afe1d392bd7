import { z } from 'zod';
import type { Logger } from '../logger.js';
import type { Decisions } from '../loop/approve/decide.js';
import { ApprovalRefusedError } from '../loop/approve/approvers.js';
import type { Proposal } from '../domain/proposal.js';
import {
  ProposalChangedError,
  ProposalNotFoundError,
  ProposalStateError,
} from '../store/proposal-errors.js';
import type { ProposalStore } from '../store/proposals.js';
import { PROPOSAL_ACTIONS, readPinnedProposal } from './blocks.js';
import {
  EDIT_CALLBACK_ID,
  EDIT_TEXT_BLOCK,
  editModal,
  fillBlockId,
  readEditSubmission,
} from './edit-modal.js';
import type { SlackNotifier } from './notifier.js';

/**
 * What Slack interactions do to proposals, independent of HTTP: the Fastify plugin verifies the
 * request and hands the parsed payload here. Answers are small objects the plugin sends back.
 */

const BlockActionsSchema = z.looseObject({
  type: z.literal('block_actions'),
  user: z.looseObject({ id: z.string().min(1) }),
  trigger_id: z.string().optional(),
  response_url: z.string().optional(),
  container: z
    .looseObject({ channel_id: z.string().optional(), message_ts: z.string().optional() })
    .optional(),
  actions: z.array(z.looseObject({ action_id: z.string(), value: z.string().optional() })).min(1),
});

const ViewSubmissionSchema = z.looseObject({
  type: z.literal('view_submission'),
  user: z.looseObject({ id: z.string().min(1) }),
  view: z.looseObject({
    callback_id: z.string(),
    private_metadata: z.string(),
    state: z.looseObject({
      values: z.record(
        z.string(),
        z.record(z.string(), z.looseObject({ value: z.string().nullable().optional() })),
      ),
    }),
  }),
});

export type BlockActionsPayload = z.infer<typeof BlockActionsSchema>;
export type ViewSubmissionPayload = z.infer<typeof ViewSubmissionSchema>;

export interface InteractionHandlerOptions {
  /**
   * The decide service: records approvals, rejections and edits, queues the apply and the update
   * of the proposal's Slack message and thread (so an edit made in the modal shows in the message
   * it came from).
   */
  decisions: Decisions;
  /** Reads the proposal an Edit click or a modal submission is about. */
  proposals: Pick<ProposalStore, 'get'>;
  /** Opens the edit modal and updates messages; without it, Edit explains it is unavailable. */
  notifier?: SlackNotifier;
  /** Says something only the clicking user sees (via `response_url`); errors are the caller's. */
  respond: (responseUrl: string | undefined, text: string) => void;
  logger: Logger;
  /** How long `views.open` may hold the HTTP reply (Slack wants it within 3 s). @defaultValue 1500 */
  slackCallBoundMs?: number;
}

/** The HTTP body to answer with; `undefined` means an empty 200. */
export type InteractionAnswer = Record<string, unknown> | undefined;

/** Waits for `work` at most `ms`; a late failure is logged, never thrown. */
async function bounded(work: Promise<unknown>, ms: number, log: Logger, what: string) {
  const guarded = work.catch((error: unknown) => log.warn({ err: error }, `${what} failed`));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([guarded, timeout]);
  clearTimeout(timer);
}

/** The text for a refusal the user can act on; other errors propagate. */
function refusalText(error: unknown): string | null {
  if (
    error instanceof ApprovalRefusedError ||
    error instanceof ProposalStateError ||
    error instanceof ProposalNotFoundError
  ) {
    return error.message;
  }
  return null;
}

/** Handles a verified interaction payload (the parsed `payload` form field). */
export async function handleInteraction(
  payload: unknown,
  options: InteractionHandlerOptions,
): Promise<InteractionAnswer> {
  const actions = BlockActionsSchema.safeParse(payload);
  if (actions.success) return handleBlockActions(actions.data, options);
  const view = ViewSubmissionSchema.safeParse(payload);
  if (view.success && view.data.view.callback_id === EDIT_CALLBACK_ID) {
    return handleEditSubmission(view.data, options);
  }
  options.logger.debug('ignored a Slack interaction of another kind');
  return undefined;
}

async function handleBlockActions(
  payload: BlockActionsPayload,
  options: InteractionHandlerOptions,
): Promise<InteractionAnswer> {
  const action = payload.actions[0];
  if (action === undefined || action.value === undefined) return undefined;
  // The revision the clicked message shows: a decision is on that version or on none.
  const { id: proposalId, revision } = readPinnedProposal(action.value);
  const actor = `slack:${payload.user.id}`;
  const say = (text: string): InteractionAnswer => {
    options.respond(payload.response_url, text);
    return { response_type: 'ephemeral', replace_original: false, text };
  };
  try {
    switch (action.action_id) {
      case PROPOSAL_ACTIONS.approve: {
        const { proposal: approved } = await options.decisions.approve({
          proposalId,
          actor,
          revision,
        });
        updateMessage(payload, approved, options);
        return say(
          `Approved ${approved.title}; applying it now, unless another change to its target is still being measured (then it waits, and this message says until when).`,
        );
      }
      case PROPOSAL_ACTIONS.applyAnyway: {
        const { proposal: approved } = await options.decisions.approve({
          proposalId,
          actor,
          revision,
          applyAnyway: true,
        });
        updateMessage(payload, approved, options);
        return say(
          `Applying ${approved.title} now; its impact check and the other change's will say the attribution is shared.`,
        );
      }
      case PROPOSAL_ACTIONS.reject: {
        const rejected = await options.decisions.reject({ proposalId, actor, revision });
        updateMessage(payload, rejected, options);
        return say(`Rejected ${rejected.title}.`);
      }
      case PROPOSAL_ACTIONS.edit:
        return await openEdit(payload, { id: proposalId, revision }, options, say);
      default:
        return undefined;
    }
  } catch (error) {
    if (error instanceof ProposalChangedError) {
      // The clicked message is out of date: show the new version in it, with fresh buttons.
      updateMessage(payload, error.current, options);
      return say(`${error.message} The message now shows revision ${error.current.revision}.`);
    }
    const text = refusalText(error);
    if (text === null) throw error;
    return say(text);
  }
}

function updateMessage(
  payload: BlockActionsPayload,
  proposal: Proposal,
  options: InteractionHandlerOptions,
): void {
  const channel = payload.container?.channel_id;
  const ts = payload.container?.message_ts;
  if (options.notifier === undefined || channel === undefined || ts === undefined) return;
  // The clicked message changes at once (the notify job follows with the thread reply). Not
  // awaited: the message can catch up after the reply, and Slack's 3 s are for the decision.
  options.notifier
    .updateProposal(channel, ts, proposal)
    .catch((error: unknown) => options.logger.warn({ err: error }, 'chat.update failed'));
}

async function openEdit(
  payload: BlockActionsPayload,
  shown: { id: string; revision: number },
  options: InteractionHandlerOptions,
  say: (text: string) => InteractionAnswer,
): Promise<InteractionAnswer> {
  const proposal = await options.proposals.get(shown.id);
  if (proposal === null) throw new ProposalNotFoundError(shown.id);
  if (proposal.status !== 'pending') throw ProposalStateError.refused(proposal, 'pending', 'moved');
  ProposalChangedError.assertAt(proposal, shown.revision);
  if (options.notifier === undefined || payload.trigger_id === undefined) {
    return say(
      'Editing from Slack is not set up here; edit the proposal in the web UI or the CLI.',
    );
  }
  const work = options.notifier.openView(payload.trigger_id, editModal(proposal));
  await bounded(work, options.slackCallBoundMs ?? 1500, options.logger, 'views.open');
  return undefined;
}

async function handleEditSubmission(
  payload: ViewSubmissionPayload,
  options: InteractionHandlerOptions,
): Promise<InteractionAnswer> {
  const { id: proposalId, revision } = readPinnedProposal(payload.view.private_metadata);
  const values = payload.view.state.values;
  const firstBlock = Object.keys(values)[0] ?? EDIT_TEXT_BLOCK;
  const errors = (message: string, blockId = firstBlock): InteractionAnswer => ({
    response_action: 'errors',
    errors: { [blockId]: message.slice(0, 2000) },
  });
  const proposal = await options.proposals.get(proposalId);
  if (proposal === null) return errors(`Proposal ${proposalId} does not exist.`);
  const submission = readEditSubmission(proposal, values);
  const actor = `slack:${payload.user.id}`;
  try {
    // One edit, so one audit entry and one policy check of what the person actually saw.
    await options.decisions.edit({
      proposalId,
      actor,
      note: 'edited in Slack',
      revision,
      ...submission,
    });
    return undefined;
  } catch (error) {
    if (error instanceof ProposalChangedError) {
      return errors(
        `${error.message} Cancel, then click Edit on the proposal's message to edit revision ${error.current.revision}.`,
      );
    }
    const text = refusalText(error);
    if (text === null) throw error;
    const onFill = error instanceof ApprovalRefusedError && error.reason === 'invalid-fill';
    return errors(
      text,
      onFill && values[fillBlockId(0)] !== undefined ? fillBlockId(0) : firstBlock,
    );
  }
}
