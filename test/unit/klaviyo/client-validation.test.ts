import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  createKlaviyoClient,
  keyFingerprint,
  RequestValidationError,
  type KlaviyoCallEvent,
} from '../../../src/klaviyo/index.js';
import { ConfigError } from '../../../src/errors.js';

const API_KEY = 'pk_unit_abcdef0123456789';

/** A client whose transport would fail loudly: any HTTP attempt is recorded via onCall. */
function offlineClient() {
  const calls: KlaviyoCallEvent[] = [];
  const client = createKlaviyoClient({
    apiKey: API_KEY,
    baseUrl: 'http://127.0.0.1:9',
    rateLimits: 'off',
    maxRetries: 0,
    onCall: (e) => calls.push(e),
  });
  return { client, calls };
}

describe('request bodies are validated before sending', () => {
  const cases: [string, (c: ReturnType<typeof offlineClient>['client']) => Promise<unknown>][] = [
    [
      'a skill without instructions',
      (c) => c.skills.create({ display_name: 'x', description: 'd', status: 'live' } as never),
    ],
    [
      'a skill with a status the client may not set',
      (c) => c.skills.update('sk_1', { status: 'disabled' as never }),
    ],
    [
      'an unknown attribute (typo)',
      (c) => c.skills.update('sk_1', { instruction: 'typo' } as never),
    ],
    ['an empty tool id', (c) => c.skills.update('sk_1', { status: 'live' }, { toolIds: [''] })],
    [
      'a webpage source without a URL',
      (c) => c.knowledge.create({ source_type: 'webpage', url: 'not a url' }),
    ],
    [
      'a conversation update other than closing',
      (c) => c.conversations.update('c1', { status: 'open' } as never),
    ],
    [
      'a turn whose last message is from the agent',
      (c) => c.responses.create({ mode: 'preview', messages: [{ role: 'agent', content: 'hi' }] }),
    ],
    [
      'a report with both a key and start/end',
      (c) =>
        c.reports.values({
          statistics: ['volume'],
          timeframe: { key: 'today', start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z' },
        }),
    ],
    [
      'a report ending before it starts',
      (c) =>
        c.reports.skillValues({
          statistics: ['volume'],
          timeframe: { start: '2026-01-02T00:00:00Z', end: '2026-01-01T00:00:00Z' },
        }),
    ],
    [
      'a values report with two groupings',
      (c) =>
        c.reports.values({
          statistics: ['volume'],
          timeframe: { key: 'today' },
          groupings: ['channel', 'status'],
        }),
    ],
    ['a blank secret name', (c) => c.secrets.create({ name: '   ', value: 'v' })],
    [
      'a tool timeout above 10 s',
      (c) =>
        c.tools.create({
          name: 't',
          public_description: 'd',
          details: {
            type: 'custom',
            request_template: { url_template: 'https://x', http_method: 'GET' },
            timeout_seconds: 11,
          },
        }),
    ],
    [
      'an empty file',
      (c) => c.knowledge.uploadFile({ filename: 'a.txt', content: new Uint8Array() }),
    ],
    ['an empty id', (c) => c.skills.get(' ')],
    ['an empty relationship id', (c) => c.tools.listSkillIds('')],
  ];

  it.each(cases)('rejects %s without an HTTP call', async (_name, call) => {
    const { client, calls } = offlineClient();
    const error = await call(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).code).toBe('request_invalid');
    expect(calls).toEqual([]);
  });

  it('rejects page sizes outside 1…100 before any call', () => {
    const { client, calls } = offlineClient();
    expect(() => client.conversations.list({ pageSize: 101 })).toThrow(RequestValidationError);
    expect(() => client.conversations.messages('c1', { pageSize: 0 })).toThrow(
      RequestValidationError,
    );
    expect(() => client.tools.list({ pageSize: 2.5 })).toThrow(RequestValidationError);
    expect(calls).toEqual([]);
  });

  it('names the field in the message', async () => {
    const { client } = offlineClient();
    const error = await client.skills
      .create({ display_name: 'x', description: 'd', instructions: 'i', status: 'on' } as never)
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^Invalid agent-skill attributes: status: /);
  });
});

describe('key fingerprint', () => {
  it('is short, stable, keeps the key kind and reveals nothing else', () => {
    const fingerprint = keyFingerprint(API_KEY);
    expect(fingerprint).toMatch(/^pk_[0-9a-f]{8}$/);
    expect(keyFingerprint(API_KEY)).toBe(fingerprint);
    expect(keyFingerprint(`${API_KEY}x`)).not.toBe(fingerprint);
    expect(keyFingerprint('no-prefix-key')).toMatch(/^key_[0-9a-f]{8}$/);
    expect(createKlaviyoClient({ apiKey: API_KEY }).keyFingerprint).toBe(fingerprint);
  });

  it('never appears with the key in errors thrown by the client', async () => {
    const { client } = offlineClient();
    const error = await client.secrets.create({ name: 'x', value: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    const dumped = `${JSON.stringify(error)} ${inspect(error, { depth: 10 })}`;
    expect(dumped).not.toContain(API_KEY);
  });
});

describe('client options', () => {
  it('fail fast with a ConfigError naming the option', () => {
    expect(() => createKlaviyoClient({ apiKey: ' ' })).toThrow(ConfigError);
    expect(() => createKlaviyoClient({ apiKey: API_KEY, baseUrl: 'ftp://x' })).toThrow(/baseUrl/);
    expect(() => createKlaviyoClient({ apiKey: API_KEY, rateLimits: { scale: 0 } })).toThrow(
      /rateLimits.scale/,
    );
    expect(() => createKlaviyoClient({ apiKey: API_KEY, timeoutMs: -1 })).toThrow(/timeoutMs/);
  });
});
