/** Units of time, written down once: milliseconds for timers and dates, seconds for Redis TTLs. */

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** A day in seconds (Redis and BullMQ count ages and TTLs in seconds). */
export const DAY_SECONDS = DAY_MS / SECOND_MS;
