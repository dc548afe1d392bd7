import { z } from 'zod';
import { AppError } from '../errors.js';
import { OPERATIONS, type KlaviyoOperationId } from './operations.js';

/**
 * Errors of the Klaviyo client. Messages say what to do next and name the API key only by its
 * fingerprint. None of them carries the underlying got error (its `options` hold the request
 * headers, i.e. the key), so serializing or logging one cannot leak the key.
 */

/** One entry of a JSON:API `errors` array, as Klaviyo returns it. */
export const JsonApiErrorSchema = z.looseObject({
  id: z.string().optional(),
  code: z.string().optional(),
  title: z.string().optional(),
  detail: z.string().optional(),
  source: z
    .looseObject({ pointer: z.string().optional(), parameter: z.string().optional() })
    .optional(),
});
export type JsonApiError = z.infer<typeof JsonApiErrorSchema>;

/** What the transport knows about a failed call, used to build a helpful message. */
export interface ApiErrorContext {
  operation: KlaviyoOperationId;
  status: number;
  errors: JsonApiError[];
  keyFingerprint: string;
  /** How many attempts were made in total. */
  attempts: number;
  retryAfterMs?: number;
  requestId?: string;
  /** E.g. `agent-skill "sk_123"`, for 404 messages. */
  resource?: string;
}

/** Klaviyo answered with a non-2xx status. */
export class KlaviyoApiError extends AppError {
  readonly status: number;
  readonly errors: JsonApiError[];
  readonly retryAfterMs: number | undefined;
  readonly operation: KlaviyoOperationId;
  readonly requestId: string | undefined;

  constructor(context: ApiErrorContext) {
    const isRateLimited = context.status === 429;
    super(describeApiError(context), {
      code: isRateLimited ? 'klaviyo_rate_limited' : 'klaviyo_api_error',
      retryable: isRateLimited || context.status === 408 || context.status >= 500,
    });
    this.status = context.status;
    this.errors = context.errors;
    this.retryAfterMs = context.retryAfterMs;
    this.operation = context.operation;
    this.requestId = context.requestId;
  }
}

/** The request failed before a response arrived: refused, reset, DNS failure or timeout. */
export class KlaviyoNetworkError extends AppError {
  readonly operation: KlaviyoOperationId;
  /** Node/got error code, e.g. `ECONNREFUSED`, `ECONNRESET`, `ETIMEDOUT`. */
  readonly errorCode: string;
  /** True when the request provably never reached the server (nothing was sent). */
  readonly neverSent: boolean;

  constructor(args: {
    operation: KlaviyoOperationId;
    errorCode: string;
    detail: string;
    neverSent: boolean;
    attempts: number;
  }) {
    const hint = args.neverSent
      ? 'the request never reached the server; check the base URL and network'
      : 'the request may or may not have reached the server';
    super(
      `Klaviyo ${args.operation} failed after ${plural(args.attempts, 'attempt')}: ` +
        `${args.errorCode} (${args.detail}); ${hint}.`,
      { code: 'klaviyo_network_error', retryable: true },
    );
    this.operation = args.operation;
    this.errorCode = args.errorCode;
    this.neverSent = args.neverSent;
  }
}

/** A 2xx response whose body does not match the schema the client expects. */
export class KlaviyoResponseInvalidError extends AppError {
  readonly operation: KlaviyoOperationId;
  readonly issues: string[];

  constructor(operation: KlaviyoOperationId, issues: string[]) {
    super(
      `Klaviyo ${operation} returned a response that does not match the expected schema ` +
        `(the beta API may have changed; check the revision header): ${issues.join('; ')}`,
      { code: 'klaviyo_response_invalid', retryable: false },
    );
    this.operation = operation;
    this.issues = issues;
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function details(errors: JsonApiError[]): string {
  const parts = errors
    .map((e) => {
      const where = e.source?.pointer ?? e.source?.parameter;
      const what = e.detail ?? e.title ?? e.code;
      if (what === undefined) return undefined;
      return where === undefined ? what : `${where}: ${what}`;
    })
    .filter((p): p is string => p !== undefined);
  return parts.length === 0 ? 'no detail given' : parts.join('; ');
}

/** Builds the one-line message for a failed call: what happened and what to do. */
export function describeApiError(c: ApiErrorContext): string {
  const where = `Klaviyo ${c.operation}`;
  const key = `API key ${c.keyFingerprint}`;
  switch (c.status) {
    case 400:
    case 422:
      return `${where} rejected the request (${c.status}) — fix these fields: ${details(c.errors)}`;
    case 401:
      return (
        `${where}: Klaviyo did not accept ${key} (401): the key is wrong or revoked ` +
        `(${details(c.errors)}). Create a private key with the agents scope in Klaviyo ` +
        '(Settings > API keys) and configure it.'
      );
    case 403: {
      const scope = OPERATIONS[c.operation].scope;
      return (
        `${where}: ${key} is not allowed to do this (403): it lacks the \`${scope}\` scope. ` +
        `Give the key ${scope === 'agents:write' ? 'read/write' : 'read'} access to agents ` +
        `(${details(c.errors)}).`
      );
    }
    case 404:
      return (
        `${where}: ${c.resource ?? 'the resource'} was not found (404); it may have been ` +
        `deleted or the id is wrong (${details(c.errors)}).`
      );
    case 409:
      return `${where}: conflict (409): ${details(c.errors)}. Re-read the current state and retry.`;
    case 429: {
      const after =
        c.retryAfterMs === undefined ? '' : ` Retry after ${Math.ceil(c.retryAfterMs / 1000)} s.`;
      return (
        `${where}: rate limited by Klaviyo (429) after ${plural(c.attempts, 'attempt')} ` +
        `for ${key} (${details(c.errors)}); other integrations on the account share this ` +
        `quota.${after}`
      );
    }
    default: {
      const kind = c.status >= 500 ? 'server error' : 'unexpected status';
      return (
        `${where}: ${kind} ${c.status} after ${plural(c.attempts, 'attempt')} ` +
        `(${details(c.errors)})${c.requestId === undefined ? '' : ` [request ${c.requestId}]`}.`
      );
    }
  }
}
