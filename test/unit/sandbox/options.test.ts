import { describe, expect, it } from 'vitest';
import { sandboxOptions } from '../../../cli/commands/sandbox.js';
import { ConfigError } from '../../../src/errors.js';
import { parseFaults, parseRateLimits } from '../../../src/sandbox/options.js';

describe('parseRateLimits', () => {
  it('reads spec, off and scale=N', () => {
    expect(parseRateLimits('spec')).toBe('spec');
    expect(parseRateLimits('off')).toBe('off');
    expect(parseRateLimits('scale=20')).toEqual({ scale: 20 });
    expect(parseRateLimits('scale=0.5')).toEqual({ scale: 0.5 });
  });

  it.each(['fast', 'scale=0', 'scale=-2', 'scale=', 'scale=x'])(
    'rejects %s with a ConfigError',
    (text) => {
      expect(() => parseRateLimits(text)).toThrow(ConfigError);
      expect(() => parseRateLimits(text)).toThrow(/'spec', 'off' or 'scale=N'/);
    },
  );
});

describe('parseFaults', () => {
  it('reads shares, a fixed latency and a latency range', () => {
    expect(parseFaults('5xx=0.1,latency=20-80,drop=0.02')).toEqual({
      errorRate: 0.1,
      latencyMs: [20, 80],
      dropRate: 0.02,
    });
    expect(parseFaults('latency=50')).toEqual({ latencyMs: 50 });
    expect(parseFaults('')).toEqual({});
    expect(parseFaults('none')).toEqual({});
  });

  it.each([
    ['5xx=2', /5xx must be a share from 0 to 1/],
    ['drop=', /drop must be a share/],
    ['latency=80-20', /latency must be/],
    ['slow=1', /unknown fault 'slow'/],
  ])('rejects %s', (text, message) => {
    expect(() => parseFaults(text)).toThrow(ConfigError);
    expect(() => parseFaults(text)).toThrow(message);
  });
});

describe('sandbox command options', () => {
  const defaults = {
    port: '4010',
    host: '127.0.0.1',
    scenario: 'demo',
    seed: '42',
    rateLimits: 'spec',
    indexingDelay: '2000',
  };

  it('turns the flags into sandbox options', () => {
    expect(
      sandboxOptions({ ...defaults, rateLimits: 'scale=10', faults: 'drop=0.5' }),
    ).toMatchObject({
      port: 4010,
      seed: 42,
      scenario: 'demo',
      rateLimits: { scale: 10 },
      faults: { dropRate: 0.5 },
      indexingDelayMs: 2000,
    });
    expect(sandboxOptions(defaults)).not.toHaveProperty('conversations');
    expect(sandboxOptions({ ...defaults, conversations: '20000' })).toMatchObject({
      conversations: 20_000,
    });
  });

  it.each([
    [{ port: '80000' }, /^--port must be an integer from 0 to 65535, got '80000'$/],
    [{ seed: 'abc' }, /^--seed must be/],
    [{ rateLimits: 'turbo' }, /^--rate-limits: /],
    [{ faults: '5xx=lots' }, /^--faults: 5xx must be/],
    [{ indexingDelay: '-1' }, /^--indexing-delay must be/],
    [{ conversations: '0' }, /^--conversations must be an integer from 1 to 100000, got '0'$/],
    [{ conversations: 'many' }, /^--conversations must be an integer/],
    [{ scenario: './store.json', conversations: '500' }, /^--conversations sizes the demo store/],
  ])('names the option in the error for %o', (override, message) => {
    expect(() => sandboxOptions({ ...defaults, ...override })).toThrow(message);
  });
});
