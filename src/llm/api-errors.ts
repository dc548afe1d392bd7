import {
  AnthropicError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk';
import { LlmApiError } from './errors.js';

export interface ErrorContext {
  model: string;
  stage: string;
  /** Fingerprint of the API key (never the key). */
  keyFingerprint: string;
  /** Attempts the SDK made (maxRetries + 1), for the message. */
  attempts: number;
}

/**
 * Turns an SDK error into an LlmApiError whose message says what happened and what to do.
 * Transient failures were already retried by the SDK, so they surface as retryable (the job
 * retries later); request and credential problems are not retryable. An abort is returned as is.
 */
export function toLlmApiError(error: unknown, ctx: ErrorContext): unknown {
  if (error instanceof APIUserAbortError) return error;
  if (error instanceof APIConnectionTimeoutError) {
    return new LlmApiError(`the Anthropic API timed out (${ctx.attempts} attempts)`, {
      retryable: true,
      cause: error,
    });
  }
  if (error instanceof APIConnectionError) {
    return new LlmApiError(
      `could not reach the Anthropic API (${ctx.attempts} attempts): ${error.message}`,
      { retryable: true, cause: error },
    );
  }
  if (error instanceof APIError) return fromStatus(error, ctx);
  if (error instanceof AnthropicError) {
    return new LlmApiError(`the Anthropic client failed: ${error.message}`, {
      retryable: false,
      cause: error,
    });
  }
  return error;
}

function fromStatus(error: APIError, ctx: ErrorContext): LlmApiError {
  const status = error.status ?? 0;
  const details = {
    status,
    ...(error.requestID ? { requestId: error.requestID } : {}),
    cause: error,
  };
  const apiMessage = (error.apiMessage ?? '').slice(0, 200);
  const fail = (message: string, retryable: boolean) =>
    new LlmApiError(message, { ...details, retryable });
  switch (status) {
    case 401:
      return fail(
        `Anthropic rejected the API key ${ctx.keyFingerprint} (401): ANTHROPIC_API_KEY is wrong, ` +
          'revoked or expired; set a valid key',
        false,
      );
    case 402:
    case 403:
      return fail(
        `Anthropic refused key ${ctx.keyFingerprint} (${status}: ${apiMessage}): check the ` +
          "key's workspace, permissions and billing",
        false,
      );
    case 404:
      return fail(
        `Anthropic does not know model "${ctx.model}" (404): fix the model setting of the ` +
          `${ctx.stage} stage`,
        false,
      );
    case 429:
      return fail(`rate limited by Anthropic (429) after ${ctx.attempts} attempts`, true);
    case 529:
      return fail(`Anthropic is overloaded (529) after ${ctx.attempts} attempts`, true);
    case 408:
    case 409:
      return fail(`Anthropic API error ${status} after ${ctx.attempts} attempts`, true);
    default:
      if (status >= 500) {
        return fail(`Anthropic API error ${status} after ${ctx.attempts} attempts`, true);
      }
      return fail(
        `Anthropic refused the request (${status}: ${apiMessage}): the request is invalid for ` +
          `model "${ctx.model}" — check the model id, max tokens and prompt size`,
        false,
      );
  }
}
