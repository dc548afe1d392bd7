import type { Cluster, Redis } from 'ioredis';
import {
  GROUP_LIMITS,
  type GroupLimits,
  type KlaviyoEndpointGroup,
  type RateWindow,
} from './operations.js';
import {
  budgetFor,
  EMPTY_QUOTA_STATE,
  othersPerWindow,
  readWindow,
  type QuotaState,
  type QuotaView,
  type WindowReading,
} from './quota.js';
import { RedisSlotStore } from './redis-slot-store.js';

/**
 * Proactive pacing per (key, endpoint group), shared through Redis when one is given.
 *
 * Klaviyo counts requests in FIXED windows (1 s burst, 1 min steady) whose boundaries we cannot
 * see. A client-side fixed-window counter (what rate-limiter-flexible's RateLimiterRedis is) can
 * put its whole quota at the end of one of its windows and again at the start of the next, i.e.
 * up to 2x the limit inside one server window; that is why we do not use it. Instead each
 * request takes two steps against its bucket:
 *
 * 1. reserve: take the next free slot, FIFO, slots `interval` apart, and sleep until it, where
 *      interval = max(burstWindow' / burstLimit, steadyWindow' / steadyLimit)
 *    and window' = window * (1 + SAFETY_MARGIN). This spreads requests evenly at ≈ 97.5% of the
 *    steady ceiling instead of bursting (bursting and then pacing could overflow the minute).
 * 2. confirm: send only if the sends already made leave room in EVERY sliding window — fewer
 *    than `limit` sends in the last `window'` — and no back-off is in force;
 *    else sleep until they do and confirm again. A sliding window holds at least as much as any
 *    fixed window inside it, so the server's windows can never overflow, wherever they start.
 *    The check is on sends actually made, so a caller that wakes up late (GC pause, busy event
 *    loop) cannot squeeze extra requests into a window, while the others can still catch up.
 *
 * Buckets live in Redis (atomic Lua scripts on Redis' clock) so any number of processes with one
 * key pace together, or in memory when no Redis is given. A 429 or `RateLimit-Remaining: 0` sets
 * the bucket's `block` time, which both steps respect: every process backs off, including callers
 * that already hold a slot.
 *
 * The steady window's limit in both steps is the bucket's `budget` once a response has been read:
 * the share of the window that other integrations of the account leave us (see quota.ts), capped
 * by the account's quota share.
 */

/** `'spec'`: the spec's limits; `'off'`: no pacing (429s are still honoured); `{ scale }`:
 * every window divided by `scale` (tests, benchmarks, the sandbox's `--rate-limits scale=N`). */
export type RateLimitMode = 'spec' | 'off' | { scale: number };

/**
 * Widening of every window, for jitter between our send and the server's count (1.5 s on the
 * one-minute window). Scaled-down windows get proportionally less, so tests and benchmarks at
 * high scales on a busy machine can see an occasional 429, which is then honoured.
 */
export const SAFETY_MARGIN = 0.025;

export interface RateLimiter {
  /** Waits until this request may be sent; resolves with the milliseconds waited. */
  acquire(group: KlaviyoEndpointGroup): Promise<number>;
  /** Makes every caller of this bucket wait at least `delayMs` from now (429, remaining 0). */
  defer(group: KlaviyoEndpointGroup, delayMs: number): Promise<void>;
  /** Reads a non-429 response's window headers: how much others use, so how much is ours. */
  observe(group: KlaviyoEndpointGroup, reading: WindowReading): Promise<void>;
  /** How the group's quota is shared now (undefined before any response, or when not pacing). */
  quota(group: KlaviyoEndpointGroup): Promise<QuotaView | undefined>;
}

/** The numbers one bucket is paced by: slot distance and the (widened, scaled) windows. */
export interface Pacing {
  intervalMs: number;
  /** Burst then steady; the steady limit is the spec's times the quota share. */
  windows: readonly RateWindow[];
  /** The server's steady window (scaled, not widened), which the headers describe. */
  serverWindowMs: number;
}

export interface ConfirmResult {
  waitMs: number;
  blocked: boolean;
}

/** Where buckets live: process memory or Redis. */
export interface SlotStore {
  /** Reserves the next slot; resolves with how long to wait for it (ms, ≥ 0). */
  reserve(bucket: string, pacing: Pacing): Promise<number>;
  /**
   * Records a send now and resolves `waitMs: 0`, or resolves how much longer to wait and whether
   * a back-off (`blocked`) rather than a full window is the reason.
   */
  confirm(bucket: string, pacing: Pacing): Promise<ConfirmResult>;
  /** Blocks sends until at least now + delayMs. */
  defer(bucket: string, delayMs: number): Promise<void>;
  /** Folds a reading into the bucket's quota state and sets its budget. */
  observe(bucket: string, pacing: Pacing, reading: WindowReading): Promise<QuotaView>;
  /** The bucket's last quota view, if any reading is remembered. */
  quota(bucket: string): Promise<QuotaView | undefined>;
}

