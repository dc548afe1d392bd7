import { openWindowsOn, type OpenWindow } from '../../domain/attribution.js';
import type { Proposal } from '../../domain/proposal.js';
import { ProposalStateError } from '../../store/proposal-errors.js';
import type { Run } from './finish.js';

/**
 * Apply's side of one change per target per attribution window (src/domain/attribution.ts).
 * Checked under the target's lease, right before `approved → applying`: applies of one target run
 * one at a time, so two proposals released together never both go through, and the decision
 * is made by the one place that writes, whichever door (or auto-approve) approved.
 */

/** Applied proposals read for open windows: windows last days, so recent applies are enough. */
const RECENT_APPLIED = 500;

/**
 * Whether `run.proposal` (approved) must wait: when another applied proposal's window on its
 * target is open, records `waitingBehind` (the one closing last) and returns the window; the
 * caller schedules the apply for then. With an approver's "apply anyway", records instead that
 * the attribution is shared and returns null. A retry that finds the same hold recorded returns
 * it again without a second history entry.
 */
export async function holdBehindOpenWindow(run: Run): Promise<OpenWindow | null> {
  const { proposal } = run;
  const applied = await run.input.stores.proposals.list({
    accountId: proposal.accountId,
    status: 'applied',
    limit: RECENT_APPLIED,
  });
  const open = openWindowsOn(proposal, applied, run.now());
  const latest = open.at(-1);
  if (latest === undefined) return null;
  const ids = open.map((w) => w.proposalId);
  if (proposal.attribution.applyAnyway !== undefined) {
    if (!ids.every((id) => proposal.attribution.sharedWith?.includes(id))) {
      run.proposal = await record(
        run,
        { sharedWith: ids },
        `attribution shared with ${ids.join(', ')}`,
      );
    }
    return null;
  }
  const held = proposal.attribution.waitingBehind;
  if (held?.proposalId !== latest.proposalId || held.until !== latest.until) {
    run.proposal = await record(
      run,
      { waitingBehind: latest },
      `waits behind ${latest.proposalId} until ${latest.until}: it changed the same target and its impact check is still open`,
    );
  }
  return latest;
}

async function record(
  run: Run,
  attribution: Proposal['attribution'],
  note: string,
): Promise<Proposal> {
  await run.guard();
  return run.input.stores.proposals.transition(run.proposal.id, {
    from: 'approved',
    to: 'approved',
    actor: 'system',
    note,
    attribution,
    audit: false,
  });
}

/**
 * Once a proposal applied anyway is applied, each proposal it shares attribution with records it
 * too. Run after every apply and on every retry that finds the proposal applied, so a crash
 * between the two leaves nothing half-recorded; adding an id already there changes nothing.
 */
export async function shareAttribution(run: Run, proposal: Proposal): Promise<void> {
  for (const other of proposal.attribution.sharedWith ?? []) {
    const current = await run.input.stores.proposals.get(other);
    if (current === null || current.attribution.sharedWith?.includes(proposal.id)) continue;
    try {
      await run.input.stores.proposals.recordOnApplied(other, {
        note: `attribution shared with ${proposal.id}, applied anyway on the same target`,
        attribution: { sharedWith: [proposal.id] },
      });
    } catch (error) {
      // Reverted meanwhile: its impact check will not run, so there is nothing to share.
      if (!(error instanceof ProposalStateError)) throw error;
    }
  }
}
