import type { Cluster, Redis } from 'ioredis';
import { AppError } from '../errors.js';
import {
  IN_FLIGHT_TOLERANCE,
  NEIGHBOUR_MARGIN,
  RESET_RESOLUTION_MS,
  type QuotaView,
  type WindowReading,
} from './quota.js';
import { steadyCap, type ConfirmResult, type Pacing, type SlotStore } from './rate-limiter.js';

/**
 * The rate limiter's buckets in Redis (algorithm: see rate-limiter.ts). One bucket is a hash
 * `<bucket>` with `tat` (next free slot) and `block` (no sends before), the quota state of
 * quota.ts (`wend`, `onow`, `oprev`) with its result (`limit`, `others`, `budget`), and a list
 * `<bucket>:log` of confirmed send times, newest first. Scripts read Redis' clock (TIME), so processes on
 * machines with skewed clocks agree; times are milliseconds with microsecond fractions. Keys
 * expire once nothing in them matters any more.
 */

const PRELUDE = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local h = redis.call('HMGET', KEYS[1], 'tat', 'block', 'budget', 'hold')
local tat = tonumber(h[1]) or 0
local block = tonumber(h[2]) or 0
local budget = tonumber(h[3])
-- The quota state matters until the window after the current one has ended.
local hold = tonumber(h[4]) or 0
local function fmt(x) return string.format('%.3f', x) end
local function keep(key, untilTs)
  redis.call('PEXPIRE', key, math.ceil(math.max(untilTs, block, tat, hold) - now) + 1000)
end`;

// ARGV: interval, steady window (widened); the budget, when set, may lengthen the interval
const RESERVE = `${PRELUDE}
local interval = tonumber(ARGV[1])
if budget then interval = math.max(interval, tonumber(ARGV[2]) / budget) end
local slot = math.max(now, tat, block)
tat = slot + interval
redis.call('HSET', KEYS[1], 'tat', fmt(tat))
keep(KEYS[1], tat)
return fmt(slot - now)`;

// ARGV: keepCount, then pairs of (limit, windowMs), the steady window last
const CONFIRM = `${PRELUDE}
if block > now then return { fmt(block - now), '1' } end
local ready = now
local longest = 0
for i = 2, #ARGV, 2 do
  local limit = tonumber(ARGV[i])
  local window = tonumber(ARGV[i + 1])
  if i == #ARGV - 1 and budget and budget < limit then limit = budget end
  if window > longest then longest = window end
  local oldest = tonumber(redis.call('LINDEX', KEYS[2], limit - 1))
  if oldest and oldest + window > ready then ready = oldest + window end
end
if ready > now then return { fmt(ready - now), '0' } end
redis.call('LPUSH', KEYS[2], fmt(now))
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[1]) - 1)
keep(KEYS[2], now + longest)
return { '0', '0' }`;

// ARGV: delayMs
const DEFER = `${PRELUDE}
if now + tonumber(ARGV[1]) > block then
  block = now + tonumber(ARGV[1])
  redis.call('HSET', KEYS[1], 'block', fmt(block))
end
keep(KEYS[1], block)
return 1`;

// ARGV: limit, remaining, resetMs, server window, cap, margin, tolerance, reset resolution, age
// (quota.ts, step by step)
const OBSERVE = `${PRELUDE}
local limit, remaining, resetMs = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local windowMs, cap = tonumber(ARGV[4]), tonumber(ARGV[5])
local margin, tolerance = tonumber(ARGV[6]), tonumber(ARGV[7])
local q = redis.call('HMGET', KEYS[1], 'wend', 'wlow', 'onow', 'oprev')
local wend, wlow = tonumber(q[1]) or 0, tonumber(q[2]) or 0
local onow, oprev = tonumber(q[3]) or 0, tonumber(q[4]) or 0
local e = now + resetMs
local lo = e - tonumber(ARGV[8]) - tonumber(ARGV[9])
if wend == 0 or now - tonumber(ARGV[9]) >= wend or lo >= wend then
  if wend == 0 then oprev = 0 else oprev = onow end
  wend, wlow = e, lo
else
  wend, wlow = math.min(wend, e), math.max(wlow, lo)
end
local ours = 0
for _, t in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
  if tonumber(t) >= wlow - windowMs then ours = ours + 1 end
end
onow = math.max(0, limit - remaining - ours - tolerance)
local others = math.max(oprev, onow)
local start = wend - windowMs
local elapsed = now - start
if elapsed >= windowMs / 2 then
  local projected = onow * windowMs / elapsed
  if projected > oprev * 1.25 + 2 and projected > others then others = projected end
end
others = math.ceil(others)
budget = cap
if others > 0 then
  budget = math.max(1, math.min(cap, math.floor(limit - others * (1 + margin) - 1)))
end
hold = wend + windowMs
redis.call('HSET', KEYS[1], 'wend', fmt(wend), 'wlow', fmt(wlow), 'onow', onow, 'oprev', oprev,
  'limit', limit, 'others', others, 'budget', budget, 'hold', fmt(hold))
keep(KEYS[1], hold)
return { limit, others, budget }`;

/** Buckets in Redis, shared by every process that uses the same key. */
export class RedisSlotStore implements SlotStore {
  constructor(private readonly redis: Redis | Cluster) {}

  async reserve(bucket: string, pacing: Pacing): Promise<number> {
    const steadyWindowMs = pacing.windows.at(-1)?.windowMs ?? 0;
    return Math.max(
      0,
      Number(await this.run(RESERVE, bucket, [pacing.intervalMs, steadyWindowMs])),
    );
  }

  async confirm(bucket: string, pacing: Pacing): Promise<ConfirmResult> {
    const keepCount = Math.max(...pacing.windows.map((w) => w.limit));
    const args = [keepCount, ...pacing.windows.flatMap((w) => [w.limit, w.windowMs])];
    const reply = (await this.run(CONFIRM, bucket, args)) as [string, string];
    return { waitMs: Math.max(0, Number(reply[0])), blocked: reply[1] === '1' };
  }

  async defer(bucket: string, delayMs: number): Promise<void> {
    await this.run(DEFER, bucket, [delayMs]);
  }

  async observe(bucket: string, pacing: Pacing, reading: WindowReading): Promise<QuotaView> {
    const reply = (await this.run(OBSERVE, bucket, [
      reading.limit,
      reading.remaining,
      reading.resetMs,
      pacing.serverWindowMs,
      steadyCap(pacing),
      NEIGHBOUR_MARGIN,
      IN_FLIGHT_TOLERANCE,
      RESET_RESOLUTION_MS,
      reading.ageMs ?? 0,
    ])) as [number, number, number];
    return { limit: Number(reply[0]), others: Number(reply[1]), budget: Number(reply[2]) };
  }

  async quota(bucket: string): Promise<QuotaView | undefined> {
    const [limit, others, budget] = await this.redis.hmget(bucket, 'limit', 'others', 'budget');
    if (limit == null || others == null || budget == null) return undefined;
    return { limit: Number(limit), others: Number(others), budget: Number(budget) };
  }

  private async run(script: string, bucket: string, args: number[]): Promise<unknown> {
    try {
      // EVAL (not defineCommand) so we add no commands to a Redis instance we do not own;
      // Redis caches the compiled script by its SHA either way.
      return await this.redis.eval(
        script,
        2,
        bucket,
        `${bucket}:log`,
        ...args.map((a) => a.toFixed(3)),
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new AppError(
        `Klaviyo rate limiter: Redis did not answer (${reason}); requests are held back ` +
          'rather than risk exceeding the shared limit.',
        { code: 'redis_unavailable', retryable: true, cause: error },
      );
    }
  }
}
