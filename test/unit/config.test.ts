import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REVISION, loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

function accountsFile(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'agent-trainer-config-'));
  const path = join(dir, 'accounts.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('loadConfig', () => {
  it('describes one default account from the KLAVIYO_* variables', () => {
    const config = loadConfig({ KLAVIYO_API_KEY: 'pk_read' });
    expect(config.klaviyo.revision).toBe(DEFAULT_REVISION);
    expect(config.accounts).toHaveLength(1);
    const [account] = config.accounts;
    expect(account?.id).toBe('default');
    expect(account?.baseUrl).toBe('https://a.klaviyo.com');
    expect(account?.readKey).toBe('pk_read');
    expect(account?.writeKey).toBe('pk_read');
    expect(account?.autoApprove.enabled).toBe(false);
    expect(config.llm.apiKey).toBeUndefined();
  });

  it('keeps a separate write key when one is given', () => {
    const config = loadConfig({ KLAVIYO_API_KEY: 'pk_read', KLAVIYO_WRITE_API_KEY: 'pk_write' });
    expect(config.accounts[0]?.writeKey).toBe('pk_write');
  });

  it('parses numbers and booleans, treating blank values as unset', () => {
    const config = loadConfig({
      SNAPSHOT_RETENTION_DAYS: '7',
      LLM_BATCH: 'true',
      LLM_BUDGET_USD: '',
    });
    expect(config.pull.retentionDays).toBe(7);
    expect(config.llm.batch).toBe(true);
    expect(config.accounts[0]?.llmBudgetUsd).toBe(5);
  });

  it('gives the HTTP server timeouts and a sign-in throttle by default, and takes others', () => {
    expect(loadConfig({}).server).toEqual({
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      keepAliveTimeoutMs: 72_000,
      signInAttempts: 10,
      signInWindowSeconds: 900,
      trustProxyHops: 0,
    });
    const set = loadConfig({
      SERVER_REQUEST_TIMEOUT_SECONDS: '60',
      SERVER_HEADERS_TIMEOUT_SECONDS: '60',
      SERVER_SIGNIN_ATTEMPTS: '5',
      SERVER_SIGNIN_WINDOW_MINUTES: '1',
      SERVER_TRUST_PROXY: '2',
    }).server;
    expect(set).toMatchObject({
      requestTimeoutMs: 60_000,
      headersTimeoutMs: 60_000,
      signInAttempts: 5,
      signInWindowSeconds: 60,
      trustProxyHops: 2,
    });
  });

  it.each([
    [
      { SERVER_HEADERS_TIMEOUT_SECONDS: '31' },
      /SERVER_HEADERS_TIMEOUT_SECONDS \(31\) must not exceed/,
    ],
    [{ SERVER_SIGNIN_ATTEMPTS: '0' }, /SERVER_SIGNIN_ATTEMPTS/],
    [{ SERVER_KEEP_ALIVE_SECONDS: 'long' }, /SERVER_KEEP_ALIVE_SECONDS/],
  ])('refuses bad server limits, naming the variable (%o)', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('hash-tags the queue prefix for Redis Cluster', () => {
    expect(loadConfig({ REDIS_CLUSTER: 'true' }).redis.prefix).toBe('{agent-trainer}');
    expect(loadConfig({}).redis.prefix).toBe('agent-trainer');
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ REDIS_URL: 'not a url' })).toThrow(ConfigError);
    expect(() => loadConfig({ KLAVIYO_REVISION: 'yesterday' })).toThrow(/KLAVIYO_REVISION/);
    expect(() => loadConfig({ SNAPSHOT_RETENTION_DAYS: 'many' })).toThrow(
      /SNAPSHOT_RETENTION_DAYS/,
    );
    expect(() => loadConfig({ LLM_BATCH: 'maybe' })).toThrow(/LLM_BATCH: must be true or false/);
  });

  it('keeps decided proposals 180 days unless PROPOSAL_RETENTION_DAYS says otherwise', () => {
    expect(loadConfig({}).proposals.retentionDays).toBe(180);
    expect(loadConfig({ PROPOSAL_RETENTION_DAYS: '30' }).proposals.retentionDays).toBe(30);
    for (const bad of ['0', '-5', '1.5', 'forever', '4000']) {
      expect(() => loadConfig({ PROPOSAL_RETENTION_DAYS: bad }), bad).toThrow(
        /PROPOSAL_RETENTION_DAYS/,
      );
    }
  });

  it('never echoes a key in its error', () => {
    try {
      loadConfig({ KLAVIYO_API_KEY: 'pk_secret_value', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).toMatch(/LOG_LEVEL/);
      expect(String(error)).not.toContain('pk_secret_value');
    }
  });

  describe('accounts file', () => {
    it('reads several accounts whose keys come from the environment', () => {
      const path = accountsFile({
        accounts: [
          { id: 'store-a', readKeyEnv: 'KEY_A', approvers: ['slack:U1'] },
          {
            id: 'store-b',
            readKeyEnv: 'KEY_B',
            writeKeyEnv: 'KEY_B_WRITE',
            schedules: { synthesize: { pattern: '0 7 * * 1', tz: 'Europe/Paris' } },
            allowedKinds: ['knowledge.create'],
          },
        ],
      });
      const config = loadConfig({
        ACCOUNTS_FILE: path,
        KEY_A: 'pk_a',
        KEY_B: 'pk_b',
        KEY_B_WRITE: 'pk_b_w',
      });
      expect(config.accounts.map((a) => a.id)).toEqual(['store-a', 'store-b']);
      expect(config.accounts[0]?.writeKey).toBe('pk_a');
      expect(config.accounts[1]?.writeKey).toBe('pk_b_w');
      expect(config.accounts[1]?.schedules.synthesize).toEqual({
        pattern: '0 7 * * 1',
        tz: 'Europe/Paris',
      });
      expect(config.accounts[1]?.schedules['pull-conversations'].pattern).toBe('15 * * * *');
      expect(config.accounts[1]?.allowedKinds).toEqual(['knowledge.create']);
    });

    it('says which variable is missing for which account', () => {
      const path = accountsFile({ accounts: [{ id: 'store-a', readKeyEnv: 'KEY_A' }] });
      expect(() => loadConfig({ ACCOUNTS_FILE: path })).toThrow(
        'Account "store-a" reads its key from KEY_A, which is not set',
      );
    });

    it('points at the bad field', () => {
      const path = accountsFile({ accounts: [{ id: 'Store A', readKeyEnv: 'KEY_A', colour: 1 }] });
      expect(() => loadConfig({ ACCOUNTS_FILE: path, KEY_A: 'x' })).toThrow(/accounts\.0\.id/);
      expect(() => loadConfig({ ACCOUNTS_FILE: path, KEY_A: 'x' })).toThrow(/colour/);
    });

    it('refuses a file that is not JSON and a duplicated id', () => {
      expect(() => loadConfig({ ACCOUNTS_FILE: accountsFile('{ nope') })).toThrow(
        /could not be read as JSON/,
      );
      const dup = accountsFile({
        accounts: [
          { id: 'a', readKeyEnv: 'K' },
          { id: 'a', readKeyEnv: 'K' },
        ],
      });
      expect(() => loadConfig({ ACCOUNTS_FILE: dup, K: 'x' })).toThrow(/used twice/);
    });
  });
});
