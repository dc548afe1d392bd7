/**
 * The error hierarchy. Every error we throw on purpose is an AppError with a stable `code` and a
 * `retryable` flag; the queue wrapper maps `retryable === false` to BullMQ's UnrecoverableError at
 * one boundary, and the CLI prints `message` as the one line a user sees.
 */

export type ErrorCode =
  | 'config_invalid'
  | 'klaviyo_api_error'
  | 'klaviyo_rate_limited'
  | 'klaviyo_network_error'
  | 'klaviyo_response_invalid'
  | 'request_invalid'
  | 'scenario_invalid'
  | 'redis_unavailable'
  | 'proposal_state_conflict'
  | 'proposal_changed'
  | 'proposal_not_found'
  | 'proposal_busy'
  | 'suite_case_not_found'
  | 'apply_stopped'
  | 'account_mismatch'
  | 'approval_refused'
  | 'revert_refused'
  | 'llm_output_invalid'
  | 'llm_api_error'
  | 'llm_budget_exceeded';

export interface AppErrorOptions {
  code: ErrorCode;
  retryable: boolean;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(message: string, options: AppErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.retryable = options.retryable;
  }
}

/** Bad settings or a bad input file: the message names the setting and how to fix it. */
export class ConfigError extends AppError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'config_invalid', retryable: false, cause });
  }
}

/** A request we refused to send because it does not match the API's schema. */
export class RequestValidationError extends AppError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'request_invalid', retryable: false, cause });
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** One-line description of any thrown value, for logs and CLI output. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
