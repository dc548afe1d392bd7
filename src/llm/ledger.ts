import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { DAY_MS } from '../time.js';
import { silentLogger, type Logger } from '../logger.js';
import { LlmBudgetExceededError } from './errors.js';
import { costUsd, type PriceTable, type TokenCounts } from './prices.js';
import { addUsage, ZERO_USAGE, type LlmStage, type LlmUsage } from './types.js';

/** Tokens and cost of every call of one (account, run, stage, model). */
export interface LedgerEntry extends LlmUsage {
  accountId: string;
  runId: string;
  stage: LlmStage;
  model: string;
  /** Calls made through the Message Batches API (half price). */
  batchCalls: number;
  /** Calls whose model had no price: their tokens count, their cost is unknown. */
  unpricedCalls: number;
}

/** The ledger as plain JSON, for a job to store (e.g. in Redis) and merge back. */
export interface TokenLedgerData {
  version: 1;
  entries: LedgerEntry[];
  /** USD spent per account per UTC day (`YYYY-MM-DD`); budgets read this. */
  dailySpendUsd: Record<string, Record<string, number>>;
}

export interface LedgerRecord {
  accountId: string;
  runId: string;
  stage: LlmStage;
  model: string;
  tokens: TokenCounts;
  /** Made through the Message Batches API. @defaultValue false */
  batch?: boolean;
}

export type BudgetPeriod = 'day' | 'month';

/** One call, as a ledger hands it to its shared spend store. */
export interface SpendRecord {
  accountId: string;
  runId: string;
  stage: LlmStage;
  model: string;
  tokens: TokenCounts;
  /** Null for a model without a price: its tokens count, its cost is unknown. */
  costUsd: number | null;
  batch: boolean;
  at: Date;
}

/**
 * Spend kept outside the process (e.g. `LlmSpendStore` in Redis), so that every worker of an
 * account, and the next process after a restart, draws on one budget.
 */
export interface SharedSpend {
  add(record: SpendRecord): Promise<void>;
  /** USD the account spent, all processes together, in the UTC day or month containing `at`. */
  spentUsd(accountId: string, period: BudgetPeriod, at: Date): Promise<number>;
  /**
   * Holds `usd` of the account's budget for a call about to be made, atomically with every other
   * process's holds: false (nothing held) when the spend so far, what is held and `usd` would pass
   * `budgetUsd`. A hold lapses by itself if its process dies before `release`.
   */
  reserve(hold: SpendHold, budgetUsd: number): Promise<boolean>;
  /** Lets go of a hold (after the call's spend was added). */
  release(hold: SpendHold): Promise<void>;
}

/** USD held for one call in flight, in the budget period containing `at`. */
export interface SpendHold {
  id: string;
  accountId: string;
  period: BudgetPeriod;
  usd: number;
  at: Date;
}

export interface TokenLedgerOptions {
  /** @defaultValue DEFAULT_PRICES */
  prices?: PriceTable;
  logger?: Logger;
  now?: () => Date;
  /** Also record every call here; `refreshSpend` then reads the shared total back. */
  shared?: SharedSpend;
  /** Called with every recorded call (e.g. the process's metrics). */
  onRecord?: (record: LedgerRecord) => void;
  /**
   * Most (account, run, stage, model) entries kept; the least recently updated go first, so a
   * long-lived worker's ledger does not grow with every run. @defaultValue 2000
   */
  maxEntries?: number;
}

/** Days of per-day spend a ledger keeps: this month and the last, for month budgets. */
const KEPT_SPEND_DAYS = 62;

const count = z.number().int().min(0);
const LedgerDataSchema = z.object({
  version: z.literal(1),
  entries: z.array(
    z.object({
      accountId: z.string(),
      runId: z.string(),
      stage: z.enum(['diagnose', 'draft', 'judge']),
      model: z.string(),
      calls: count,
      batchCalls: count,
      unpricedCalls: count,
      inputTokens: count,
      outputTokens: count,
      cacheWriteTokens: count,
      cacheReadTokens: count,
      costUsd: z.number().min(0).nullable(),
    }),
  ),
  dailySpendUsd: z.record(z.string(), z.record(z.string(), z.number().min(0))),
});

/**
 * Token and cost accounting per (account, run, stage), kept as plain data. `merge` adds, so merge
 * only ledgers that do not overlap (e.g. one per run), never a ledger into a copy of itself.
 * Bounded: the most recent `maxEntries` entries and the last `KEPT_SPEND_DAYS` days of spend.
 */
