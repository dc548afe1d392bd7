import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LlmApiError, LlmBudgetExceededError } from '../../../src/llm/errors.js';
import { BudgetGuard, TokenLedger } from '../../../src/llm/ledger.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic-server.js';
import { clientFor } from './helpers.js';

const Verdict = z.object({ reason: z.string().min(1), handled: z.boolean() });

function request(customId: string, accountId = 'acct-1') {
  return {
    customId,
    stage: 'judge' as const,
    system: { cached: 'FINDING: same for every request' },
    prompt: {
      name: 'judge-replay.v1',
      vars: { transcript: `turns ${customId}`, agent_reply: 'r' },
    },
    output: Verdict,
    toolName: 'record_verdict',
    toolDescription: 'Record the verdict.',
    accountId,
    runId: 'run-batch',
  };
}

describe('Message Batches through the fake API', () => {
  let fake: FakeAnthropic;
  beforeEach(async () => {
    fake = await startFakeAnthropic({ batchPollsBeforeEnd: 1 });
  });
  afterEach(async () => {
    await fake.close();
  });

  it('submits, polls until ended, validates each result and repairs an invalid one', async () => {
    fake.script([
      { toolInput: { reason: 'one', handled: true } },
      { toolInput: { reason: '', handled: 'no' } },
      { status: 529 },
      // The repair of the invalid batch answer is a normal (non-batch) call.
      { toolInput: { reason: 'two, repaired', handled: false } },
    ]);
    const llm = clientFor(fake);
    const id = await llm.submitBatch([request('a'), request('b'), request('c')]);
    const outcomes = await llm.collectBatch<z.infer<typeof Verdict>>(id, { pollMs: 1 });

    const a = outcomes.get('a');
    const b = outcomes.get('b');
    const c = outcomes.get('c');
    expect(a?.ok && a.result.value).toEqual({ reason: 'one', handled: true });
    expect(b?.ok && b.result.value).toEqual({ reason: 'two, repaired', handled: false });
    expect(b?.ok && b.result.usage.calls).toBe(2);
    expect(c?.ok).toBe(false);
    expect(!c?.ok && c?.error).toBeInstanceOf(LlmApiError);
    expect(!c?.ok && c?.error.retryable).toBe(true);

    const requests = fake.requests();
    expect(requests.slice(0, 3).map((r) => r.batchCustomId)).toEqual(['a', 'b', 'c']);
    expect(requests[3]?.batchCustomId).toBeUndefined();
    // Requests in a batch share the cached prefix too.
    expect(fake.stats().cacheHits).toBeGreaterThan(0);
    const entry = llm.ledger.entries()[0];
    expect(entry?.batchCalls).toBe(2);
    expect(entry?.calls).toBe(3);
  });

  it('collects in another client when given the submitted requests', async () => {
    fake.script([{ toolInput: { reason: 'ok', handled: true } }]);
    const id = await clientFor(fake).submitBatch([request('only')]);
    const other = clientFor(fake);
    await expect(other.collectBatch(id, { pollMs: 1 })).rejects.toThrow(/pass its requests/);
    const outcomes = await other.collectBatch(id, { pollMs: 1, requests: [request('only')] });
    expect(outcomes.get('only')?.ok).toBe(true);
  });
});

describe('token ledger and budget', () => {
  let fake: FakeAnthropic;
  beforeEach(async () => {
    fake = await startFakeAnthropic();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('sums tokens per account, run and stage as the server reported them', async () => {
    fake.script([
      { toolInput: { reason: 'a', handled: true } },
      { toolInput: { reason: 'b', handled: true } },
    ]);
    const llm = clientFor(fake);
    await llm.structured(request('x'));
    await llm.structured(request('y', 'acct-2'));

    const stats = fake.stats();
    const all = llm.ledger.totals();
    expect(all.inputTokens).toBe(stats.tokens.input);
    expect(all.cacheWriteTokens).toBe(stats.tokens.cacheWrite);
    expect(all.cacheReadTokens).toBe(stats.tokens.cacheRead);
    expect(all.outputTokens).toBe(stats.tokens.output);
    expect(llm.ledger.totals({ accountId: 'acct-2' }).calls).toBe(1);
    expect(all.costUsd).toBeGreaterThan(0);
  });

  it('refuses the call after the budget is reached, before any HTTP request', async () => {
    fake.script([{ toolInput: { reason: 'a', handled: true } }]);
    const ledger = new TokenLedger();
    const budget = new BudgetGuard({ ledger, budgetUsd: 0.0001 });
    const llm = clientFor(fake, { ledger, budget });
    await llm.structured(request('x'));
    const requestsBefore = fake.stats().requests;

    const error = await llm.structured(request('y')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmBudgetExceededError);
    expect((error as LlmBudgetExceededError).retryable).toBe(false);
    expect((error as LlmBudgetExceededError).code).toBe('llm_budget_exceeded');
    expect((error as Error).message).toBe(
      'account acct-1 reached its LLM budget of $0.00 for today; the rules diagnoser continues; ' +
        'raise LLM_BUDGET_USD or wait',
    );
    expect(fake.stats().requests).toBe(requestsBefore);
    // Another account still has its budget.
    fake.script([{ toolInput: { reason: 'b', handled: true } }]);
    await expect(llm.structured(request('z', 'acct-2'))).resolves.toBeDefined();
    // And batches are refused the same way.
    await expect(llm.submitBatch([request('w')])).rejects.toBeInstanceOf(LlmBudgetExceededError);
  });
});
