import { describe, expect, it } from 'vitest';
import { DEFAULT_REVISION, loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

describe('loadConfig', () => {
  it('applies defaults and lets one key serve reads and writes', () => {
    const config = loadConfig({ KLAVIYO_API_KEY: 'pk_read' });
    expect(config.klaviyo.revision).toBe(DEFAULT_REVISION);
    expect(config.klaviyo.baseUrl).toBe('https://a.klaviyo.com');
    expect(config.klaviyo.readKey).toBe('pk_read');
    expect(config.klaviyo.writeKey).toBe('pk_read');
  });

  it('keeps a separate write key when one is given', () => {
    const config = loadConfig({ KLAVIYO_API_KEY: 'pk_read', KLAVIYO_WRITE_API_KEY: 'pk_write' });
    expect(config.klaviyo.writeKey).toBe('pk_write');
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ REDIS_URL: 'not a url' })).toThrow(ConfigError);
    expect(() => loadConfig({ KLAVIYO_REVISION: 'yesterday' })).toThrow(/KLAVIYO_REVISION/);
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
});