export class TokenLedger {
  private readonly entryMap = new Map<string, LedgerEntry>();
  private readonly daily = new Map<string, Map<string, number>>();
  private readonly warnedModels = new Set<string>();
  private readonly prices: PriceTable | undefined;
  private readonly logger: Logger;
  private readonly shared: SharedSpend | undefined;
  private readonly onRecord: ((record: LedgerRecord) => void) | undefined;
  /** Shared writes not yet acknowledged; `flush` waits for them. */
  private readonly writes = new Set<Promise<void>>();
  /** Last shared total read per (account, period key), with this ledger's own spend then. */
  private readonly sharedSeen = new Map<string, { stored: number; localAtRead: number }>();
  /** USD held for calls in flight without a shared store, per account (hold id → USD). */
  private readonly localHolds = new Map<string, Map<string, number>>();
  private readonly maxEntries: number;
  readonly now: () => Date;

  constructor(options: TokenLedgerOptions = {}) {
    this.prices = options.prices;
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? (() => new Date());
    this.shared = options.shared;
    this.onRecord = options.onRecord;
    this.maxEntries = options.maxEntries ?? 2000;
  }

  /** What `tokens` on `model` cost, by this ledger's prices (null for an unpriced model). */
  costOf(model: string, tokens: TokenCounts): number | null {
    return costUsd(model, tokens, this.prices ? { table: this.prices } : {});
  }

  /**
   * Holds `usd` (the most a call about to be made can cost) against the account's budget: in the
   * shared store when there is one (every process's holds count), else in this ledger. Null when
   * the spend and the holds of calls in flight already reach the budget; otherwise `release` the
   * hold once the call is recorded. So the spend passes the budget by at most the last call's
   * cost, however many calls run at once.
   */
  async reserve(
    accountId: string,
    period: BudgetPeriod,
    usd: number,
    budgetUsd: number,
  ): Promise<SpendHold | null> {
    const hold: SpendHold = { id: randomUUID(), accountId, period, usd, at: this.now() };
    if (this.shared) {
      await this.flush();
      return (await this.shared.reserve(hold, budgetUsd)) ? hold : null;
    }
    const holds = this.localHolds.get(accountId) ?? new Map<string, number>();
    const held = [...holds.values()].reduce((sum, n) => sum + n, 0);
    if (this.localSpentUsd(accountId, period, hold.at) + held >= budgetUsd) return null;
    this.localHolds.set(accountId, holds.set(hold.id, usd));
    return hold;
  }

  /** Lets go of a hold after its call's spend is recorded (and has reached the shared store). */
  async release(hold: SpendHold): Promise<void> {
    if (this.shared) {
      await this.flush();
      // A hold that cannot be released lapses by itself; the call's answer is not lost over it.
      await this.shared.release(hold).catch((error: unknown) => {
        this.logger.warn({ err: error, accountId: hold.accountId }, 'LLM budget hold not released');
      });
      return;
    }
    this.localHolds.get(hold.accountId)?.delete(hold.id);
  }

  /** Rebuilds a ledger from `toJSON()` output; throws ConfigError on malformed data. */
  static fromJSON(data: unknown, options: TokenLedgerOptions = {}): TokenLedger {
    return new TokenLedger(options).merge(data);
  }

  /** Records one call and returns its usage, with its cost (null for an unpriced model). */
  record(rec: LedgerRecord): LlmUsage {
    this.onRecord?.(rec);
    const batch = rec.batch ?? false;
    const cost = costUsd(rec.model, rec.tokens, {
      batch,
      ...(this.prices ? { table: this.prices } : {}),
    });
    if (cost === null && !this.warnedModels.has(rec.model)) {
      this.warnedModels.add(rec.model);
      this.logger.warn(
        { model: rec.model },
        'no price for this model: its LLM cost is not counted',
      );
    }
    const usage: LlmUsage = { ...rec.tokens, calls: 1, costUsd: cost };
    this.add({
      ...usage,
      accountId: rec.accountId,
      runId: rec.runId,
      stage: rec.stage,
      model: rec.model,
      batchCalls: batch ? 1 : 0,
      unpricedCalls: cost === null ? 1 : 0,
    });
    const at = this.now();
    if (cost !== null) this.addSpend(rec.accountId, dayKey(at), cost);
    if (this.shared) this.share({ ...rec, tokens: { ...rec.tokens }, costUsd: cost, batch, at });
    return usage;
  }