/**
 * The pacing of a group's limits, with windows divided by `scale` and widened by `margin`, and
 * the steady limit cut to `share` of the spec's (an account's `KLAVIYO_QUOTA_SHARE`).
 */
export function pacingFor(
  limits: GroupLimits,
  scale = 1,
  margin = SAFETY_MARGIN,
  share = 1,
): Pacing {
  const widen = (windowMs: number) => (windowMs / scale) * (1 + margin);
  const windows = [
    { limit: limits.burst.limit, windowMs: widen(limits.burst.windowMs) },
    {
      limit: Math.max(1, Math.floor(limits.steady.limit * share)),
      windowMs: widen(limits.steady.windowMs),
    },
  ];
  return {
    intervalMs: intervalFor(windows, Infinity),
    windows,
    serverWindowMs: limits.steady.windowMs / scale,
  };
}

/** Slot distance when the steady window holds at most `budget` of ours. */
export function intervalFor(windows: readonly RateWindow[], budget: number): number {
  return Math.max(
    ...windows.map(
      (w, i) => w.windowMs / (i === windows.length - 1 ? Math.min(w.limit, budget) : w.limit),
    ),
  );
}

/** The most of the steady window we may use: the spec's limit times the quota share. */
export function steadyCap(pacing: Pacing): number {
  return pacing.windows.at(-1)?.limit ?? 1;
}

/** Milliseconds between two paced requests of a group. */
export function pacingIntervalMs(limits: GroupLimits, scale = 1): number {
  return pacingFor(limits, scale).intervalMs;
}

