import got, { RequestError, TimeoutError, type Response } from 'got';
import type { z } from 'zod';
import type { Logger } from '../logger.js';
import { takeUnknownEnumValues } from './schemas/common.js';
import {
  JsonApiErrorSchema,
  KlaviyoApiError,
  KlaviyoNetworkError,
  KlaviyoResponseInvalidError,
  type JsonApiError,
} from './errors.js';
import { scrubKey } from './fingerprint.js';
import {
  OPERATIONS,
  type KlaviyoEndpointGroup,
  type KlaviyoOperationId,
  type RetryClass,
} from './operations.js';
import {
  exhaustedWindowDelayMs,
  firstHeader,
  windowReading,
  type RateLimiter,
} from './rate-limiter.js';
import {
  decideRetry,
  parseRetryAfter,
  provablyNeverSent,
  type AttemptOutcome,
  type RetrySettings,
} from './retry.js';

/** One event per HTTP attempt, for metrics and benchmarks. */
export interface KlaviyoCallEvent {
  operation: KlaviyoOperationId;
  group: KlaviyoEndpointGroup;
  method: string;
  /** Request path without the query string. */
  path: string;
  /** HTTP status; absent when no response arrived. */
  status?: number;
  /** Time on the wire for this attempt. */
  durationMs: number;
  /** Time held back before this attempt by the proactive limiter and by a previous 429. */
  rateLimitWaitMs: number;
  /** 0 for the first attempt, 1 for the first retry, … */
  retry: number;
  /** Network error code (e.g. `ECONNRESET`, `ETIMEDOUT`) when no response arrived. */
  error?: string;
}

export interface TransportSettings {
  apiKey: string;
  keyFingerprint: string;
  baseUrl: string;
  revision: string;
  timeoutMs: number;
  retry: RetrySettings;
  limiter: RateLimiter;
  logger: Logger;
  onCall?: ((event: KlaviyoCallEvent) => void) | undefined;
}

export interface CallSpec {
  operation: KlaviyoOperationId;
  /** Path and query, starting at `/api/`. */
  pathAndQuery: string;
  json?: unknown;
  form?: FormData;
  /** Names the resource in a 404 message, e.g. `agent-skill "sk_1"`. */
  resource?: string;
  /** Overrides the operation's retry class for this call (a POST that creates nothing). */
  retryClass?: RetryClass;
}

interface Attempt {
  response?: Response<string>;
  network?: { code: string; detail: string; neverSent: boolean };
}

const JSON_API = 'application/vnd.api+json';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends one API call: waits for a rate-limit slot, sends, retries by the policy in retry.ts, and
 * maps every failure to our errors. got's own retry is off (`limit: 0`) so that retries live in
 * exactly one layer, and that layer can consult the limiter and report each attempt.
 */
export class Transport {
  constructor(private readonly s: TransportSettings) {}

  /** Sends the call and validates a 2xx body against `schema`. */
  async request<S extends z.ZodType>(spec: CallSpec, schema: S): Promise<z.infer<S>> {
    const body = await this.send(spec);
    const parsed = schema.safeParse(body);
    for (const { field, value } of takeUnknownEnumValues()) {
      this.s.logger.warn(
        { operation: spec.operation, field, value },
        'Klaviyo answered a value this client does not know; kept as text (logged once)',
      );
    }
    if (parsed.success) return parsed.data;
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
    throw new KlaviyoResponseInvalidError(spec.operation, issues);
  }

  /** Sends the call; resolves with the parsed JSON body (undefined for 204). */
  async send(spec: CallSpec): Promise<unknown> {
    const def = OPERATIONS[spec.operation];
    let pendingRateWait = 0;
    let ambiguousFailure = false;
    for (let retry = 0; ; retry += 1) {
      const rateLimitWaitMs = (await this.s.limiter.acquire(def.group)) + pendingRateWait;
      pendingRateWait = 0;
      const started = performance.now();
      const attempt = await this.attempt(spec);
      this.emit(spec, attempt, {
        durationMs: performance.now() - started,
        rateLimitWaitMs,
        retry,
      });
      const { response } = attempt;
      if (response && response.statusCode !== 429) {
        await this.observeWindow(def.group, response, performance.now() - started);
      }
      if (response && response.statusCode < 300) return parseBody(spec.operation, response.body);
      // A DELETE whose earlier attempt may have succeeded (lost response) finds nothing now.
      if (response?.statusCode === 404 && def.method === 'DELETE' && ambiguousFailure) {
        return undefined;
      }
      const outcome = this.outcomeOf(attempt);
      if (outcome.kind === 'response' && outcome.status === 429) {
        await this.s.limiter.defer(def.group, outcome.retryAfterMs ?? 1000);
      }
      const decision = decideRetry(spec.retryClass ?? def.retryClass, outcome, retry, this.s.retry);
      if (!decision.retry) throw this.failure(spec, attempt, outcome, retry + 1);
      ambiguousFailure ||= isAmbiguous(outcome);
      this.s.logger.warn(
        {
          operation: spec.operation,
          keyFingerprint: this.s.keyFingerprint,
          status: response?.statusCode,
          error: attempt.network?.code,
          retry: retry + 1,
          delayMs: Math.round(decision.delayMs),
        },
        'klaviyo call failed; retrying',
      );
      await sleep(decision.delayMs);
      if (decision.rateLimited) pendingRateWait = decision.delayMs;
    }
  }