  /** Waits until every call recorded so far has reached the shared store (failures are logged). */
  async flush(): Promise<void> {
    while (this.writes.size > 0) await Promise.all([...this.writes]);
  }

  /**
   * Reads the account's shared spend for the period (after flushing this ledger's own writes);
   * `spentUsd` then counts it, plus what this ledger records after the read. Without a shared
   * store it is the local spend.
   */
  async refreshSpend(accountId: string, period: BudgetPeriod): Promise<number> {
    if (!this.shared) return this.spentUsd(accountId, period);
    await this.flush();
    const at = this.now();
    const localAtRead = this.localSpentUsd(accountId, period, at);
    const stored = await this.shared.spentUsd(accountId, period, at);
    this.sharedSeen.set(spendKey(accountId, period, at), { stored, localAtRead });
    return this.spentUsd(accountId, period, at);
  }

  /** Every (account, run, stage, model) entry. */
  entries(): LedgerEntry[] {
    return [...this.entryMap.values()].map((e) => ({ ...e }));
  }

  /** Sum of the entries matching the filter (all when empty). */
  totals(filter: { accountId?: string; runId?: string; stage?: LlmStage } = {}): LlmUsage {
    return this.entries()
      .filter(
        (e) =>
          (filter.accountId === undefined || e.accountId === filter.accountId) &&
          (filter.runId === undefined || e.runId === filter.runId) &&
          (filter.stage === undefined || e.stage === filter.stage),
      )
      .reduce<LlmUsage>((sum, e) => addUsage(sum, e), ZERO_USAGE);
  }

  /**
   * USD an account spent in the UTC day or month containing `at`: this ledger's own calls, or,
   * once `refreshSpend` has read the shared store for that period, the shared total then plus
   * this ledger's calls since. A call recorded during the read may count twice (never zero
   * times): a budget errs on the side of stopping.
   */
  spentUsd(accountId: string, period: BudgetPeriod, at: Date = this.now()): number {
    const local = this.localSpentUsd(accountId, period, at);
    const seen = this.sharedSeen.get(spendKey(accountId, period, at));
    if (!seen) return local;
    return Math.max(local, seen.stored + local - seen.localAtRead);
  }

  toJSON(): TokenLedgerData {
    const dailySpendUsd: Record<string, Record<string, number>> = {};
    for (const [account, days] of this.daily) dailySpendUsd[account] = Object.fromEntries(days);
    return { version: 1, entries: this.entries(), dailySpendUsd };
  }

  /** Adds another ledger's data (e.g. loaded from the store) to this one. */
  merge(data: unknown): this {
    const parsed = LedgerDataSchema.safeParse(data);
    if (!parsed.success) {
      throw new ConfigError(`token ledger data is malformed: ${z.prettifyError(parsed.error)}`);
    }
    for (const entry of parsed.data.entries) this.add(entry);
    for (const [account, days] of Object.entries(parsed.data.dailySpendUsd)) {
      for (const [day, usd] of Object.entries(days)) this.addSpend(account, day, usd);
    }
    return this;
  }

  private add(entry: LedgerEntry): void {
    const key = JSON.stringify([entry.accountId, entry.runId, entry.stage, entry.model]);
    const current = this.entryMap.get(key);
    // Deleted and set again, so the map's order is least recently updated first.
    this.entryMap.delete(key);
    this.entryMap.set(
      key,
      current === undefined
        ? { ...entry }
        : {
            ...current,
            ...addUsage(current, entry),
            batchCalls: current.batchCalls + entry.batchCalls,
            unpricedCalls: current.unpricedCalls + entry.unpricedCalls,
          },
    );
    for (const oldest of this.entryMap.keys()) {
      if (this.entryMap.size <= this.maxEntries) break;
      this.entryMap.delete(oldest);
    }
  }

  private localSpentUsd(accountId: string, period: BudgetPeriod, at: Date): number {
    const prefix = periodKey(period, at);
    let sum = 0;
    for (const [day, usd] of this.daily.get(accountId) ?? []) {
      if (day.startsWith(prefix)) sum += usd;
    }
    return sum;
  }

  private share(record: SpendRecord): void {
    const write = (this.shared as SharedSpend).add(record).catch((error: unknown) => {
      // The call is made and paid for: losing its result over bookkeeping would pay twice.
      this.logger.error(
        { err: error, accountId: record.accountId, stage: record.stage },
        'LLM spend not recorded in the shared store; other workers undercount this budget',
      );
    });
    this.writes.add(write);
    void write.finally(() => this.writes.delete(write));
  }

