import { editProposal, fillPatch, type ApprovalStores, type EditInput } from './transitions.js';
import type { Patch } from '../../patches/patch.js';
import { mapPatchText, patchTextFields } from '../../domain/placeholders.js';
import type { Proposal } from '../../domain/proposal.js';

/**
 * A person's edit as both doors (the Slack modal, the web form) offer it: the proposal's main free
 * text plus one value per `{{fill: …}}` placeholder, saved as ONE edit so it gets one audit entry
 * and one policy check of exactly what the person saw.
 */

/** Fields in the order we prefer to offer for editing: the one that carries the behaviour. */
const PREFERRED_FIELDS = [
  'changes.instructions',
  'skill.instructions',
  'snippet.content',
  'changes.content',
  'rule.description',
  'style.description',
  'tone.custom_instruction',
];

/** The field offered for editing, or null when the patch has no free text. */
export function editableField(patch: Patch): { field: string; text: string } | null {
  const fields = patchTextFields(patch);
  for (const name of PREFERRED_FIELDS) {
    const found = fields.find((f) => f.field === name);
    if (found !== undefined) return found;
  }
  return fields[0] ?? null;
}

/** The patch with the editable field set to `text`, or null when `text` changes nothing. */
export function editedPatch(proposal: Proposal, text: string | undefined): Patch | null {
  const editable = editableField(proposal.patch);
  if (editable === null || text === undefined || text === editable.text) return null;
  return mapPatchText(proposal.patch, (current, field) =>
    field === editable.field ? text : current,
  );
}

export type SaveEditInput = Omit<EditInput, 'patch' | 'fills'> & {
  /** The edited patch (from `editedPatch`), or null when the text was not changed. */
  patch: Patch | null;
  /** Placeholder fills by description; blank ones must already be dropped. */
  fills: Record<string, string>;
};

/**
 * Saves the edit through the approval core (policy re-checked, diff re-rendered, audited).
 * @returns the edited proposal, or null when the submission changed nothing
 * @throws ApprovalRefusedError / ProposalStateError as `editProposal` does
 */
export async function saveEdit(
  stores: ApprovalStores,
  input: SaveEditInput,
): Promise<Proposal | null> {
  const { patch, fills, ...base } = input;
  const hasFills = Object.keys(fills).length > 0;
  if (patch !== null) {
    return editProposal(stores, { ...base, patch: hasFills ? fillPatch(patch, fills) : patch });
  }
  return hasFills ? editProposal(stores, { ...base, fills }) : null;
}
