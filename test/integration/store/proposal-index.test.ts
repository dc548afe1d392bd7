import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProposalStatus } from '../../../src/domain/proposal.js';
import { AuditLog } from '../../../src/store/audit.js';
import { purgeAccount } from '../../../src/store/purge.js';
import { ProposalStore } from '../../../src/store/proposals.js';
import { SlackMessageStore } from '../../../src/store/slack-messages.js';
import { DAY_MS } from '../../../src/time.js';
import { deleteKeys, testRedis, uniquePrefix } from '../queue/redis-helpers.js';
import { makeProposal } from './fixtures.js';

/**
 * The proposal indexes: listings are pages of sorted sets kept by the create and transition
 * scripts, decided proposals are retired after the retention period with their audit kept, and
 * proposals stored by the previous layout (plain sets) are indexed once at start-up.
 */

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

describe('proposal indexes', () => {
  let redis: Redis;
  let prefix: string;
  let clock: number;
  let store: ProposalStore;
  let audit: AuditLog;

  beforeEach(() => {
    redis = testRedis();
    prefix = uniquePrefix('proposal-index');
    clock = T0;
    store = new ProposalStore(redis, { prefix, now: () => new Date(clock), retentionDays: 180 });
    audit = new AuditLog(redis, { prefix });
  });

  afterEach(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  async function seed(n: number, accountId = 'acct_1', first = 0): Promise<string[]> {
    const ids: string[] = [];
    for (let i = first; i < first + n; i += 1) {
      const id = `p_${accountId}_${String(i).padStart(4, '0')}`;
      await store.create(makeProposal({ id, accountId, createdAt: at(i), updatedAt: at(i) }));
      ids.push(id);
    }
    return ids;
  }

  it('pages a listing newest first, with the total, per account and status', async () => {
    const ids = await seed(7);
    await seed(3, 'acct_2', 100);
    await store.transition(ids[2] ?? '', { from: 'pending', to: 'rejected', actor: 'cli:ops' });
    const newest = [...ids].reverse();

    const first = await store.page({ accountId: 'acct_1', limit: 3 });
    expect(first.total).toBe(7);
    expect(first.proposals.map((p) => p.id)).toEqual(newest.slice(0, 3));
    const third = await store.page({ accountId: 'acct_1', offset: 6, limit: 3 });
    expect(third.proposals.map((p) => p.id)).toEqual(newest.slice(6));
    expect((await store.page({ offset: 0, limit: 2 })).total).toBe(10);

    const pending = await store.page({ accountId: 'acct_1', status: 'pending', limit: 10 });
    expect(pending.total).toBe(6);
    expect(pending.proposals.map((p) => p.id)).not.toContain(ids[2]);
    expect((await store.page({ status: 'rejected' })).proposals.map((p) => p.id)).toEqual([ids[2]]);
    expect(await store.countByStatus()).toMatchObject({ pending: 9, rejected: 1 });
    // list() merges the statuses' indexes and stops at the limit.
    const merged = await store.list({ accountId: 'acct_1', status: ['pending', 'rejected'] });
    expect(merged.map((p) => p.id)).toEqual(newest);
    expect(
      (await store.list({ accountId: 'acct_1', createdBefore: new Date(at(3)) })).map((p) => p.id),
    ).toEqual([ids[2], ids[1], ids[0]]);
  });

  it('keeps the indexes exact under racing transitions', async () => {
    const ids = await seed(20);
    const targets: ProposalStatus[] = ['approved', 'rejected', 'expired'];
    // Every proposal gets three racing moves; exactly one wins each.
    await Promise.allSettled(
      ids.flatMap((id) =>
        targets.map((to) => store.transition(id, { from: 'pending', to, actor: 'web:x' })),
      ),
    );
    const stored = await store.list({ limit: 100 });
    const byStatus = new Map<ProposalStatus, string[]>();
    for (const p of stored) byStatus.set(p.status, [...(byStatus.get(p.status) ?? []), p.id]);
    for (const status of [...targets, 'pending' as const]) {
      const listed = await store.page({ accountId: 'acct_1', status, limit: 100 });
      expect(listed.proposals.map((p) => p.id).sort(), status).toEqual(
        (byStatus.get(status) ?? []).sort(),
      );
      expect((await store.page({ status, limit: 100 })).total).toBe(listed.total);
    }
  });

  it('retires decided proposals after the retention period and keeps their audit', async () => {
    const [rejected, applied, pending, reverted] = await seed(4);
    await store.transition(rejected ?? '', { from: 'pending', to: 'rejected', actor: 'web:a' });
    for (const to of ['approved', 'applying', 'applied'] as const) {
      await store.transition(applied ?? '', {
        from: ['pending', 'approved', 'applying'],
        to,
        actor: 'system',
      });
      await store.transition(reverted ?? '', {
        from: ['pending', 'approved', 'applying'],
        to,
        actor: 'system',
      });
    }
    clock += 179 * DAY_MS;
    expect(await store.retireDecided()).toEqual([]);
    // Reverted on day 179: its clock restarts; the others' decisions are now 181 days old.
    await store.transition(reverted ?? '', { from: 'applied', to: 'reverted', actor: 'cli:ops' });
    clock += 2 * DAY_MS;
    const slack = new SlackMessageStore(redis, { prefix });
    await slack.setOnce(applied ?? '', { channel: 'C1', ts: '1.0' });
    expect((await store.retireDecided()).sort()).toEqual([applied, rejected].sort());
    expect(await slack.get(applied ?? '')).toBeNull();

    expect(await store.get(rejected ?? '')).toBeNull();
    expect(await store.get(applied ?? '')).toBeNull();
    expect((await store.get(pending ?? ''))?.status).toBe('pending');
    expect((await store.get(reverted ?? ''))?.status).toBe('reverted');
    expect((await store.page({ limit: 10 })).proposals.map((p) => p.id).sort()).toEqual(
      [pending, reverted].sort(),
    );
    expect(await store.countByStatus()).toMatchObject({ rejected: 0, applied: 0, pending: 1 });
    const kept = await audit.list({ proposalId: applied ?? '' });
    expect(kept.map((e) => e.type)).toEqual(['approved', 'applied']);
    expect(await audit.list({ proposalId: rejected ?? '' })).toHaveLength(1);
    expect(await store.retireDecided()).toEqual([]);
  });

  it('indexes proposals stored by the previous layout once, at start-up', async () => {
    const ids = await seed(5);
    await store.transition(ids[0] ?? '', { from: 'pending', to: 'rejected', actor: 'web:a' });
    // Rewind to the previous layout: plain sets per status and account, no sorted indexes.
    const control = `${prefix}:{control}:proposals`;
    const indexes = await redis.keys(`${control}:by-*`);
    await redis.del(...indexes, `${control}:decided`, `${control}:index-version`);
    await redis.sadd(`${control}:status:pending`, ...ids.slice(1));
    await redis.sadd(`${control}:status:rejected`, ids[0] ?? '');
    await redis.sadd(`${control}:account:acct_1`, ...ids);
    expect((await store.page({ status: 'pending' })).total).toBe(0);

    const [a, b] = await Promise.all([store.ensureIndexes(), store.ensureIndexes()]);
    expect(a.rebuilt + b.rebuilt).toBeGreaterThanOrEqual(5);
    expect(await store.ensureIndexes()).toEqual({ rebuilt: 0 });
    expect((await store.page({ accountId: 'acct_1', status: 'pending' })).total).toBe(4);
    expect((await store.page({ status: 'rejected' })).proposals.map((p) => p.id)).toEqual([ids[0]]);
    expect(await redis.exists(`${control}:status:pending`, `${control}:account:acct_1`)).toBe(0);
    clock += 200 * DAY_MS;
    expect(await store.retireDecided()).toEqual([ids[0]]);
  });

  it('forgets an account from every index when it is purged', async () => {
    await seed(3);
    const [other] = await seed(1, 'acct_2', 10);
    expect(await purgeAccount(redis, 'acct_1', { prefix })).toMatchObject({ proposals: 3 });
    expect((await store.page({ limit: 10 })).proposals.map((p) => p.id)).toEqual([other]);
    expect(await store.countByStatus()).toMatchObject({ pending: 1 });
    expect(await redis.keys(`${prefix}:{control}:proposals:by-account*acct_1`)).toEqual([]);
  });
});
