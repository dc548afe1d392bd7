import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { QUEUE_NAMES, QUEUES, queuePrefix } from '../../../src/queue/queues.js';

describe('queuePrefix', () => {
  it('defaults to agent-trainer', () => {
    expect(queuePrefix()).toBe('agent-trainer');
    expect(queuePrefix({ prefix: 'acme' })).toBe('acme');
  });

  it('wraps the prefix in a hash tag for Redis Cluster', () => {
    expect(queuePrefix({ cluster: true })).toBe('{agent-trainer}');
    expect(queuePrefix({ prefix: 'acme', cluster: true })).toBe('{acme}');
  });

  it('keeps a prefix that already carries a hash tag', () => {
    expect(queuePrefix({ prefix: '{acme}', cluster: true })).toBe('{acme}');
    expect(queuePrefix({ prefix: 'app:{acme}', cluster: true })).toBe('app:{acme}');
  });

  it('rejects empty, spaced or unbalanced prefixes', () => {
    expect(() => queuePrefix({ prefix: '' })).toThrow(ConfigError);
    expect(() => queuePrefix({ prefix: 'a b' })).toThrow(ConfigError);
    expect(() => queuePrefix({ prefix: '{acme', cluster: true })).toThrow(ConfigError);
  });
});

describe('QUEUES', () => {
  it('lists the six queues of the loop', () => {
    expect(QUEUE_NAMES).toEqual(['pull', 'diagnose', 'synthesize', 'apply', 'verify', 'notify']);
    expect(QUEUES.apply).toBe('apply');
  });
});
