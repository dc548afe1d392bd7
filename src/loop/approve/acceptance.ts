import type { Proposal, ProposalStatus } from '../../domain/proposal.js';
import type { ProposalStore } from '../../store/proposals.js';

/**
 * How often people accept what the loop proposes, by failure category and by drafter (rules or
 * Claude): what `agent-trainer proposals stats` and `/metrics` show, so a team sees which kinds
 * of change are worth its time and whether Claude's drafts fare better than the rules'.
 */

/** A person (or the auto-approve policy) said yes: everything past `approved`. */
const ACCEPTED: readonly ProposalStatus[] = [
  'approved',
  'applying',
  'applied',
  'conflict',
  'failed',
  'reverted',
];

export interface AcceptanceRow {
  category: string;
  drafter: string;
  accepted: number;
  rejected: number;
  /** accepted / (accepted + rejected); null before any decision. */
  rate: number | null;
}

/** Who drafted a proposal, from its first history entry ("drafted by claude"). */
export function drafterOf(proposal: Proposal): string {
  const note = proposal.history[0]?.note ?? '';
  return /^drafted by (\S+)/.exec(note)?.[1] ?? (proposal.revertOf === null ? 'rules' : 'revert');
}

/** Acceptance per category × drafter over decided proposals (pending and expired do not count). */
export function acceptanceStats(proposals: readonly Proposal[]): AcceptanceRow[] {
  const rows = new Map<string, AcceptanceRow>();
  for (const proposal of proposals) {
    const accepted = ACCEPTED.includes(proposal.status);
    if (!accepted && proposal.status !== 'rejected') continue;
    const category = proposal.finding.category;
    const drafter = drafterOf(proposal);
    const key = `${category}|${drafter}`;
    const row = rows.get(key) ?? { category, drafter, accepted: 0, rejected: 0, rate: null };
    if (accepted) row.accepted += 1;
    else row.rejected += 1;
    row.rate = row.accepted / (row.accepted + row.rejected);
    rows.set(key, row);
  }
  return [...rows.values()].sort(
    (a, b) => a.category.localeCompare(b.category) || a.drafter.localeCompare(b.drafter),
  );
}

/** How many decided proposals the figures are computed from (the newest). */
const MAX_DECIDED = 5000;

/** The newest decided proposals, of one account or all. */
export async function decidedProposals(
  proposals: Pick<ProposalStore, 'list'>,
  accountId?: string,
): Promise<Proposal[]> {
  return proposals.list({
    status: [...ACCEPTED, 'rejected'],
    limit: MAX_DECIDED,
    ...(accountId === undefined ? {} : { accountId }),
  });
}
