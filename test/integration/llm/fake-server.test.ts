import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic-server.js';

const HEADERS = {
  'content-type': 'application/json',
  'anthropic-version': '2026-10-21',
  'x-api-key': 'sk-test',
};

function body(prefix: string, rest: string) {
  return {
    model: 'claude-haiku-4-5',
    max_tokens: 100,
    system: [{ type: 'text', text: prefix, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: rest }],
  };
}

async function post(
  fake: FakeAnthropic,
  path: string,
  payload: unknown,
  headers: Record<string, string> = HEADERS,
) {
  const res = await fetch(`${fake.url}${path}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(payload),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

function usageOf(json: Record<string, unknown>): Record<string, number> {
  return json['usage'] as Record<string, number>;
}

describe('fake Anthropic server', () => {
  let fake: FakeAnthropic;
  afterEach(async () => {
    await fake.close();
  });

  it('counts ceil(chars/4) tokens and splits them at the cache breakpoint', async () => {
    fake = await startFakeAnthropic({ respond: () => ({ text: 'abcdefgh' }) });
    const payload = body('p'.repeat(400), 'r'.repeat(40));
    const counted = await post(fake, '/v1/messages/count_tokens', payload);
    const first = await post(fake, '/v1/messages', payload);

    const usage = usageOf(first.json);
    expect(usage['cache_creation_input_tokens']).toBe(Math.ceil('system:'.length / 4 + 100));
    expect((usage['input_tokens'] ?? 0) + (usage['cache_creation_input_tokens'] ?? 0)).toBe(
      counted.json['input_tokens'],
    );
    expect(usage['output_tokens']).toBe(2);
    expect(first.json['stop_reason']).toBe('end_turn');
  });

  it('reads the cache within the TTL and writes it again once expired', async () => {
    let now = 1_000_000;
    fake = await startFakeAnthropic({
      now: () => now,
      respond: () => ({ toolInput: { ok: true } }),
    });
    const call = async (rest: string) =>
      usageOf((await post(fake, '/v1/messages', body('shared prefix', rest))).json);

    const first = await call('one');
    const second = await call('two');
    now += 5 * 60_000 + 1;
    const third = await call('three');

    expect(first['cache_creation_input_tokens']).toBeGreaterThan(0);
    expect(second['cache_read_input_tokens']).toBe(first['cache_creation_input_tokens']);
    expect(second['cache_creation_input_tokens']).toBe(0);
    expect(third['cache_creation_input_tokens']).toBe(first['cache_creation_input_tokens']);
    expect(fake.stats()).toMatchObject({ cacheHits: 1, cacheWrites: 2, messages: 3 });
  });

  it('does not cache a prefix below the minimum, nor across models', async () => {
    fake = await startFakeAnthropic({ minCacheableTokens: 1000 });
    const small = await post(fake, '/v1/messages', body('short', 'x'));
    expect(usageOf(small.json)['cache_creation_input_tokens']).toBe(0);

    const big = 'b'.repeat(8000);
    await post(fake, '/v1/messages', body(big, 'x'));
    const other = await post(fake, '/v1/messages', { ...body(big, 'x'), model: 'claude-opus-4-5' });
    expect(usageOf(other.json)['cache_read_input_tokens']).toBe(0);
  });

  it('requires a key and the anthropic-version header, and rejects a wrong key', async () => {
    fake = await startFakeAnthropic({ apiKey: 'sk-right' });
    const { 'anthropic-version': _version, ...noVersion } = { ...HEADERS, 'x-api-key': 'sk-right' };
    expect((await post(fake, '/v1/messages', body('a', 'b'), noVersion)).status).toBe(400);
    const wrong = await post(fake, '/v1/messages', body('a', 'b'));
    expect(wrong.status).toBe(401);
    expect(wrong.json['error']).toMatchObject({ type: 'authentication_error' });
    const bearer = { ...noVersion, 'anthropic-version': 'x', authorization: 'Bearer sk-right' };
    expect((await post(fake, '/v1/messages', body('a', 'b'), bearer)).status).toBe(200);
  });

  it('rejects a tool_use that is not answered by a tool_result, as the API does', async () => {
    fake = await startFakeAnthropic();
    const res = await post(fake, '/v1/messages', {
      ...body('a', 'b'),
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'x', input: {} }] },
        { role: 'user', content: 'again' },
      ],
    });
    expect(res.status).toBe(400);
    expect(fake.stats().messages).toBe(0);
  });
});
