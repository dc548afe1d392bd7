import { RequestValidationError } from '../errors.js';
import type { BudgetPeriod, SharedSpend, SpendHold, SpendRecord } from '../llm/ledger.js';
import { LLM_STAGES, type LlmStage } from '../llm/types.js';
import type { RedisConnection } from '../redis.js';
import { accountKey, LuaScript, storePrefix, type StoreOptions } from './keys.js';
import { DAY_MS } from '../time.js';

/**
 * LLM spend in Redis, so that an account's budget holds across workers and restarts: one hash
 * per account and UTC day (what budgets read) and one per run (what a run cost, for reports),
 * each counting USD, calls and tokens per stage. Increments (HINCRBYFLOAT/HINCRBY) in one
 * MULTI: concurrent workers add, never overwrite.
 *
 *   <prefix>:{acct:<id>}:llm-spend:day:<YYYY-MM-DD>
 *   <prefix>:{acct:<id>}:llm-spend:run:<runId>
 *   <prefix>:{acct:<id>}:llm-spend:holds          USD held for calls in flight (`reserve`)
 */

/** How long a hold for a call in flight lives unless released (longer than any call's retries). */
const HOLD_TTL_MS = 10 * 60_000;

// KEYS: the account's holds hash, then the day hashes of the budget period.
// ARGV: hold id, USD, budget, now ms, expiry ms, TTL ms. Holds are "<usd>|<expiry ms>".
const RESERVE = new LuaScript(`
local spent = 0
for i = 2, #KEYS do spent = spent + tonumber(redis.call('HGET', KEYS[i], 'usd') or '0') end
local held = 0
local holds = redis.call('HGETALL', KEYS[1])
for i = 1, #holds, 2 do
  local usd, expires = string.match(holds[i + 1], '^([^|]+)|(.+)$')
  if tonumber(expires) <= tonumber(ARGV[4]) then redis.call('HDEL', KEYS[1], holds[i])
  else held = held + tonumber(usd) end
end
if spent + held >= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '|' .. ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return 1
`);

/** Tokens, calls and USD of a set of calls. */
export interface LlmSpendTotals {
  calls: number;
  /** Calls through the Message Batches API (half price). */
  batchCalls: number;
  /** Calls whose model had no price: counted in tokens, not in USD. */
  unpricedCalls: number;
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
  costUsd: number;
}

/** A day's or a run's spend, in total and per stage (stages without calls are left out). */
export interface LlmSpendSummary {
  total: LlmSpendTotals;
  byStage: Partial<Record<LlmStage, LlmSpendTotals>>;
}

export interface LlmSpendStoreOptions extends StoreOptions {
  /** Days a day's or a run's hash is kept after its last call. @defaultValue 40 */
  retentionDays?: number;
}

/** Hash field names, each prefixed `<stage>:`; `usd` also exists unprefixed (all stages). */
const FIELDS = {
  calls: 'calls',
  batchCalls: 'batch-calls',
  unpricedCalls: 'unpriced-calls',
  inputTokens: 'input',
  outputTokens: 'output',
  cacheWriteTokens: 'cache-write',
  cacheReadTokens: 'cache-read',
  costUsd: 'usd',
} as const satisfies Record<keyof LlmSpendTotals, string>;

const ZERO: LlmSpendTotals = {
  calls: 0,
  batchCalls: 0,
  unpricedCalls: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheWriteTokens: 0,
  cacheReadTokens: 0,
  costUsd: 0,
};

export class LlmSpendStore implements SharedSpend {
  private readonly prefix: string;
  private readonly now: () => Date;
  private readonly ttlMs: number;

  constructor(
    private readonly redis: RedisConnection,
    options: LlmSpendStoreOptions = {},
  ) {
    this.prefix = storePrefix(options);
    this.now = options.now ?? (() => new Date());
    const days = options.retentionDays ?? 40;
    // A month budget reads up to 31 days back; shorter retention would forget spend.
    if (!(days >= 32)) throw new RequestValidationError('retentionDays must be at least 32');
    this.ttlMs = Math.round(days * DAY_MS);
  }

