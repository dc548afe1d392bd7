import { AppError } from '../../errors.js';
import type { Proposal } from '../../domain/proposal.js';
import type { PolicyViolation } from '../policy/policy.js';

/**
 * Who may decide on a proposal: an actor listed in the account's `approvers` (`slack:U123`,
 * `web:alice`, `cli:ops`; `slack:*` admits every Slack user). An EMPTY list admits only `cli:*`
 * operators: whoever runs the CLI already holds the deployment's Redis and keys and could write
 * directly, so refusing them protects nothing, while remote Slack and web users must be named.
 */

/** The account settings approvals read (an `AccountConfig` from src/config.ts fits). */
export interface ApprovalAccountConfig {
  /** When given, proposals of other accounts are refused. */
  id?: string;
  approvers: readonly string[];
}

export type ApprovalRefusal = 'not-approver' | 'placeholders' | 'invalid-fill' | 'policy' | 'edit';

/**
 * A decision the approval core refuses; `message` says why and what to do. Not retryable.
 */
export class ApprovalRefusedError extends AppError {
  readonly reason: ApprovalRefusal;
  readonly violations: PolicyViolation[];

  constructor(message: string, reason: ApprovalRefusal, violations: PolicyViolation[] = []) {
    super(message, { code: 'approval_refused', retryable: false });
    this.reason = reason;
    this.violations = violations;
  }
}

const CLI_OPERATOR = 'cli:*';

/** `slack:*` matches any `slack:<id>`; anything else matches exactly. */
function matches(actor: string, pattern: string): boolean {
  if (!pattern.endsWith(':*')) return actor === pattern;
  const scheme = pattern.slice(0, -1);
  return actor.startsWith(scheme) && actor.length > scheme.length;
}

/** Whether `actor` may approve or reject for an account with these `approvers`. */
export function isApprover(actor: string, approvers: readonly string[]): boolean {
  const allowed = approvers.length === 0 ? [CLI_OPERATOR] : approvers;
  return allowed.some((pattern) => matches(actor, pattern));
}

/** Throws unless `actor` may decide on (or, with `verb` 'edit', edit) `proposal` for this account. */
export function assertApprover(
  actor: string,
  proposal: Pick<Proposal, 'id' | 'accountId'>,
  account: ApprovalAccountConfig,
  verb: 'decide' | 'edit' = 'decide',
): void {
  if (account.id !== undefined && account.id !== proposal.accountId) {
    throw new ApprovalRefusedError(
      `Proposal ${proposal.id} belongs to account ${proposal.accountId}, not ${account.id}; decide on it with that account's approvers.`,
      'not-approver',
    );
  }
  if (isApprover(actor, account.approvers)) return;
  const who =
    account.approvers.length === 0
      ? 'only CLI operators (cli:*) may, because the account lists no approvers; add approvers such as slack:U123 or web:alice to the account'
      : `approvers are ${account.approvers.join(', ')}`;
  const what = verb === 'edit' ? 'edit' : 'approve or reject';
  throw new ApprovalRefusedError(
    `${actor} may not ${what} proposals of account ${proposal.accountId}: ${who}.`,
    'not-approver',
  );
}
