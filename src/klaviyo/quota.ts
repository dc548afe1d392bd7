/**
 * Sharing an account's quota with the store's other integrations (a help desk, a BI export…).
 *
 * Every non-429 response carries the server's steady window: `RateLimit-Limit`,
 * `RateLimit-Remaining` and `RateLimit-Reset` (seconds to its end). The window's count less our
 * own sends inside it (the limiter's log of sends, shared through Redis) is what the others used.
 * We leave them that, with a margin, and pace ourselves to what is left: the `budget`, our calls
 * per steady window, which the limiter uses in place of the spec's limit.
 *
 * This module is the reference for the maths; `redis-slot-store.ts` runs the same steps in Lua
 * (checked against this by test/integration/klaviyo/quota.test.ts).
 */

/** Share of the others' use we leave on top of it, so their small variations cost them nothing. */
export const NEIGHBOUR_MARGIN = 0.05;
/**
 * Calls of ours the server may count before our log has them near a window's edge (sent just
 * before our estimate of its start, or in flight): so much apparent use by others is ignored.
 */
export const IN_FLIGHT_TOLERANCE = 1;
/** `RateLimit-Reset` is whole seconds, rounded up: a reading places the window's end within this. */
export const RESET_RESOLUTION_MS = 1000;

/** What one non-429 response said about the steady window. */
export interface WindowReading {
  limit: number;
  remaining: number;
  /** Milliseconds until the window ends. */
  resetMs: number;
  /**
   * Milliseconds since the request was sent: the server counted it and computed `resetMs` at
   * some moment in between, so a slow answer (or a busy event loop) widens what we can infer.
   */
  ageMs?: number;
}

/** What the limiter remembers about the server's windows, per bucket. */
export interface QuotaState {
  /**
   * Bounds of the current window's end from its readings (each places it within a second): the
   * lowest upper bound, 0 before any reading, and the highest lower bound.
   */
  windowEnd: number;
  windowEndLow: number;
  /** Calls of others in the current window, at the last reading. */
  othersNow: number;
  /** Calls of others in the window before. */
  othersPrev: number;
}

export const EMPTY_QUOTA_STATE: QuotaState = {
  windowEnd: 0,
  windowEndLow: 0,
  othersNow: 0,
  othersPrev: 0,
};

/** How the quota is shared now: others' calls per window (estimated) and ours. */
export interface QuotaView {
  /** The steady window's limit (spec or header). */
  limit: number;
  /** Calls per window we leave to other integrations. */
  others: number;
  /** Calls per window we pace ourselves to. */
  budget: number;
}

/**
 * Folds one reading into the state. `oursSince(t)` counts our sends at or after `t`; `windowMs`
 * is the server's steady window (scaled, not widened).
 */
export function readWindow(
  state: QuotaState,
  reading: WindowReading,
  now: number,
  windowMs: number,
  oursSince: (t: number) => number,
): QuotaState {
  const end = now + reading.resetMs;
  const low = end - RESET_RESOLUTION_MS - (reading.ageMs ?? 0);
  // Sent after the remembered end, or surely ending after it: the next window.
  const sentAt = now - (reading.ageMs ?? 0);
  const isNew = state.windowEnd === 0 || sentAt >= state.windowEnd || low >= state.windowEnd;
  const windowEnd = isNew ? end : Math.min(state.windowEnd, end);
  const windowEndLow = isNew ? low : Math.max(state.windowEndLow, low);
  const othersPrev = isNew ? (state.windowEnd === 0 ? 0 : state.othersNow) : state.othersPrev;
  const used = reading.limit - reading.remaining;
  // Ours counted from the earliest start the readings allow: while the end is uncertain, a few
  // of our sends may count as ours twice rather than as someone else's (we then lean on the
  // margin, instead of throttling ourselves when alone).
  const ours = oursSince(windowEndLow - windowMs);
  return {
    windowEnd,
    windowEndLow,
    othersNow: Math.max(0, used - ours - IN_FLIGHT_TOLERANCE),
    othersPrev,
  };
}

/**
 * Others' calls per window: the larger of the last window and this one so far; past half the
 * window, this one's count projected to its end when that clearly exceeds the last window (an
 * integration that just started).
 */
export function othersPerWindow(state: QuotaState, now: number, windowMs: number): number {
  let estimate = Math.max(state.othersPrev, state.othersNow);
  const elapsed = now - (state.windowEnd - windowMs);
  if (elapsed >= windowMs / 2) {
    const projected = (state.othersNow * windowMs) / elapsed;
    if (projected > state.othersPrev * 1.25 + 2) estimate = Math.max(estimate, projected);
  }
  return Math.ceil(estimate);
}

/**
 * Our calls per window: `cap` (the spec's limit times the account's quota share) less what others
 * use with the margin, and never below one so that a pull crawls on rather than stalls.
 */
export function budgetFor(limit: number, others: number, cap: number): number {
  if (others <= 0) return cap;
  return Math.max(1, Math.min(cap, Math.floor(limit - others * (1 + NEIGHBOUR_MARGIN) - 1)));
}
