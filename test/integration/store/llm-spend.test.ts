import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../../src/config.js';
import { createDeps, type Deps } from '../../../src/deps.js';
import { LlmBudgetExceededError } from '../../../src/llm/errors.js';
import { BudgetGuard, TokenLedger } from '../../../src/llm/ledger.js';
import { silentLogger } from '../../../src/logger.js';
import { LlmSpendStore } from '../../../src/store/llm-spend.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic-server.js';
import { deleteKeys, testRedis, uniquePrefix } from '../queue/redis-helpers.js';

const MTOK = 1_000_000;
const NONE = { inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0 };
const DAY_MS = 24 * 3600_000;

describe('LlmSpendStore', () => {
  let redis: Redis;
  let prefix: string;
  let clock: Date;
  let spend: LlmSpendStore;

  beforeEach(() => {
    redis = testRedis();
    prefix = uniquePrefix('llm-spend');
    clock = new Date('2026-11-21T09:00:00.000Z');
    spend = new LlmSpendStore(redis, { prefix, now: () => clock });
  });

  afterEach(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  const call = (fields: { stage?: 'diagnose' | 'draft'; usd: number | null; at?: Date }) => ({
    accountId: 'acct-1',
    runId: 'run-1',
    stage: fields.stage ?? 'diagnose',
    model: 'claude-haiku-4-5',
    tokens: { inputTokens: 1000, outputTokens: 100, cacheWriteTokens: 50, cacheReadTokens: 10 },
    costUsd: fields.usd,
    batch: false,
    at: fields.at ?? clock,
  });

  it('sums USD, calls and tokens per stage for the day and for the run', async () => {
    await spend.add(call({ usd: 0.25 }));
    await spend.add({ ...call({ usd: 0.5, stage: 'draft' }), batch: true });
    await spend.add(call({ usd: null }));

    const day = await spend.day('acct-1');
    expect(day.total).toMatchObject({ calls: 3, inputTokens: 3000, outputTokens: 300 });
    expect(day.total.costUsd).toBeCloseTo(0.75);
    expect(day.byStage.diagnose).toMatchObject({
      calls: 2,
      unpricedCalls: 1,
      batchCalls: 0,
      cacheWriteTokens: 100,
      cacheReadTokens: 20,
    });
    expect(day.byStage.draft).toMatchObject({ calls: 1, batchCalls: 1, costUsd: 0.5 });
    expect(day.byStage.judge).toBeUndefined();
    expect(await spend.run('acct-1', 'run-1')).toEqual(day);
    expect(await spend.run('acct-1', 'run-2')).toMatchObject({ total: { calls: 0 }, byStage: {} });
    expect(await spend.spentUsd('acct-1', 'day')).toBeCloseTo(0.75);
    expect(await spend.spentUsd('acct-2', 'day')).toBe(0);
  });

  it('keeps days apart, sums a month, and expires the keys after about 40 days', async () => {
    await spend.add(call({ usd: 1, at: new Date('2026-10-31T23:00:00.000Z') }));
    await spend.add(call({ usd: 2, at: new Date('2026-11-01T00:30:00.000Z') }));
    await spend.add(call({ usd: 4, at: new Date(clock.getTime() - DAY_MS) }));
    await spend.add(call({ usd: 8 }));

    expect(await spend.spentUsd('acct-1', 'day')).toBeCloseTo(8);
    expect(await spend.spentUsd('acct-1', 'month')).toBeCloseTo(14);
    expect(await spend.spentUsd('acct-1', 'month', new Date('2026-10-15T00:00:00Z'))).toBe(1);
    const keys = await redis.keys(`${prefix}:*`);
    // One hash per day, one per run, all in the account's slot.
    expect(keys).toHaveLength(5);
    for (const key of keys) {
      expect(key).toContain('{acct:acct-1}:llm-spend:');
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(39 * DAY_MS);
      expect(ttl).toBeLessThanOrEqual(40 * DAY_MS);
    }
  });

  it('lets two ledgers, as in two workers, share one budget', async () => {
    const ledger = () => new TokenLedger({ now: () => clock, shared: spend });
    const [a, b] = [ledger(), ledger()];
    const guardA = new BudgetGuard({ ledger: a, budgetUsd: 1 });
    const guardB = new BudgetGuard({ ledger: b, budgetUsd: 1 });
    const record = (l: TokenLedger) =>
      l.record({
        accountId: 'acct-1',
        runId: 'run-1',
        stage: 'diagnose',
        model: 'claude-haiku-4-5',
        tokens: { ...NONE, inputTokens: 0.6 * MTOK },
      });

    record(a);
    await a.flush();
    await guardB.check('acct-1');
    expect(guardB.remainingUsd('acct-1')).toBeCloseTo(0.4);
    // B spends too: alone neither reached $1, together they did.
    record(b);
    await b.flush();
    expect(a.spentUsd('acct-1', 'day')).toBeCloseTo(0.6);
    await expect(guardA.check('acct-1')).rejects.toBeInstanceOf(LlmBudgetExceededError);
    expect(a.spentUsd('acct-1', 'day')).toBeCloseTo(1.2);
    // A third ledger (a restarted process) starts from the stored total.
    const restarted = new BudgetGuard({ ledger: ledger(), budgetUsd: 1 });
    await expect(restarted.check('acct-1')).rejects.toBeInstanceOf(LlmBudgetExceededError);
    // Another account, and the next day, have their own budget.
    await restarted.check('acct-2');
    clock = new Date(clock.getTime() + DAY_MS);
    await restarted.check('acct-1');
  });
});

describe('LLM spend through createDeps (two worker processes, one Redis)', () => {
  const Verdict = z.object({ reason: z.string().min(1), handled: z.boolean() });
  let redis: Redis;
  let prefix: string;
  let fake: FakeAnthropic;

  beforeEach(async () => {
    redis = testRedis();
    prefix = uniquePrefix('llm-deps');
    fake = await startFakeAnthropic({
      respond: () => ({ toolInput: { reason: 'fine', handled: true } }),
    });
  });

  afterEach(async () => {
    await fake.close();
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  const deps = (): Deps =>
    createDeps(
      loadConfig({
        REDIS_URL: inject('redisUrl'),
        QUEUE_PREFIX: prefix,
        ANTHROPIC_API_KEY: 'sk-ant-test-0123456789',
        ANTHROPIC_BASE_URL: fake.url,
        LLM_MODEL_JUDGE: 'claude-haiku-4-5',
        // One call of the fake costs about $0.0003: the first call crosses it.
        LLM_BUDGET_USD: '0.0001',
      }),
      { redis, logger: silentLogger },
    );

  const judge = (d: Deps, runId: string) =>
    d.llm?.structured({
      stage: 'judge',
      system: { cached: 'FINDING: the same for every call' },
      prompt: { name: 'judge-replay.v1', vars: { transcript: 'turns', agent_reply: 'reply' } },
      output: Verdict,
      toolName: 'record_verdict',
      toolDescription: 'Record the verdict.',
      accountId: 'default',
      runId,
    });

  it('refuses a call in one process once another spent the budget, and records run totals', async () => {
    const first = deps();
    const second = deps();
    await expect(judge(first, 'run-a')).resolves.toMatchObject({ value: { handled: true } });
    const requests = fake.stats().requests;

    await expect(judge(second, 'run-b')).rejects.toBeInstanceOf(LlmBudgetExceededError);
    await expect(judge(deps(), 'run-b')).rejects.toBeInstanceOf(LlmBudgetExceededError);
    expect(fake.stats().requests).toBe(requests);

    // What the first process spent is in Redis, per run and per day, as the API reported it.
    const run = await first.stores.llmSpend.run('default', 'run-a');
    const tokens = fake.stats().tokens;
    expect(run.byStage.judge).toMatchObject({
      calls: 1,
      inputTokens: tokens.input,
      outputTokens: tokens.output,
      cacheWriteTokens: tokens.cacheWrite,
      cacheReadTokens: tokens.cacheRead,
    });
    expect(run.total.costUsd).toBeCloseTo(first.llm?.ledger.totals().costUsd ?? -1, 12);
    expect(run.total.costUsd).toBeGreaterThan(0.0001);
    expect((await second.stores.llmSpend.day('default')).total.calls).toBe(1);
    expect(await second.stores.llmSpend.run('default', 'run-b')).toMatchObject({
      total: { calls: 0 },
    });
  });
});
