import { isDeepStrictEqual } from 'node:util';
import type { Logger } from '../../logger.js';
import { ProposalStateError } from '../../store/proposal-errors.js';
import type { ProposalStore } from '../../store/proposals.js';
import type { WriteIntent } from '../../store/apply-lock.js';
import { guidanceStanding, type AuditLists } from './guidance.js';
import { shareAttribution } from './attribution.js';
import { comparable } from '../../patches/fields.js';
import type { TargetState } from '../../patches/kind.js';
import type { ApplyInput, ApplyOutcome } from './apply.js';
import type { Proposal } from '../../domain/proposal.js';
import { guidanceChangeOf, kindOf } from '../../patches/kinds/index.js';
import { proposedFields, touchedFields } from '../../patches/render-diff.js';

/**
 * How an apply ends: each outcome is one compare-and-set transition of the proposal out of
 * `applying`, with its audit entry; a proposal another worker finished meanwhile is taken as is.
 */

/** One apply call: its input, the proposal as last read, and who is recorded on transitions. */
export interface Run {
  input: ApplyInput;
  proposal: Proposal;
  actor: string;
  log: Logger;
  now: () => Date;
  /** Throws when the attempt must stop (job aborted, target lease lost); see lease.ts. */
  guard: () => Promise<void>;
}

/** The outcome of a proposal that apply already finished; null when there is work to do. */
export async function settledOutcome(run: Run, proposal: Proposal): Promise<ApplyOutcome | null> {
  switch (proposal.status) {
    case 'approved':
    case 'applying':
      return null;
    case 'applied':
    case 'reverted':
      await afterApplied(run, proposal);
      return 'already-applied';
    case 'conflict':
    case 'failed':
      return proposal.status;
    default:
      throw ProposalStateError.refused(proposal, 'applying', 'illegal');
  }
}

function approvalNote(proposal: Proposal): string {
  // The decision itself: later `approved` entries record holds and "apply anyway".
  const approval = proposal.history.find((e) => e.status === 'approved');
  return approval === undefined
    ? 'no approval in the history'
    : `approved by ${approval.actor} at ${approval.at}`;
}

/** Moves `applying` to a final status; a proposal finished meanwhile by another worker is fine. */
async function finish(
  run: Run,
  to: 'applied' | 'conflict' | 'failed',
  extra: Pick<Parameters<ProposalStore['transition']>[1], 'result' | 'audit' | 'note'>,
): Promise<ApplyOutcome> {
  // Fenced: an attempt that lost its target to a newer one records nothing.
  await run.guard();
  try {
    run.proposal = await run.input.stores.proposals.transition(run.proposal.id, {
      from: 'applying',
      to,
      actor: run.actor,
      ...extra,
    });
    return to;
  } catch (error) {
    if (!(error instanceof ProposalStateError)) throw error;
    const current = await run.input.stores.proposals.get(run.proposal.id);
    if (current === null || current.status === 'applying') throw error;
    return (await settledOutcome(run, current)) ?? to;
  }
}

/**
 * `applying → applied`. The audit's before/after are `lists` when given (a rule or style list as
 * read and as written), else the baseline's fields and what the patch makes of them.
 */
export async function finishApplied(
  run: Run,
  resourceId: string | undefined,
  how?: string,
  lists?: AuditLists,
): Promise<ApplyOutcome> {
  const { proposal } = run;
  const isCreate = kindOf(proposal.patch).creates;
  const detail = [approvalNote(proposal), how, resourceId && `resource ${resourceId}`]
    .filter(Boolean)
    .join('; ');
  const outcome = await finish(run, 'applied', {
    result: {
      appliedAt: run.now().toISOString(),
      ...(resourceId === undefined ? {} : { resourceId }),
    },
    audit: {
      before: lists?.before ?? (isCreate ? null : proposal.baseline.fields),
      after: lists?.after ?? proposedFields(proposal.patch, proposal.baseline.fields),
      detail,
    },
  });
  if (outcome === 'applied') await afterApplied(run, run.proposal);
  return outcome;
}

export async function finishConflict(
  run: Run,
  state: TargetState,
  why?: string,
): Promise<ApplyOutcome> {
  const { baseline, patch } = run.proposal;
  const drafted = comparable(baseline.fields);
  const changed = touchedFields(patch).filter(
    (f) => !isDeepStrictEqual(state.fields[f], drafted[f] ?? null),
  );
  const what = `${baseline.target.type} ${baseline.target.id ?? ''}`.trim();
  const change = guidanceChangeOf(patch);
  const itemWhy =
    change === null ? undefined : guidanceStanding(change, baseline.fields, state.fields).why;
  const message =
    state.conflict ??
    `${what} ${why ?? itemWhy ?? `changed since the proposal was drafted (${changed.join(', ')})`}; nothing was written. Draft a new proposal against the current config.`;
  return finish(run, 'conflict', {
    result: { error: message },
    audit: { before: baseline.fields, after: state.fields, detail: message },
  });
}

/**
 * `applying → conflict` when an earlier attempt's write has an unknown outcome and the target now
 * matches neither the baseline nor the patch: the write may have landed and been changed since,
 * or never landed. Says so, and what was checked; the intent is kept as the record of the attempt.
 */
export async function finishUnknown(
  run: Run,
  state: TargetState,
  intent: Pick<WriteIntent, 'owner' | 'claimedAt'>,
): Promise<ApplyOutcome> {
  const { baseline, patch } = run.proposal;
  const what = `${baseline.target.type} ${baseline.target.id ?? ''}`.trim();
  const fields = touchedFields(patch).join(', ');
  const message =
    `The patch MAY HAVE BEEN WRITTEN: an earlier attempt (apply job ${intent.owner}, ${intent.claimedAt}) ` +
    `claimed the write and stopped before recording its outcome, and ${what} now matches neither the ` +
    `baseline nor the patch (checked: ${fields}, read at ${run.now().toISOString()}). ` +
    `Look at ${what} in Klaviyo before drafting again.`;
  return finish(run, 'conflict', {
    result: { error: message },
    audit: { before: baseline.fields, after: state.fields, detail: message },
  });
}

export async function finishFailed(run: Run, message: string): Promise<ApplyOutcome> {
  return finish(run, 'failed', { result: { error: message }, audit: { detail: message } });
}

/** What an apply sets off on other proposals; run again by every retry that finds it applied. */
async function afterApplied(run: Run, proposal: Proposal): Promise<void> {
  await markOriginalReverted(run, proposal);
  await shareAttribution(run, proposal);
}

/** A revert proposal that is applied marks the proposal it reverts `reverted`. */
async function markOriginalReverted(run: Run, proposal: Proposal): Promise<void> {
  if (proposal.revertOf === null || proposal.status !== 'applied') return;
  try {
    await run.input.stores.proposals.transition(proposal.revertOf, {
      from: 'applied',
      to: 'reverted',
      actor: run.actor,
      note: `reverted by proposal ${proposal.id}`,
    });
  } catch (error) {
    if (!(error instanceof ProposalStateError)) throw error;
    if (error.details.current !== 'reverted') {
      run.log.warn(
        { revertOf: proposal.revertOf, err: error.message },
        'could not mark the reverted proposal',
      );
    }
  }
}
