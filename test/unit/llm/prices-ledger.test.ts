import { describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { LlmBudgetExceededError } from '../../../src/llm/errors.js';
import {
  BudgetGuard,
  TokenLedger,
  type SharedSpend,
  type SpendRecord,
} from '../../../src/llm/ledger.js';
import { costUsd } from '../../../src/llm/prices.js';
import type { Logger } from '../../../src/logger.js';

const MTOK = 1_000_000;
const none = { inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0 };

describe('costUsd', () => {
  it('prices input, output, cache writes (1.25×) and cache reads (0.1×) per MTok', () => {
    expect(costUsd('claude-sonnet-4-5', { ...none, inputTokens: MTOK })).toBeCloseTo(3);
    expect(costUsd('claude-sonnet-4-5', { ...none, outputTokens: MTOK })).toBeCloseTo(15);
    expect(costUsd('claude-sonnet-4-5', { ...none, cacheWriteTokens: MTOK })).toBeCloseTo(3.75);
    expect(costUsd('claude-sonnet-4-5', { ...none, cacheReadTokens: MTOK })).toBeCloseTo(0.3);
    expect(
      costUsd('claude-haiku-4-5', { ...none, inputTokens: 2000, outputTokens: 100 }),
    ).toBeCloseTo(0.0025);
  });

  it('halves batch prices and returns null for an unknown model', () => {
    expect(costUsd('claude-opus-4-5', { ...none, inputTokens: MTOK }, { batch: true })).toBeCloseTo(
      2.5,
    );
    expect(costUsd('claude-unknown-9', { ...none, inputTokens: MTOK })).toBeNull();
    const table = { custom: { inputPerMTok: 2, outputPerMTok: 4 } };
    expect(costUsd('custom', { ...none, outputTokens: MTOK }, { table })).toBeCloseTo(4);
  });
});

function fixedClock(iso: string) {
  let now = new Date(iso);
  return { now: () => now, set: (next: string) => (now = new Date(next)) };
}

const rec = (accountId: string, model = 'claude-sonnet-4-5', inputTokens = MTOK) => ({
  accountId,
  runId: 'run-1',
  stage: 'diagnose' as const,
  model,
  tokens: { ...none, inputTokens },
});

describe('TokenLedger', () => {
  it('stays bounded in a long-lived worker: recent runs and the budget months only', () => {
    const clock = fixedClock('2026-01-01T10:00:00Z');
    const ledger = new TokenLedger({ now: clock.now, maxEntries: 3 });
    const day = (n: number) => new Date(Date.parse('2026-01-01T10:00:00Z') + n * 86_400_000);
    for (let n = 0; n < 200; n += 1) {
      clock.set(day(n).toISOString());
      ledger.record({ ...rec('a'), runId: `run-${n}` });
    }
    expect(ledger.entries().map((e) => e.runId)).toEqual(['run-197', 'run-198', 'run-199']);
    // The least recently updated entry goes first: run-197, updated again, stays.
    ledger.record({ ...rec('a'), runId: 'run-197' });
    ledger.record({ ...rec('a'), runId: 'run-200' });
    expect(ledger.entries().map((e) => e.runId)).toEqual(['run-199', 'run-197', 'run-200']);
    // 200 days of spend, but only the last 62 are kept: enough for this month's budget.
    const days = Object.keys(ledger.toJSON().dailySpendUsd['a'] ?? {});
    expect(days.length).toBeLessThanOrEqual(63);
    expect(days).toContain(day(199).toISOString().slice(0, 10));
    expect(days).not.toContain(day(0).toISOString().slice(0, 10));
    const month = day(199).toISOString().slice(0, 7);
    const inMonth = Array.from({ length: 200 }, (_, n) => day(n)).filter((d) =>
      d.toISOString().startsWith(month),
    ).length;
    expect(ledger.spentUsd('a', 'month')).toBeCloseTo(3 * (inMonth + 2));
  });

  it('sums per (account, run, stage) and filters totals', () => {
    const ledger = new TokenLedger();
    ledger.record(rec('a'));
    ledger.record(rec('a'));
    ledger.record({ ...rec('b'), stage: 'draft', batch: true });
    expect(ledger.entries()).toHaveLength(2);
    expect(ledger.totals({ accountId: 'a' })).toMatchObject({ calls: 2, inputTokens: 2 * MTOK });
    expect(ledger.totals({ accountId: 'a' }).costUsd).toBeCloseTo(6);
    expect(ledger.totals({ stage: 'draft' }).costUsd).toBeCloseTo(1.5);
    expect(ledger.totals().calls).toBe(3);
  });

  it('counts an unpriced model with a null cost and warns once', () => {
    const warn = vi.fn();
    const ledger = new TokenLedger({ logger: { warn } as unknown as Logger });
    expect(ledger.record(rec('a', 'claude-mythos-5')).costUsd).toBeNull();
    ledger.record(rec('a', 'claude-mythos-5'));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(ledger.entries()[0]).toMatchObject({
      unpricedCalls: 2,
      costUsd: null,
      inputTokens: 2 * MTOK,
    });
    expect(ledger.spentUsd('a', 'day')).toBe(0);
  });

  it('round-trips through JSON and merges another ledger by adding', () => {
    const clock = fixedClock('2026-11-24T12:00:00Z');
    const one = new TokenLedger({ now: clock.now });
    one.record(rec('a'));
    const data = JSON.parse(JSON.stringify(one.toJSON())) as unknown;
    const two = TokenLedger.fromJSON(data, { now: clock.now });
    expect(two.toJSON()).toEqual(one.toJSON());
    two.merge(data);
    expect(two.totals().calls).toBe(2);
    expect(two.spentUsd('a', 'day')).toBeCloseTo(6);
    expect(() => two.merge({ version: 2 })).toThrow(ConfigError);
  });
});

describe('BudgetGuard', () => {
  it('refuses once the day’s spend reaches the budget, and allows again the next day', () => {
    const clock = fixedClock('2026-11-24T10:00:00Z');
    const ledger = new TokenLedger({ now: clock.now });
    const guard = new BudgetGuard({ ledger, budgetUsd: 5 });
    guard.ensureCanSpend('a');
    ledger.record(rec('a'));
    expect(guard.remainingUsd('a')).toBeCloseTo(2);
    ledger.record(rec('a'));
    expect(() => guard.ensureCanSpend('a')).toThrow(LlmBudgetExceededError);
    expect(() => guard.ensureCanSpend('a')).toThrow(
      'account a reached its LLM budget of $5.00 for today; the rules diagnoser continues; raise LLM_BUDGET_USD or wait',
    );
    guard.ensureCanSpend('b');
    clock.set('2026-11-25T00:00:01Z');
    guard.ensureCanSpend('a');
  });

  it('looks ahead with an estimate, supports per-account budgets and months', () => {
    const clock = fixedClock('2026-11-03T10:00:00Z');
    const ledger = new TokenLedger({ now: clock.now });
    ledger.record(rec('a'));
    const monthly = new BudgetGuard({
      ledger,
      period: 'month',
      budgetUsd: (id) => (id === 'a' ? 10 : undefined),
    });
    clock.set('2026-11-28T10:00:00Z');
    monthly.ensureCanSpend('a', 6);
    expect(() => monthly.ensureCanSpend('a', 8)).toThrow(/for this month/);
    monthly.ensureCanSpend('unlimited', 1_000);
    expect(monthly.remainingUsd('unlimited')).toBe(Number.POSITIVE_INFINITY);
  });
});

/** An in-memory SharedSpend: what other processes spent is `others`. */
function memoryShared(options: { fail?: boolean } = {}) {
  const added: SpendRecord[] = [];
  const others = new Map<string, number>();
  const shared: SharedSpend = {
    add: async (record) => {
      if (options.fail) throw new Error('redis down');
      added.push(record);
    },
    spentUsd: async (accountId, period, at) => {
      const key = period === 'day' ? at.toISOString().slice(0, 10) : at.toISOString().slice(0, 7);
      const own = added
        .filter((r) => r.accountId === accountId && r.at.toISOString().startsWith(key))
        .reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
      return own + (others.get(accountId) ?? 0);
    },
    // Holds are the Redis store's (test/integration/llm/budget-reservations.test.ts).
    reserve: async () => true,
    release: async () => {},
  };
  return { shared, added, others };
}

describe('TokenLedger with shared spend', () => {
  it('hands every call to the shared store, priced or not, with its time', async () => {
    const clock = fixedClock('2026-11-24T10:00:00Z');
    const { shared, added } = memoryShared();
    const ledger = new TokenLedger({ now: clock.now, shared });
    ledger.record({ ...rec('a'), batch: true });
    ledger.record(rec('a', 'claude-mythos-5'));
    await ledger.flush();
    expect(added).toMatchObject([
      { accountId: 'a', runId: 'run-1', stage: 'diagnose', batch: true, at: clock.now() },
      { model: 'claude-mythos-5', costUsd: null, batch: false },
    ]);
    expect(added[0]?.costUsd).toBeCloseTo(1.5);
  });

  it('counts what other processes spent once refreshed, plus its own calls since', async () => {
    const clock = fixedClock('2026-11-24T10:00:00Z');
    const { shared, others } = memoryShared();
    const ledger = new TokenLedger({ now: clock.now, shared });
    const guard = new BudgetGuard({ ledger, budgetUsd: 10 });
    others.set('a', 5);
    // Until it reads the shared store, the ledger only knows its own calls.
    expect(guard.remainingUsd('a')).toBe(10);
    await guard.refresh('a');
    expect(guard.remainingUsd('a')).toBeCloseTo(5);
    ledger.record(rec('a'));
    expect(ledger.spentUsd('a', 'day')).toBeCloseTo(8);
    others.set('a', 7);
    await expect(guard.check('a')).rejects.toBeInstanceOf(LlmBudgetExceededError);
    // A budget-less account never reads the store.
    const free = new BudgetGuard({ ledger, budgetUsd: () => undefined });
    others.set('b', 1e9);
    await free.check('b');
    expect(ledger.spentUsd('b', 'day')).toBe(0);
  });

  it('logs a failed shared write without failing the call', async () => {
    const error = vi.fn();
    const { shared } = memoryShared({ fail: true });
    const ledger = new TokenLedger({ shared, logger: { error } as unknown as Logger });
    expect(ledger.record(rec('a')).costUsd).toBeCloseTo(3);
    await ledger.flush();
    expect(error).toHaveBeenCalledTimes(1);
    expect(ledger.spentUsd('a', 'day')).toBeCloseTo(3);
  });
});
