import type { RetryClass } from './operations.js';

/**
 * The client's one retry policy (got's own retry is switched off; see transport.ts):
 * - 429: every operation, after `Retry-After` (the server refused before acting).
 * - 408, 5xx, timeouts, resets: reads and idempotent writes (GET, PATCH, DELETE, report POSTs),
 *   with capped, jittered exponential backoff.
 * - A POST that creates something: only when the request provably never reached the server
 *   (refused, DNS failure, connect-phase timeout); never on 5xx, reset or response timeout,
 *   where the server may have created it already.
 */

export interface RetrySettings {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff delay; doubles per retry. */
  baseDelayMs: number;
  /** Cap of one backoff delay. */
  maxDelayMs: number;
  /** A longer `Retry-After` is not waited for: the error goes to the caller (e.g. a job retry). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_SETTINGS: RetrySettings = {
  maxRetries: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

/** What one attempt ended with. */
export type AttemptOutcome =
  | { kind: 'response'; status: number; retryAfterMs?: number | undefined }
  | { kind: 'network'; neverSent: boolean };

export type RetryDecision =
  | { retry: false }
  | {
      retry: true;
      delayMs: number;
      /** the wait is the server's rate limit */ rateLimited: boolean;
    };

const NO: RetryDecision = { retry: false };

/** Decides whether attempt number `retriesSoFar + 1` failed retryably and how long to wait. */
export function decideRetry(
  retryClass: RetryClass,
  outcome: AttemptOutcome,
  retriesSoFar: number,
  settings: RetrySettings,
  random: () => number = Math.random,
): RetryDecision {
  if (retriesSoFar >= settings.maxRetries) return NO;
  const backoff = backoffDelayMs(retriesSoFar, settings, random);
  if (outcome.kind === 'network') {
    if (retryClass === 'create' && !outcome.neverSent) return NO;
    return { retry: true, delayMs: backoff, rateLimited: false };
  }
  const { status, retryAfterMs } = outcome;
  if (retryAfterMs !== undefined && retryAfterMs > settings.maxRetryAfterMs) return NO;
  if (status === 429) {
    return { retry: true, delayMs: retryAfterMs ?? backoff, rateLimited: true };
  }
  if (status === 408 || status >= 500) {
    if (retryClass === 'create') return NO;
    return { retry: true, delayMs: Math.max(backoff, retryAfterMs ?? 0), rateLimited: false };
  }
  return NO;
}

/** Exponential backoff with "equal jitter": half fixed, half random, capped. */
export function backoffDelayMs(
  retriesSoFar: number,
  settings: Pick<RetrySettings, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  const exp = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** retriesSoFar);
  return exp / 2 + random() * (exp / 2);
}

/**
 * Parses `Retry-After`: delta seconds (fractions tolerated) or an HTTP date. Returns
 * milliseconds from now, or undefined when absent or unreadable.
 */
export function parseRetryAfter(
  value: string | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** Error codes that mean no byte of the request reached the server. */
export const NEVER_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

/** Timeout phases that end before the request is written. */
export const PRE_SEND_TIMEOUT_EVENTS: ReadonlySet<string> = new Set([
  'lookup',
  'connect',
  'secureConnect',
]);

/**
 * True when a failed attempt provably never reached the server: a connect-level error code, a
 * timeout in a phase before sending, or no TCP connection at all (Node buffers the request until
 * the socket connects, so nothing left the machine).
 */
export function provablyNeverSent(error: {
  code?: string | undefined;
  event?: string | undefined;
  connected?: boolean | undefined;
}): boolean {
  if (error.code !== undefined && NEVER_SENT_CODES.has(error.code)) return true;
  if (error.event !== undefined && PRE_SEND_TIMEOUT_EVENTS.has(error.event)) return true;
  return error.connected === false;
}
