import { describe, expect, it } from 'vitest';
import { RequestValidationError } from '../../../src/errors.js';
import { jobIdFrom } from '../../../src/queue/job-id.js';

describe('jobIdFrom', () => {
  it('joins safe parts readably with --', () => {
    expect(jobIdFrom('pull-conversations', 'acct_1', 42)).toBe('pull-conversations--acct_1--42');
  });

  it('turns dates into epoch milliseconds', () => {
    expect(jobIdFrom('pull', new Date('2026-01-01T00:00:00.000Z'))).toBe('pull--1767225600000');
  });

  it('never produces a colon (BullMQ forbids it) and is deterministic', () => {
    const id = jobIdFrom('diagnose', 'acct:1', '2026-11-25T10:00:00.000Z');
    expect(id).not.toContain(':');
    expect(id).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(jobIdFrom('diagnose', 'acct:1', '2026-11-25T10:00:00.000Z')).toBe(id);
  });

  it('keeps distinct inputs distinct even when sanitizing would merge them', () => {
    const ids = new Set([
      jobIdFrom('a:b'),
      jobIdFrom('a/b'),
      jobIdFrom('a_b'),
      jobIdFrom('a--b'),
      jobIdFrom('a', 'b'),
      jobIdFrom('a-', 'b'),
      jobIdFrom('a', '-b'),
    ]);
    expect(ids.size).toBe(7);
  });

  it('hashes long parts to a bounded length', () => {
    const id = jobIdFrom('x'.repeat(500));
    expect(id.length).toBeLessThan(80);
    expect(id).not.toBe(jobIdFrom('x'.repeat(501)));
  });

  it('never returns an integer-looking id (BullMQ rejects those)', () => {
    expect(jobIdFrom(123)).not.toMatch(/^\d+$/);
    expect(jobIdFrom('123')).not.toMatch(/^\d+$/);
  });

  it('refuses empty parts and invalid dates', () => {
    expect(() => jobIdFrom()).toThrow(RequestValidationError);
    expect(() => jobIdFrom('a', '')).toThrow(RequestValidationError);
    expect(() => jobIdFrom(new Date('nope'))).toThrow(RequestValidationError);
  });
});
