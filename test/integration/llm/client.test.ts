import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LlmApiError, LlmOutputError } from '../../../src/llm/errors.js';
import type { StructuredRequest } from '../../../src/llm/structured.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic-server.js';
import { clientFor, TEST_KEY } from './helpers.js';

const Verdict = z.object({ reason: z.string().min(1), handled: z.boolean() });

function verdictRequest(overrides: Partial<StructuredRequest<z.infer<typeof Verdict>>> = {}) {
  return {
    stage: 'judge' as const,
    system: { cached: 'FINDING: shoppers ask about international returns.' },
    prompt: { name: 'judge-replay.v1', vars: { transcript: 'turns', agent_reply: 'reply' } },
    output: Verdict,
    toolName: 'record_verdict',
    toolDescription: 'Record the verdict.',
    accountId: 'acct-1',
    runId: 'run-1',
    ...overrides,
  };
}

describe('LlmClient.structured against the fake Anthropic API', () => {
  let fake: FakeAnthropic;
  beforeEach(async () => {
    fake = await startFakeAnthropic();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('forces the tool, caches the shared prefix and parses the tool input', async () => {
    fake.script([{ toolInput: { reason: 'It gave the right window.', handled: true } }]);
    const result = await clientFor(fake).structured(verdictRequest());

    expect(result.value).toEqual({ reason: 'It gave the right window.', handled: true });
    expect(result.promptVersion).toBe('judge-replay.v1');
    expect(result.model).toBe('claude-haiku-4-5');
    expect(result.usage.calls).toBe(1);
    expect(result.usage.cacheWriteTokens).toBeGreaterThan(0);
    const [req] = fake.requests();
    expect(req?.apiKey).toBe(TEST_KEY);
    expect(req?.anthropicVersion).not.toBe('');
    expect(req?.forcedTool).toBe('record_verdict');
    expect(req?.system[0]?.cached).toBe(true);
    expect(req?.system[0]?.text).toContain('FINDING: shoppers ask about international returns.');
    expect(req?.tools[0]?.input_schema).toMatchObject({
      type: 'object',
      required: ['reason', 'handled'],
    });
  });

  it('repairs an invalid answer once, sending the issues back as a tool_result', async () => {
    fake.script([
      { toolInput: { reason: '', handled: 'yes' } },
      { toolInput: { reason: 'Fixed.', handled: false } },
    ]);
    const result = await clientFor(fake).structured(verdictRequest());

    expect(result.value).toEqual({ reason: 'Fixed.', handled: false });
    expect(result.usage.calls).toBe(2);
    const repair = fake.requests()[1];
    expect(repair?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(repair?.messages[1]?.content[0]).toMatchObject({
      type: 'tool_use',
      name: 'record_verdict',
    });
    expect(repair?.messages[2]?.content[0]).toMatchObject({ type: 'tool_result', is_error: true });
    expect(repair?.lastUserText).toContain('handled:');
    expect(repair?.lastUserText).toContain('reason:');
  });

  it('repairs a text answer that did not call the tool', async () => {
    fake.script([
      { text: 'I think it was handled.' },
      { toolInput: { reason: 'ok', handled: true } },
    ]);
    const result = await clientFor(fake).structured(verdictRequest());
    expect(result.value.handled).toBe(true);
    expect(fake.requests()[1]?.lastUserText).toContain('did not call the tool record_verdict');
  });

  it('treats a malformed response body as an invalid answer and repairs it', async () => {
    fake.script([{ raw: { unexpected: true } }, { toolInput: { reason: 'ok', handled: true } }]);
    const llm = clientFor(fake);
    const result = await llm.structured(verdictRequest());
    expect(result.value.handled).toBe(true);
    expect(result.model).toBe('claude-haiku-4-5');
    expect(llm.ledger.totals().calls).toBe(2);
  });

  it('throws LlmOutputError listing the issues when the repair is invalid too', async () => {
    fake.script([{ toolInput: { handled: 'yes' } }, { toolInput: { reason: 7 } }]);
    const error = await clientFor(fake)
      .structured(verdictRequest())
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LlmOutputError);
    const outputError = error as LlmOutputError;
    expect(outputError.retryable).toBe(false);
    expect(outputError.code).toBe('llm_output_invalid');
    expect(outputError.issues.length).toBeGreaterThan(0);
    expect(outputError.issues.length).toBeLessThanOrEqual(5);
    expect(outputError.message).toContain('reason');
    expect(fake.stats().messages).toBe(2);
  });

  it('retries a 429 (SDK retry honouring retry-after) and then succeeds', async () => {
    fake.script([
      { status: 429, retryAfter: 0.01 },
      { toolInput: { reason: 'ok', handled: true } },
    ]);
    const result = await clientFor(fake).structured(verdictRequest());
    expect(result.value.handled).toBe(true);
    expect(fake.requests().map((r) => r.retryCount)).toEqual([0, 1]);
  });

  it('retries a 529 overloaded answer and then succeeds', async () => {
    fake.script([
      { status: 529, retryAfter: 0.01 },
      { toolInput: { reason: 'ok', handled: false } },
    ]);
    const result = await clientFor(fake).structured(verdictRequest());
    expect(result.value.handled).toBe(false);
    expect(fake.stats().errors).toBe(1);
  });

  it('surfaces a persistent 5xx as a retryable LlmApiError after the SDK retries', async () => {
    fake.script([
      { status: 500, retryAfter: 0.01 },
      { status: 500, retryAfter: 0.01 },
    ]);
    const error = await clientFor(fake, { maxRetries: 1 })
      .structured(verdictRequest())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmApiError);
    expect((error as LlmApiError).retryable).toBe(true);
    expect((error as LlmApiError).status).toBe(500);
    expect(fake.stats().requests).toBe(2);
  });

  it('reports a 401 as a non-retryable error naming the setting, never the key', async () => {
    const strict = await startFakeAnthropic({ apiKey: 'sk-ant-the-right-key' });
    try {
      const error = await clientFor(strict)
        .structured(verdictRequest())
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LlmApiError);
      const apiError = error as LlmApiError;
      expect(apiError.retryable).toBe(false);
      expect(apiError.status).toBe(401);
      expect(apiError.message).toContain('ANTHROPIC_API_KEY is wrong');
      expect(apiError.message).not.toContain(TEST_KEY);
      expect(strict.stats().requests).toBe(1);
    } finally {
      await strict.close();
    }
  });

  it('reports a 400 as a non-retryable error without retrying', async () => {
    fake.script([{ status: 400, message: 'max_tokens: too large' }]);
    const error = await clientFor(fake)
      .structured(verdictRequest())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmApiError);
    expect((error as LlmApiError).retryable).toBe(false);
    expect((error as LlmApiError).message).toContain('max_tokens: too large');
    expect(fake.stats().requests).toBe(1);
  });

  it('reads the cached prefix on the second call with the same shared context', async () => {
    fake.script([
      { toolInput: { reason: 'a', handled: true } },
      { toolInput: { reason: 'b', handled: true } },
    ]);
    const llm = clientFor(fake);
    const first = await llm.structured(verdictRequest());
    const second = await llm.structured(
      verdictRequest({
        prompt: { name: 'judge-replay.v1', vars: { transcript: 'other turns', agent_reply: 'x' } },
      }),
    );

    expect(first.usage.cacheReadTokens).toBe(0);
    expect(second.usage.cacheReadTokens).toBe(first.usage.cacheWriteTokens);
    expect(second.usage.cacheWriteTokens).toBe(0);
    expect(second.usage.inputTokens).toBeLessThan(
      first.usage.inputTokens + first.usage.cacheWriteTokens,
    );
    expect(fake.stats().cacheHits).toBe(1);
  });
});