  /** Adds one call to its account's day and to its run. */
  async add(record: SpendRecord): Promise<void> {
    const { accountId, stage, tokens } = record;
    const usd = record.costUsd ?? 0;
    const counts: [keyof LlmSpendTotals, number][] = [
      ['calls', 1],
      ['batchCalls', record.batch ? 1 : 0],
      ['unpricedCalls', record.costUsd === null ? 1 : 0],
      ['inputTokens', tokens.inputTokens],
      ['outputTokens', tokens.outputTokens],
      ['cacheWriteTokens', tokens.cacheWriteTokens],
      ['cacheReadTokens', tokens.cacheReadTokens],
    ];
    const multi = this.redis.multi();
    for (const key of [this.dayKey(accountId, record.at), this.runKey(accountId, record.runId)]) {
      multi.hincrbyfloat(key, FIELDS.costUsd, usd);
      multi.hincrbyfloat(key, `${stage}:${FIELDS.costUsd}`, usd);
      for (const [name, n] of counts) {
        if (n !== 0) multi.hincrby(key, `${stage}:${FIELDS[name]}`, n);
      }
      multi.pexpire(key, this.ttlMs);
    }
    await multi.exec();
  }

  /**
   * Holds `hold.usd` for a call in flight unless the period's spend and every live hold already
   * reach `budgetUsd` (one script: two processes cannot both take the last of a budget). Holds
   * live in one hash per account and lapse after `HOLD_TTL_MS`, so a dead process's holds free
   * themselves.
   */
  async reserve(hold: SpendHold, budgetUsd: number): Promise<boolean> {
    const days = periodDays(hold.period, hold.at).map((d) => this.dayKey(hold.accountId, d));
    const now = this.now().getTime();
    const reply = await RESERVE.run(
      this.redis,
      [this.holdsKey(hold.accountId), ...days],
      [hold.id, hold.usd, budgetUsd, now, now + HOLD_TTL_MS, HOLD_TTL_MS],
    );
    return reply === 1;
  }

  async release(hold: SpendHold): Promise<void> {
    await this.redis.hdel(this.holdsKey(hold.accountId), hold.id);
  }

  /** USD the account spent in the UTC day or month containing `at`. */
  async spentUsd(accountId: string, period: BudgetPeriod, at: Date = this.now()): Promise<number> {
    if (period === 'day') {
      return toNumber(await this.redis.hget(this.dayKey(accountId, at), FIELDS.costUsd));
    }
    const pipeline = this.redis.pipeline();
    for (const day of periodDays(period, at)) {
      pipeline.hget(this.dayKey(accountId, day), FIELDS.costUsd);
    }
    const results = (await pipeline.exec()) ?? [];
    return results.reduce((sum, [error, value]) => {
      if (error) throw error;
      return sum + toNumber(value);
    }, 0);
  }

  /** The account's spend in the UTC day containing `at`. */
  async day(accountId: string, at: Date = this.now()): Promise<LlmSpendSummary> {
    return summarize(await this.redis.hgetall(this.dayKey(accountId, at)));
  }

  /** A run's spend (all its jobs, on every worker). */
  async run(accountId: string, runId: string): Promise<LlmSpendSummary> {
    return summarize(await this.redis.hgetall(this.runKey(accountId, runId)));
  }

  private dayKey(accountId: string, at: Date): string {
    return accountKey(this.prefix, accountId, 'llm-spend', 'day', at.toISOString().slice(0, 10));
  }

  private holdsKey(accountId: string): string {
    return accountKey(this.prefix, accountId, 'llm-spend', 'holds');
  }

  private runKey(accountId: string, runId: string): string {
    return accountKey(this.prefix, accountId, 'llm-spend', 'run', runId);
  }
}

/** The UTC days of the day or month containing `at`. */
function periodDays(period: BudgetPeriod, at: Date): Date[] {
  if (period === 'day') return [at];
  const days: Date[] = [];
  const next = Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1);
  for (let day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1); day < next; day += DAY_MS) {
    days.push(new Date(day));
  }
  return days;
}

function toNumber(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : 0;
  return Number.isFinite(n) ? n : 0;
}

function summarize(hash: Record<string, string>): LlmSpendSummary {
  const byStage: Partial<Record<LlmStage, LlmSpendTotals>> = {};
  const total = { ...ZERO };
  for (const stage of LLM_STAGES) {
    const totals = { ...ZERO };
    for (const name of Object.keys(FIELDS) as (keyof LlmSpendTotals)[]) {
      totals[name] = toNumber(hash[`${stage}:${FIELDS[name]}`]);
      total[name] += totals[name];
    }
    if (totals.calls > 0) byStage[stage] = totals;
  }
  return { total, byStage };
}
