import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LlmBudgetExceededError } from '../../../src/llm/errors.js';
import { BudgetGuard, TokenLedger } from '../../../src/llm/ledger.js';
import type { PriceTable } from '../../../src/llm/prices.js';
import { LlmSpendStore } from '../../../src/store/llm-spend.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic-server.js';
import { deleteKeys, testRedis, uniquePrefix, waitFor } from '../queue/redis-helpers.js';
import { clientFor, TEST_MODELS } from './helpers.js';

/**
 * The budget is held before each call and settled after it, through Redis: calls in flight at
 * once, in two "workers" (two clients with their own ledgers on one Redis), take the spend past
 * the budget by at most one call. The fake holds every answer until the test has seen how many
 * calls got through, so the calls really are in flight together.
 */

const Verdict = z.object({ reason: z.string().min(1), handled: z.boolean() });
const MAX_TOKENS = 1000;
/** Output only, $1 per million tokens: a call's hold is exactly MAX_TOKENS of output. */
const PRICES: PriceTable = {
  [TEST_MODELS.judge]: { inputPerMTok: 0, outputPerMTok: 1 },
};
const HOLD_USD = MAX_TOKENS / 1_000_000;

const request = (n: number) => ({
  stage: 'judge' as const,
  system: { cached: 'same for every call' },
  prompt: { name: 'judge-replay.v1', vars: { transcript: `turns ${n}`, agent_reply: 'r' } },
  output: Verdict,
  toolName: 'record_verdict',
  toolDescription: 'Record the verdict.',
  accountId: 'acct-1',
  runId: 'run-holds',
  maxTokens: MAX_TOKENS,
});

describe('LLM budget holds', () => {
  let redis: Redis;
  let prefix: string;
  let fake: FakeAnthropic;
  let open: () => void;

  beforeEach(async () => {
    redis = testRedis();
    prefix = uniquePrefix('llm-holds');
    const gate = new Promise<void>((resolve) => (open = resolve));
    fake = await startFakeAnthropic({
      respond: async () => {
        await gate;
        return { toolInput: { reason: 'fine', handled: true } };
      },
    });
  });

  afterEach(async () => {
    open();
    await fake.close();
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  /** A worker's client: its own ledger and budget guard, spend shared through Redis. */
  function worker(budgetUsd: number) {
    const ledger = new TokenLedger({
      prices: PRICES,
      shared: new LlmSpendStore(redis, { prefix }),
    });
    return clientFor(fake, { ledger, budget: new BudgetGuard({ ledger, budgetUsd }) });
  }

  it('lets only as many calls start as the budget holds, across two workers, then settles', async () => {
    const budget = 2.5 * HOLD_USD;
    const [a, b] = [worker(budget), worker(budget)];
    let refused = 0;
    const calls = Array.from({ length: 10 }, (_, n) =>
      (n % 2 === 0 ? a : b).structured(request(n)).catch((error: unknown) => {
        expect(error).toBeInstanceOf(LlmBudgetExceededError);
        refused += 1;
        return null;
      }),
    );
    // Every call has either been refused or reached the fake (which holds its answer).
    await waitFor(
      async () => refused + fake.stats().requests === 10,
      'every call to start or be refused',
    );
    // Holds of 0, 1 and 2 calls are under 2.5 calls' worth; the fourth would pass it.
    expect(fake.stats().requests).toBe(3);
    open();
    const answered = (await Promise.all(calls)).filter((r) => r !== null);
    expect(answered).toHaveLength(3);

    // Settled: the holds are gone and the spend is what the three calls cost, under the budget.
    const spend = new LlmSpendStore(redis, { prefix });
    const spent = await spend.spentUsd('acct-1', 'day');
    expect(spent).toBeGreaterThan(0);
    expect(spent).toBeLessThanOrEqual(budget);
    expect(await redis.hlen(`${prefix}:{acct:acct-1}:llm-spend:holds`)).toBe(0);
    // With nothing in flight, the budget left lets the next call start.
    await expect(a.structured(request(99))).resolves.toMatchObject({ value: { handled: true } });
  });

  it('frees the hold of a worker that died mid-call once it lapses', async () => {
    let clock = new Date('2026-11-24T10:00:00.000Z');
    const spend = new LlmSpendStore(redis, { prefix, now: () => clock });
    const hold = (id: string) => ({
      id,
      accountId: 'acct-1',
      period: 'day' as const,
      usd: 1,
      at: clock,
    });
    expect(await spend.reserve(hold('dead'), 1)).toBe(true);
    expect(await spend.reserve(hold('next'), 1)).toBe(false);
    clock = new Date(clock.getTime() + 11 * 60_000);
    expect(await spend.reserve(hold('next'), 1)).toBe(true);
  });
});
