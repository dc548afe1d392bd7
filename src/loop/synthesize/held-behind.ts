import type { Proposal, ProposalStatus } from '../../domain/proposal.js';
import { sharedChanges } from '../../patches/overlap.js';
import type { ProposalStore } from '../../store/proposals.js';

/**
 * Synthesis never leaves two undecided proposals that change the same field: the second would be
 * drafted against a value the first changes, and one of them would end in `conflict` or (before
 * target leases) overwrite the other. A new draft that collides with an undecided proposal is
 * HELD BEHIND it: not stored, with the reason in the run's result and log; a later run drafts it
 * again against the config as the first left it. Holding was chosen over merging because a merge
 * would change a proposal a person may be reviewing.
 */

/** Undecided: a draft colliding with one of these waits for it. */
const UNDECIDED: readonly ProposalStatus[] = ['pending', 'approved', 'applying'];

/** Why `proposal` is held behind an undecided proposal of its account, or null when it is not. */
export async function heldBehind(
  proposals: Pick<ProposalStore, 'list'>,
  proposal: Proposal,
): Promise<string | null> {
  const undecided = await proposals.list({
    accountId: proposal.accountId,
    status: UNDECIDED,
    limit: 5000,
  });
  for (const first of undecided) {
    if (first.id === proposal.id) continue;
    const shared = sharedChanges(proposal, first);
    if (shared.length === 0) continue;
    return `Held behind proposal ${first.id} (${first.status}), which changes the same ${shared.join(', ')}; drafted again once it is decided.`;
  }
  return null;
}
