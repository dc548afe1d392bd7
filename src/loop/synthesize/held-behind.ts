import type { Proposal, ProposalStatus } from '../../domain/proposal.js';
import { sharedChanges } from '../../patches/overlap.js';
import type { ProposalStore } from '../../store/proposals.js';

/**
 * Synthesis never leaves two undecided proposals that change the same field: the second would be
 * drafted against a value the first changes, and one of them would end in `conflict` or (before
 * target leases) overwrite the other. A new draft that collides with an undecided proposal is
 * HELD BEHIND it: not stored, with the reason in the run's result and log, the `run` summary and
 * the first proposal's Slack thread; a later run drafts it again against the config as the first
 * left it. Holding was chosen over merging because a merge
 * would change a proposal a person may be reviewing.
 */

/** Undecided: a draft colliding with one of these waits for it. */
const UNDECIDED: readonly ProposalStatus[] = ['pending', 'approved', 'applying'];

/** A draft held behind an undecided proposal: which one, and why, as people are told. */
export interface HeldDraft {
  findingId: string;
  /** The undecided proposal it waits for. */
  behind: string;
  /** The held draft's title. */
  title: string;
  reason: string;
}

/** The undecided proposal of its account that `proposal` is held behind, or null when none. */
export async function heldBehind(
  proposals: Pick<ProposalStore, 'list'>,
  proposal: Proposal,
): Promise<HeldDraft | null> {
  const undecided = await proposals.list({
    accountId: proposal.accountId,
    status: UNDECIDED,
    limit: 5000,
  });
  for (const first of undecided) {
    if (first.id === proposal.id) continue;
    const shared = sharedChanges(proposal, first);
    if (shared.length === 0) continue;
    return {
      findingId: proposal.finding.id,
      behind: first.id,
      title: proposal.title,
      reason: `Held behind proposal ${first.id} (${first.status}), which changes the same ${shared.join(', ')}; drafted again once it is decided.`,
    };
  }
  return null;
}
