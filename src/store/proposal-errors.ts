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