/** Redis key of a bucket; the hash tag keeps one key's buckets on one Redis Cluster slot. */
export function bucketKey(identity: string, group: KlaviyoEndpointGroup): string {
  return `agent-trainer:ratelimit:{${identity}}:${group}`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Paces requests through a SlotStore (see the module comment). */
export class PacingRateLimiter implements RateLimiter {
  private readonly pacing: Record<KlaviyoEndpointGroup, Pacing>;

  constructor(
    private readonly store: SlotStore,
    private readonly identity: string,
    scale = 1,
    share = 1,
  ) {
    this.pacing = {
      conversations: pacingFor(GROUP_LIMITS.conversations, scale, SAFETY_MARGIN, share),
      config: pacingFor(GROUP_LIMITS.config, scale, SAFETY_MARGIN, share),
    };
  }

  async acquire(group: KlaviyoEndpointGroup): Promise<number> {
    const started = performance.now();
    const bucket = bucketKey(this.identity, group);
    const pacing = this.pacing[group];
    let wait = await this.store.reserve(bucket, pacing);
    for (;;) {
      if (wait > 0) await sleep(wait);
      const confirmed = await this.store.confirm(bucket, pacing);
      if (confirmed.waitMs <= 0) return performance.now() - started;
      // Held back by a 429 or an exhausted window: queue up again behind the back-off, so that
      // the callers that held slots do not all fire together when it ends.
      wait = confirmed.blocked ? await this.store.reserve(bucket, pacing) : confirmed.waitMs;
    }
  }

  async defer(group: KlaviyoEndpointGroup, delayMs: number): Promise<void> {
    if (!(delayMs > 0)) return;
    await this.store.defer(bucketKey(this.identity, group), delayMs);
  }

  async observe(group: KlaviyoEndpointGroup, reading: WindowReading): Promise<void> {
    await this.store.observe(bucketKey(this.identity, group), this.pacing[group], reading);
  }

  quota(group: KlaviyoEndpointGroup): Promise<QuotaView | undefined> {
    return this.store.quota(bucketKey(this.identity, group));
  }
}

/** A limiter that never waits (`rateLimits: 'off'`). */
export const noRateLimiter: RateLimiter = {
  acquire: () => Promise.resolve(0),
  defer: () => Promise.resolve(),
  observe: () => Promise.resolve(),
  quota: () => Promise.resolve(undefined),
};

interface BucketState {
  /** Next free slot to hand out. */
  tat: number;
  /** No send before this time (server back-off). */
  block: number;
  /** Times of confirmed sends, newest first, as many as the largest limit. */
  sent: number[];
  quota: QuotaState;
  /** Our calls per steady window, once a reading set it. */
  view?: QuotaView;
}

/** Buckets in this process only (no Redis given); the same algorithm as the Lua scripts. */
export class MemorySlotStore implements SlotStore {
  private readonly buckets = new Map<string, BucketState>();

  reserve(bucket: string, pacing: Pacing): Promise<number> {
    const now = performance.now();
    const state = this.state(bucket);
    const slot = Math.max(now, state.tat, state.block);
    state.tat = slot + intervalFor(pacing.windows, state.view?.budget ?? Infinity);
    return Promise.resolve(slot - now);
  }

  confirm(bucket: string, pacing: Pacing): Promise<ConfirmResult> {
    const now = performance.now();
    const state = this.state(bucket);
    if (state.block > now) return Promise.resolve({ waitMs: state.block - now, blocked: true });
    let ready = now;
    for (const [i, { limit, windowMs }] of pacing.windows.entries()) {
      const isSteady = i === pacing.windows.length - 1;
      const oldest =
        state.sent[(isSteady ? Math.min(limit, state.view?.budget ?? limit) : limit) - 1];
      if (oldest !== undefined) ready = Math.max(ready, oldest + windowMs);
    }
    if (ready > now) return Promise.resolve({ waitMs: ready - now, blocked: false });
    state.sent.unshift(now);
    state.sent.length = Math.min(state.sent.length, maxLimit(pacing));
    return Promise.resolve({ waitMs: 0, blocked: false });
  }

  defer(bucket: string, delayMs: number): Promise<void> {
    const state = this.state(bucket);
    state.block = Math.max(state.block, performance.now() + delayMs);
    return Promise.resolve();
  }

  observe(bucket: string, pacing: Pacing, reading: WindowReading): Promise<QuotaView> {
    const now = performance.now();
    const state = this.state(bucket);
    state.quota = readWindow(state.quota, reading, now, pacing.serverWindowMs, (since) =>
      state.sent.reduce((n, t) => (t >= since ? n + 1 : n), 0),
    );
    const others = othersPerWindow(state.quota, now, pacing.serverWindowMs);
    state.view = {
      limit: reading.limit,
      others,
      budget: budgetFor(reading.limit, others, steadyCap(pacing)),
    };
    return Promise.resolve(state.view);
  }

  quota(bucket: string): Promise<QuotaView | undefined> {
    return Promise.resolve(this.buckets.get(bucket)?.view);
  }

  private state(bucket: string): BucketState {
    let state = this.buckets.get(bucket);
    if (!state) {
      state = { tat: 0, block: 0, sent: [], quota: EMPTY_QUOTA_STATE };
      this.buckets.set(bucket, state);
    }
    return state;
  }
}

export function maxLimit(pacing: Pacing): number {
  return Math.max(...pacing.windows.map((w) => w.limit));
}

/** Builds the limiter for a client's options. */
export function createRateLimiter(args: {
  mode: RateLimitMode;
  identity: string;
  redis?: Redis | Cluster | undefined;
  /** Share of each window we may use at most (0–1). @defaultValue 1 */
  share?: number | undefined;
}): RateLimiter {
  if (args.mode === 'off') return noRateLimiter;
  const scale = args.mode === 'spec' ? 1 : args.mode.scale;
  const store = args.redis ? new RedisSlotStore(args.redis) : new MemorySlotStore();
  return new PacingRateLimiter(store, args.identity, scale, args.share ?? 1);
}

type Headers = Record<string, string | string[] | undefined>;

/**
 * Reads the server's steady-window headers (`RateLimit-Reset` is seconds until the window ends);
 * undefined when one is missing or not a number.
 */
export function windowReading(headers: Headers): WindowReading | undefined {
  const limit = numberHeader(headers['ratelimit-limit']);
  const remaining = numberHeader(headers['ratelimit-remaining']);
  const reset = numberHeader(headers['ratelimit-reset']);
  if (limit === undefined || remaining === undefined || reset === undefined) return undefined;
  // Some servers send an epoch timestamp instead of a delta; accept both.
  const resetMs = Math.max(0, reset > 1e9 ? reset * 1000 - Date.now() : reset * 1000);
  return { limit, remaining, resetMs };
}

/**
 * How long to hold back when the steady window is used up (`RateLimit-Remaining: 0`), else
 * undefined.
 */
export function exhaustedWindowDelayMs(headers: Headers): number | undefined {
  const remaining = numberHeader(headers['ratelimit-remaining']);
  const reset = numberHeader(headers['ratelimit-reset']);
  if (remaining === undefined || remaining > 0) return undefined;
  if (reset === undefined || reset <= 0) return undefined;
  const delayMs = reset > 1e9 ? reset * 1000 - Date.now() : reset * 1000;
  return delayMs > 0 ? delayMs : undefined;
}

export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function numberHeader(value: string | string[] | undefined): number | undefined {
  const text = firstHeader(value)?.trim();
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}
