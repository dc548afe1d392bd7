import { z } from 'zod';
import { RequestValidationError } from '../errors.js';
import type { RedisConnection } from '../redis.js';
import { accountKey, LuaScript, storePrefix, toMillis, type StoreOptions } from './keys.js';
import { DAY_MS } from '../time.js';

/**
 * Metric snapshots (report results) as a time series per account and report kind: a sorted set
 * by window end, with the JSON values in a hash. Pulling the same window again replaces it, so
 * retries do not add points; the impact checks read a range before and after a change.
 */

export const MetricPointSchema = z.object({
  accountId: z.string().min(1),
  /** Which report, e.g. `values`, `values-by-channel`, `skill-values`. */
  kind: z.string().regex(/^[a-z0-9-]+$/),
  windowStart: z.string(),
  /** Exclusive, as in the reports API. */
  windowEnd: z.string(),
  pulledAt: z.string(),
  /** The report's values as returned (or as summarized by the pull). */
  data: z.unknown(),
});
export type MetricPoint = z.infer<typeof MetricPointSchema>;

export type NewMetricPoint = Omit<MetricPoint, 'accountId' | 'pulledAt'>;

export interface ReportStoreOptions extends StoreOptions {
  /** @defaultValue 400 (a year and a bit, for year-over-year impact checks) */
  retentionDays?: number;
}

// KEYS: series zset, values hash. ARGV: endMs, json, cutoffMs.
const PUT = new LuaScript(`
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
local old = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3], 'LIMIT', 0, 100)
if #old > 0 then
  redis.call('ZREM', KEYS[1], unpack(old))
  redis.call('HDEL', KEYS[2], unpack(old))
end
return 1
`);

export class ReportStore {
  private readonly prefix: string;
  private readonly now: () => Date;
  private readonly retentionMs: number;

  constructor(
    private readonly redis: RedisConnection,
    options: ReportStoreOptions = {},
  ) {
    this.prefix = storePrefix(options);
    this.now = options.now ?? (() => new Date());
    const days = options.retentionDays ?? 400;
    if (!(days > 0)) throw new RequestValidationError('retentionDays must be positive');
    this.retentionMs = Math.round(days * DAY_MS);
  }

  /** Stores (or replaces) the point for this window end. */
  async put(accountId: string, point: NewMetricPoint): Promise<MetricPoint> {
    const now = this.now();
    const record = MetricPointSchema.parse({ ...point, accountId, pulledAt: now.toISOString() });
    const endMs = toMillis(record.windowEnd, 'windowEnd');
    if (toMillis(record.windowStart, 'windowStart') >= endMs) {
      throw new RequestValidationError('windowStart must be before windowEnd');
    }
    await PUT.run(this.redis, this.keys(accountId, record.kind), [
      endMs,
      JSON.stringify(record),
      now.getTime() - this.retentionMs,
    ]);
    return record;
  }

  /** Points whose window ends in `[from, to]` (both optional), oldest first. */
  async range(
    accountId: string,
    kind: string,
    bounds: { from?: string; to?: string } = {},
  ): Promise<MetricPoint[]> {
    const [series, values] = this.keys(accountId, kind);
    const min = bounds.from === undefined ? '-inf' : toMillis(bounds.from, 'from');
    const max = bounds.to === undefined ? '+inf' : toMillis(bounds.to, 'to');
    const ends = await this.redis.zrangebyscore(series, min, max);
    return this.load(values, ends);
  }

  /** The most recent point, or null. */
  async latest(accountId: string, kind: string): Promise<MetricPoint | null> {
    const [series, values] = this.keys(accountId, kind);
    const ends = await this.redis.zrevrange(series, 0, 0);
    return (await this.load(values, ends))[0] ?? null;
  }

  private async load(valuesKey: string, ends: string[]): Promise<MetricPoint[]> {
    if (ends.length === 0) return [];
    const jsons = await this.redis.hmget(valuesKey, ...ends);
    return jsons.flatMap((json) =>
      json === null ? [] : [MetricPointSchema.parse(JSON.parse(json))],
    );
  }

  private keys(accountId: string, kind: string): [string, string] {
    return [
      accountKey(this.prefix, accountId, 'metrics', kind),
      accountKey(this.prefix, accountId, 'metrics', kind, 'values'),
    ];
  }
}