  private async attempt(spec: CallSpec): Promise<Attempt> {
    const def = OPERATIONS[spec.operation];
    const headers: Record<string, string> = {
      authorization: `Klaviyo-API-Key ${this.s.apiKey}`,
      revision: this.s.revision,
      accept: JSON_API,
      'user-agent': 'agent-trainer',
    };
    // Multipart bodies get their own content type (with boundary) from got.
    if (spec.form === undefined) headers['content-type'] = JSON_API;
    const connectMs = Math.min(this.s.timeoutMs, 10_000);
    try {
      const response = await got(this.s.baseUrl + spec.pathAndQuery, {
        method: def.method,
        headers,
        ...(spec.form !== undefined
          ? { body: spec.form }
          : spec.json !== undefined
            ? { body: JSON.stringify(spec.json) }
            : {}),
        responseType: 'text',
        throwHttpErrors: false,
        followRedirect: false,
        retry: { limit: 0 },
        timeout: { connect: connectMs, secureConnect: connectMs, request: this.s.timeoutMs },
      });
      return { response };
    } catch (error) {
      // got errors carry the request options (with the key): keep only code and message, and
      // never rethrow them, whatever they are.
      if (!(error instanceof RequestError)) {
        const detail = error instanceof Error ? error.message : String(error);
        return { network: { code: 'ERR_CLIENT', detail: this.scrub(detail), neverSent: false } };
      }
      const event = error instanceof TimeoutError ? error.event : undefined;
      const code = error.code || 'ERR_REQUEST';
      return {
        network: {
          code,
          detail: this.scrub(error.message),
          neverSent: provablyNeverSent({
            code,
            event,
            connected: error.timings ? error.timings.connect !== undefined : undefined,
          }),
        },
      };
    }
  }

  private outcomeOf(attempt: Attempt): AttemptOutcome {
    if (attempt.response) {
      const retryAfter = firstHeader(attempt.response.headers['retry-after']);
      return {
        kind: 'response',
        status: attempt.response.statusCode,
        retryAfterMs: parseRetryAfter(retryAfter),
      };
    }
    return { kind: 'network', neverSent: attempt.network?.neverSent ?? false };
  }

  private failure(spec: CallSpec, attempt: Attempt, outcome: AttemptOutcome, attempts: number) {
    if (!attempt.response) {
      const network = attempt.network ?? {
        code: 'ERR_REQUEST',
        detail: 'unknown',
        neverSent: false,
      };
      return new KlaviyoNetworkError({
        operation: spec.operation,
        attempts,
        errorCode: network.code,
        detail: network.detail,
        neverSent: network.neverSent,
      });
    }
    const text = this.scrub(attempt.response.body);
    const errors = parseErrors(text);
    const requestId =
      firstHeader(attempt.response.headers['x-request-id']) ??
      firstHeader(attempt.response.headers['x-klaviyo-request-id']) ??
      errors[0]?.id;
    return new KlaviyoApiError({
      operation: spec.operation,
      status: attempt.response.statusCode,
      errors,
      keyFingerprint: this.s.keyFingerprint,
      attempts,
      ...(outcome.kind === 'response' && outcome.retryAfterMs !== undefined
        ? { retryAfterMs: outcome.retryAfterMs }
        : {}),
      ...(requestId !== undefined ? { requestId } : {}),
      ...(spec.resource !== undefined ? { resource: spec.resource } : {}),
    });
  }

  private scrub(text: string): string {
    return scrubKey(text, this.s.apiKey, this.s.keyFingerprint);
  }

  /**
   * The window headers say how much of it others use (so how much is ours); `RateLimit-Remaining:
   * 0` means it is used up (maybe by others): hold back.
   */
  private async observeWindow(
    group: KlaviyoEndpointGroup,
    response: Response<string>,
    ageMs: number,
  ) {
    const reading = windowReading(response.headers);
    if (reading) await this.s.limiter.observe(group, { ...reading, ageMs });
    const delayMs = exhaustedWindowDelayMs(response.headers);
    if (delayMs !== undefined) await this.s.limiter.defer(group, delayMs);
  }

  private emit(
    spec: CallSpec,
    attempt: Attempt,
    timing: { durationMs: number; rateLimitWaitMs: number; retry: number },
  ) {
    const def = OPERATIONS[spec.operation];
    const event: KlaviyoCallEvent = {
      operation: spec.operation,
      group: def.group,
      method: def.method,
      path: spec.pathAndQuery.split('?')[0] ?? spec.pathAndQuery,
      ...timing,
      ...(attempt.response ? { status: attempt.response.statusCode } : {}),
      ...(attempt.network ? { error: attempt.network.code } : {}),
    };
    this.s.logger.debug({ ...event, keyFingerprint: this.s.keyFingerprint }, 'klaviyo call');
    try {
      this.s.onCall?.(event);
    } catch (error) {
      this.s.logger.warn({ err: error }, 'klaviyo onCall callback threw; ignored');
    }
  }
}

/** A failure after which the server may have acted (so a later 404 on DELETE means done). */
function isAmbiguous(outcome: AttemptOutcome): boolean {
  if (outcome.kind === 'network') return !outcome.neverSent;
  return outcome.status >= 500 || outcome.status === 408;
}

function parseBody(operation: KlaviyoOperationId, text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new KlaviyoResponseInvalidError(operation, ['body is not JSON']);
  }
}

function parseErrors(text: string): JsonApiError[] {
  try {
    const body = JSON.parse(text) as unknown;
    const list = (body as { errors?: unknown } | null)?.errors;
    if (!Array.isArray(list)) return [];
    return list.flatMap((e) => {
      const parsed = JsonApiErrorSchema.safeParse(e);
      return parsed.success ? [parsed.data] : [];
    });
  } catch {
    return [];
  }
}
