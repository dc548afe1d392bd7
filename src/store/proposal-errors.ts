import { AppError } from '../errors.js';
import type { Proposal, ProposalStatus } from '../domain/proposal.js';

export interface ProposalStateDetails {
  proposalId: string;
  requested: ProposalStatus;
  /** The status the proposal is actually in, when known. */
  current?: ProposalStatus;
  /** Who moved it to `current`, and when (from its history). */
  by?: string;
  at?: string;
}

/**
 * A proposal is not in a status that allows the requested move: someone else already decided
 * (the message says who and when), or the move is not in PROPOSAL_TRANSITIONS. Not retryable.
 */
export class ProposalStateError extends AppError {
  readonly details: ProposalStateDetails;

  constructor(message: string, details: ProposalStateDetails) {
    super(message, { code: 'proposal_state_conflict', retryable: false });
    this.details = details;
  }

  /** The error for `proposal` refusing a move to `requested`. */
  static refused(
    proposal: Proposal,
    requested: ProposalStatus,
    reason: 'moved' | 'illegal',
  ): ProposalStateError {
    const current = proposal.status;
    const last = [...proposal.history].reverse().find((event) => event.status === current);
    const who = last ? ` by ${last.actor} at ${last.at}` : '';
    const message =
      reason === 'illegal'
        ? `Proposal ${proposal.id} is ${current}; it cannot move to ${requested}.`
        : current === requested
          ? `Proposal ${proposal.id} was already ${current}${who}.`
          : `Proposal ${proposal.id} is already ${current}${who}; it cannot move to ${requested}.`;
    return new ProposalStateError(message, {
      proposalId: proposal.id,
      requested,
      current,
      ...(last ? { by: last.actor, at: last.at } : {}),
    });
  }
}

/** No proposal with this id (never created, or removed). Not retryable. */
export class ProposalNotFoundError extends AppError {
  readonly proposalId: string;

  constructor(proposalId: string) {
    super(`Proposal ${proposalId} does not exist.`, {
      code: 'proposal_not_found',
      retryable: false,
    });
    this.proposalId = proposalId;
  }
}

/**
 * The proposal changed (was edited) since the revision a person was shown, so their decision is
 * refused rather than applied to text they never saw. `current` is the proposal as it is now, for
 * the door to show. Not retryable: the person decides again on the new version.
 */
export class ProposalChangedError extends AppError {
  readonly current: Proposal;
  readonly shownRevision: number;

  constructor(current: Proposal, shownRevision: number) {
    const last = [...current.history].reverse().find((event) => event.status === 'pending');
    const by = last === undefined ? '' : ` (last by ${last.actor} at ${last.at})`;
    super(
      `Proposal ${current.id} changed since you saw it: you were shown revision ${shownRevision}, it is now revision ${current.revision}${by}. Nothing was decided; read the new version and decide again.`,
      { code: 'proposal_changed', retryable: false },
    );
    this.current = current;
    this.shownRevision = shownRevision;
  }

  /** Throws unless `proposal` is at `shown` (no pin when `shown` is undefined). */
  static assertAt(proposal: Proposal, shown: number | undefined): void {
    if (shown !== undefined && proposal.revision !== shown) {
      throw new ProposalChangedError(proposal, shown);
    }
  }
}