  private addSpend(accountId: string, day: string, usd: number): void {
    const days = this.daily.get(accountId) ?? new Map<string, number>();
    days.set(day, (days.get(day) ?? 0) + usd);
    this.daily.set(accountId, days);
    // Budgets read this day and month only: older days (and reads of them) are dropped.
    const oldest = dayKey(new Date(this.now().getTime() - KEPT_SPEND_DAYS * DAY_MS));
    for (const d of days.keys()) if (d < oldest) days.delete(d);
    for (const key of this.sharedSeen.keys()) {
      if ((key.split('\u0000')[1] ?? '') < oldest.slice(0, 7)) this.sharedSeen.delete(key);
    }
  }
}

export interface BudgetGuardOptions {
  /** The ledger the LLM client records into (the guard reads its spend). */
  ledger: TokenLedger;
  /** USD per account per period; a function gives per-account budgets (undefined = no limit). */
  budgetUsd: number | ((accountId: string) => number | undefined);
  /** @defaultValue 'day' (UTC) */
  period?: BudgetPeriod;
}

/** Refuses LLM calls for an account once its spend in the period reaches its budget. */
export class BudgetGuard {
  readonly ledger: TokenLedger;
  readonly period: BudgetPeriod;
  private readonly budget: (accountId: string) => number | undefined;

  constructor(options: BudgetGuardOptions) {
    this.ledger = options.ledger;
    this.period = options.period ?? 'day';
    const { budgetUsd } = options;
    this.budget = typeof budgetUsd === 'number' ? () => budgetUsd : budgetUsd;
  }

  /**
   * Reads the account's shared spend (see `TokenLedger.refreshSpend`) so that the synchronous
   * checks below count every process's calls. Call it before each call; no-op without a budget.
   */
  async refresh(accountId: string): Promise<void> {
    if (this.budget(accountId) === undefined) return;
    await this.ledger.refreshSpend(accountId, this.period);
  }

  /** `refresh`, then `ensureCanSpend`. */
  async check(accountId: string, estimatedUsd = 0): Promise<void> {
    await this.refresh(accountId);
    this.ensureCanSpend(accountId, estimatedUsd);
  }

  /** USD left for the account in this period (Infinity without a budget). */
  remainingUsd(accountId: string): number {
    const budget = this.budget(accountId);
    if (budget === undefined) return Number.POSITIVE_INFINITY;
    return Math.max(0, budget - this.ledger.spentUsd(accountId, this.period));
  }

  /**
   * Holds `estimatedUsd` (the most the call can cost) of the account's budget for one call (see
   * `TokenLedger.reserve`), so calls in flight together, in any process, cannot take the spend
   * past the budget by more than one call. Throws LlmBudgetExceededError when the spend and the
   * holds already reach it; call `release` once the call is recorded. A no-op without a budget.
   */
  async reserve(accountId: string, estimatedUsd: number): Promise<{ release(): Promise<void> }> {
    const budget = this.budget(accountId);
    if (budget === undefined) return { release: async () => {} };
    const hold = await this.ledger.reserve(accountId, this.period, estimatedUsd, budget);
    if (hold === null) throw this.exceeded(accountId, budget);
    return { release: () => this.ledger.release(hold) };
  }

  /**
   * Throws LlmBudgetExceededError when the account's spend has reached its budget, or when
   * `estimatedUsd` (a caller's look-ahead, e.g. for a whole batch) would take it past it.
   */
  ensureCanSpend(accountId: string, estimatedUsd = 0): void {
    const budget = this.budget(accountId);
    if (budget === undefined) return;
    const spent = this.ledger.spentUsd(accountId, this.period);
    if (spent >= budget || (estimatedUsd > 0 && spent + estimatedUsd > budget)) {
      throw this.exceeded(accountId, budget);
    }
  }

  private exceeded(accountId: string, budget: number): LlmBudgetExceededError {
    return new LlmBudgetExceededError(
      accountId,
      budget,
      this.period === 'day' ? 'today' : 'this month',
    );
  }
}

function dayKey(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` or `YYYY-MM` (UTC) of the period containing `at`. */
function periodKey(period: BudgetPeriod, at: Date): string {
  return period === 'day' ? dayKey(at) : dayKey(at).slice(0, 7);
}

function spendKey(accountId: string, period: BudgetPeriod, at: Date): string {
  return `${accountId}\u0000${periodKey(period, at)}`;
}
