import type { KnownBlock, ModalView } from '@slack/types';
import type { Patch } from '../patches/patch.js';
import { editableField, editedPatch } from '../loop/approve/edits.js';
import { placeholdersInPatch } from '../domain/placeholders.js';
import type { Proposal } from '../domain/proposal.js';
import { pinnedProposal, truncate } from './blocks.js';

/**
 * The Edit modal: the proposal's main free text (instructions, snippet content, rule description)
 * and one input per `{{fill: …}}` placeholder. Its `private_metadata` names the proposal and the
 * revision shown (`pinnedProposal`), so saving over a newer revision is refused; the submission is
 * read back with `readEditSubmission`.
 */

export const EDIT_CALLBACK_ID = 'proposal_edit';
export const EDIT_TEXT_BLOCK = 'edit_text';
export const EDIT_TEXT_ACTION = 'value';
/** Block id of the input for placeholder number `index` (0-based, in `placeholdersInPatch` order). */
export const fillBlockId = (index: number): string => `fill_${index}`;

/** Slack caps a plain-text input's value at 3000 characters. */
const INPUT_MAX = 3000;
function input(blockId: string, label: string, initial: string, multiline: boolean): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: { type: 'plain_text', text: truncate(label, 2000) },
    element: {
      type: 'plain_text_input',
      action_id: EDIT_TEXT_ACTION,
      multiline,
      max_length: INPUT_MAX,
      ...(initial === '' ? {} : { initial_value: initial }),
    },
  };
}

/** The modal for editing `proposal` (opened with `views.open` and the click's `trigger_id`). */
export function editModal(proposal: Proposal): ModalView {
  const blocks: KnownBlock[] = [];
  const editable = editableField(proposal.patch);
  if (editable !== null && editable.text.length <= INPUT_MAX) {
    blocks.push(input(EDIT_TEXT_BLOCK, `Text (${editable.field})`, editable.text, true));
  } else if (editable !== null) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `_${editable.field} is longer than Slack's ${INPUT_MAX}-character input; edit it in the web UI or the CLI._`,
      },
    });
  }
  placeholdersInPatch(proposal.patch)
    .slice(0, 90)
    .forEach((description, i) => {
      blocks.push(input(fillBlockId(i), `Fill: ${description}`, '', false));
    });
  return {
    type: 'modal',
    callback_id: EDIT_CALLBACK_ID,
    private_metadata: pinnedProposal(proposal),
    title: { type: 'plain_text', text: 'Edit proposal' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

/** The `view.state.values` Slack sends on submission. */
export type ViewStateValues = Record<string, Record<string, { value?: string | null | undefined }>>;

/** What a submission asks for: a new patch (edited text, fills applied later) and the fills. */
export interface EditSubmission {
  /** The patch with the edited text, or null when the text was not changed. */
  patch: Patch | null;
  /** Placeholder fills given, by description. */
  fills: Record<string, string>;
}

/** Reads the modal's values against the proposal it was opened for. */
export function readEditSubmission(proposal: Proposal, values: ViewStateValues): EditSubmission {
  const read = (blockId: string): string | undefined =>
    values[blockId]?.[EDIT_TEXT_ACTION]?.value ?? undefined;
  const fills: Record<string, string> = {};
  placeholdersInPatch(proposal.patch).forEach((description, i) => {
    const value = read(fillBlockId(i));
    if (value !== undefined && value.trim() !== '') fills[description] = value.trim();
  });
  return { patch: editedPatch(proposal, read(EDIT_TEXT_BLOCK)), fills };
}
