import type { Cluster, Redis } from 'ioredis';
import { AppError } from '../errors.js';
import type { ConfirmResult, Pacing, SlotStore } from './rate-limiter.js';

/**
 * The rate limiter's buckets in Redis (algorithm: see rate-limiter.ts). One bucket is a hash
 * `<bucket>` with `tat` (next free slot) and `block` (no sends before), and a list `<bucket>:log`
 * of confirmed send times, newest first. Scripts read Redis' clock (TIME), so processes on
 * machines with skewed clocks agree; times are milliseconds with microsecond fractions. Keys
 * expire once nothing in them matters any more.
 */

const PRELUDE = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local h = redis.call('HMGET', KEYS[1], 'tat', 'block')
local tat = tonumber(h[1]) or 0
local block = tonumber(h[2]) or 0
local function fmt(x) return string.format('%.3f', x) end
local function keep(key, untilTs)
  redis.call('PEXPIRE', key, math.ceil(math.max(untilTs, block, tat) - now) + 1000)
end`;

// ARGV: interval
const RESERVE = `${PRELUDE}
local slot = math.max(now, tat, block)
tat = slot + tonumber(ARGV[1])
redis.call('HSET', KEYS[1], 'tat', fmt(tat))
keep(KEYS[1], tat)
return fmt(slot - now)`;

// ARGV: keepCount, then pairs of (limit, windowMs)
const CONFIRM = `${PRELUDE}
if block > now then return { fmt(block - now), '1' } end
local ready = now
local longest = 0
for i = 2, #ARGV, 2 do
  local limit = tonumber(ARGV[i])
  local window = tonumber(ARGV[i + 1])
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

/** Buckets in Redis, shared by every process that uses the same key. */
export class RedisSlotStore implements SlotStore {
  constructor(private readonly redis: Redis | Cluster) {}

  async reserve(bucket: string, pacing: Pacing): Promise<number> {
    return Math.max(0, Number(await this.run(RESERVE, bucket, [pacing.intervalMs])));
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
