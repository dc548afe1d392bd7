import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PULL_MAX_CONVERSATIONS, loadConfig } from '../../src/config.js';

function accountsFile(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'agent-trainer-quota-')), 'accounts.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
}

describe('KLAVIYO_QUOTA_SHARE and PULL_MAX_CONVERSATIONS', () => {
  it('default to the whole quota and a budget that fits between hourly pulls', () => {
    const config = loadConfig({ KLAVIYO_API_KEY: 'pk_read' });
    expect(config.accounts[0]?.quotaShare).toBe(1);
    expect(config.pull.maxConversations).toBe(DEFAULT_PULL_MAX_CONVERSATIONS);
    // 50 minutes of the 60-a-minute quota: room for the listing before the next hourly pull.
    expect(DEFAULT_PULL_MAX_CONVERSATIONS / 60).toBeLessThan(60);
  });

  it('read the variables, and a per-account share overrides the default one', () => {
    const path = accountsFile({
      accounts: [
        { id: 'a', readKeyEnv: 'KEY_A', quotaShare: 0.25 },
        { id: 'b', readKeyEnv: 'KEY_B' },
      ],
    });
    const config = loadConfig({
      ACCOUNTS_FILE: path,
      KEY_A: 'pk_a',
      KEY_B: 'pk_b',
      KLAVIYO_QUOTA_SHARE: '0.5',
      PULL_MAX_CONVERSATIONS: '500',
    });
    expect(config.accounts.map((a) => a.quotaShare)).toEqual([0.25, 0.5]);
    expect(config.pull.maxConversations).toBe(500);
  });

  it.each([
    ['KLAVIYO_QUOTA_SHARE', '0', /KLAVIYO_QUOTA_SHARE: must be above 0/],
    ['KLAVIYO_QUOTA_SHARE', '1.5', /KLAVIYO_QUOTA_SHARE: must be at most 1/],
    ['KLAVIYO_QUOTA_SHARE', 'half', /KLAVIYO_QUOTA_SHARE: must be a number/],
    ['PULL_MAX_CONVERSATIONS', '0', /PULL_MAX_CONVERSATIONS: must be at least 1/],
    ['PULL_MAX_CONVERSATIONS', '12.5', /PULL_MAX_CONVERSATIONS: must be a whole number/],
  ])('refuse %s=%s with a message that says what to set', (name, value, message) => {
    expect(() => loadConfig({ KLAVIYO_API_KEY: 'pk_read', [name]: value })).toThrow(message);
  });

  it('refuse a per-account share out of range, naming the account entry', () => {
    const path = accountsFile({ accounts: [{ id: 'a', readKeyEnv: 'KEY_A', quotaShare: 0 }] });
    expect(() => loadConfig({ ACCOUNTS_FILE: path, KEY_A: 'pk_a' })).toThrow(
      /accounts\.0\.quotaShare: must be above 0/,
    );
  });
});
