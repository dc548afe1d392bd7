import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog, type AuditEntry } from '../../../src/store/audit.js';
import { deleteKeys, testRedis, uniquePrefix } from '../queue/redis-helpers.js';

function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    type: 'applied',
    proposalId: 'p_1',
    accountId: 'acct_1',
    actor: 'system',
    at: '2026-11-21T09:00:00.000Z',
    before: { instructions: 'old' },
    after: { instructions: 'new' },
    ...overrides,
  };
}

describe('AuditLog', () => {
  let redis: Redis;
  let prefix: string;
  let audit: AuditLog;

  beforeEach(() => {
    redis = testRedis();
    prefix = uniquePrefix('audit');
    audit = new AuditLog(redis, { prefix });
  });

  afterEach(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it('appendOnce twice (or concurrently) writes one entry', async () => {
    const first = await audit.appendOnce('applied:p_1', entry());
    const second = await audit.appendOnce('applied:p_1', entry({ detail: 'retry' }));
    const racing = await Promise.all(
      Array.from({ length: 5 }, () => audit.appendOnce('applied:p_1', entry())),
    );
    expect(first.appended).toBe(true);
    expect(second).toEqual({ id: first.id, appended: false });
    expect(racing.every((r) => !r.appended && r.id === first.id)).toBe(true);
    const entries = await audit.list();
    expect(entries).toEqual([{ ...entry(), id: first.id }]);
  });

  it('appends in order and filters by proposal, account and time', async () => {
    await audit.append(entry({ type: 'approved', actor: 'slack:U1' }));
    await audit.append(entry({ proposalId: 'p_2', accountId: 'acct_2' }));
    await audit.appendOnce('applied:p_1', entry());
    expect((await audit.list({ proposalId: 'p_1' })).map((e) => e.type)).toEqual([
      'approved',
      'applied',
    ]);
    expect((await audit.list({ accountId: 'acct_2' })).map((e) => e.proposalId)).toEqual(['p_2']);
    expect(await audit.list({ since: '2999-01-01T00:00:00.000Z' })).toEqual([]);
    expect(await audit.list({ limit: 2 })).toHaveLength(2);
  });

  it('rejects malformed entries before writing', async () => {
    await expect(audit.append(entry({ actor: '' }))).rejects.toThrow();
    expect(await audit.list()).toEqual([]);
  });
});
