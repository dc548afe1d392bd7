import { createHash } from 'node:crypto';
import { AppError, type ErrorCode } from '../errors.js';

/** Errors of the Claude layer; each has its own `ErrorCode`. */

/** The codes this layer uses. */
export type LlmErrorCode = Extract<ErrorCode, `llm_${string}`>;

/** How many validation issues an error message lists. */
export const MAX_LISTED_ISSUES = 5;

/** Claude's answer did not match the output schema, even after one repair attempt. */
export class LlmOutputError extends AppError {
  /** The first few issues, as `path: message` lines. */
  readonly issues: readonly string[];

  constructor(what: string, issues: readonly string[], cause?: unknown) {
    const listed = issues.slice(0, MAX_LISTED_ISSUES);
    super(`${what} did not match the expected schema after one repair: ${listed.join('; ')}`, {
      code: 'llm_output_invalid',
      retryable: false,
      cause,
    });
    this.issues = listed;
  }
}

export interface LlmApiErrorDetails {
  retryable: boolean;
  status?: number;
  requestId?: string;
  cause?: unknown;
}

/** The Anthropic API failed (after the SDK's own retries) or refused the request. */
export class LlmApiError extends AppError {
  readonly status: number | undefined;
  readonly requestId: string | undefined;

  constructor(message: string, details: LlmApiErrorDetails) {
    super(message, {
      code: 'llm_api_error',
      retryable: details.retryable,
      cause: details.cause,
    });
    this.status = details.status;
    this.requestId = details.requestId;
  }
}

/** The account has spent its LLM budget for the period; no call was made. */
export class LlmBudgetExceededError extends AppError {
  readonly accountId: string;

  constructor(accountId: string, budgetUsd: number, periodLabel: string) {
    super(
      `account ${accountId} reached its LLM budget of $${budgetUsd.toFixed(2)} for ${periodLabel}; ` +
        'the rules diagnoser continues; raise LLM_BUDGET_USD or wait',
      { code: 'llm_budget_exceeded', retryable: false },
    );
    this.accountId = accountId;
  }
}

/** A short, non-reversible fingerprint of a secret, safe for messages and logs. */
export function keyFingerprint(key: string): string {
  return `sha256:${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
}
