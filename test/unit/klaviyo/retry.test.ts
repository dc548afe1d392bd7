import { describe, expect, it } from 'vitest';
import {
  backoffDelayMs,
  decideRetry,
  DEFAULT_RETRY_SETTINGS,
  parseRetryAfter,
  provablyNeverSent,
  type AttemptOutcome,
} from '../../../src/klaviyo/retry.js';

const settings = DEFAULT_RETRY_SETTINGS;
const half = () => 0.5;
const status = (s: number, retryAfterMs?: number): AttemptOutcome => ({
  kind: 'response',
  status: s,
  retryAfterMs,
});
const network = (neverSent: boolean): AttemptOutcome => ({ kind: 'network', neverSent });

describe('decideRetry', () => {
  it('retries reads and writes on 5xx, 408 and any network error', () => {
    for (const retryClass of ['read', 'write'] as const) {
      for (const outcome of [
        status(500),
        status(503),
        status(408),
        network(false),
        network(true),
      ]) {
        expect(decideRetry(retryClass, outcome, 0, settings, half).retry).toBe(true);
      }
    }
  });

  it('retries creates only when nothing was sent, or on 429', () => {
    expect(decideRetry('create', status(503), 0, settings).retry).toBe(false);
    expect(decideRetry('create', status(408), 0, settings).retry).toBe(false);
    expect(decideRetry('create', network(false), 0, settings).retry).toBe(false);
    expect(decideRetry('create', network(true), 0, settings).retry).toBe(true);
    expect(decideRetry('create', status(429, 1000), 0, settings)).toEqual({
      retry: true,
      delayMs: 1000,
      rateLimited: true,
    });
  });

  it('never retries other 4xx', () => {
    for (const s of [400, 401, 403, 404, 409, 422]) {
      expect(decideRetry('read', status(s), 0, settings).retry).toBe(false);
    }
  });

  it('stops after maxRetries and when Retry-After is beyond the cap', () => {
    expect(decideRetry('read', status(503), 4, settings).retry).toBe(false);
    expect(decideRetry('read', status(429, 10 * 60_000), 0, settings).retry).toBe(false);
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(backoffDelayMs(0, settings, () => 0)).toBe(250);
    expect(backoffDelayMs(0, settings, () => 1)).toBe(500);
    expect(backoffDelayMs(3, settings, half)).toBe(3000);
    expect(backoffDelayMs(20, settings, () => 1)).toBe(30_000);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('0.5')).toBe(500);
    const now = Date.parse('2026-07-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jul 2026 00:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Wed, 01 Jul 2026 00:00:00 GMT', now + 5000)).toBe(0);
  });

  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('')).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('provablyNeverSent', () => {
  it('is true for refused connections, DNS failures and pre-send timeouts', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']) {
      expect(provablyNeverSent({ code })).toBe(true);
    }
    expect(provablyNeverSent({ code: 'ETIMEDOUT', event: 'connect' })).toBe(true);
    expect(provablyNeverSent({ code: 'ETIMEDOUT', event: 'lookup' })).toBe(true);
    expect(provablyNeverSent({ code: 'ETIMEDOUT', event: 'request', connected: false })).toBe(true);
  });

  it('is false for resets and timeouts after connecting', () => {
    expect(provablyNeverSent({ code: 'ECONNRESET', connected: true })).toBe(false);
    expect(provablyNeverSent({ code: 'ETIMEDOUT', event: 'request', connected: true })).toBe(false);
    expect(provablyNeverSent({ code: 'EPIPE' })).toBe(false);
  });
});
