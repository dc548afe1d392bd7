import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SnapshotStore } from '../../../src/store/snapshots.js';
import { deleteKeys, testRedis, uniquePrefix } from '../queue/redis-helpers.js';
import type { ConversationSnapshot } from '../../../src/domain/snapshot.js';

function snapshot(id: string, updatedAt: string, text = 'hello'): ConversationSnapshot {
  return {
    conversation: {
      type: 'customer-agent-conversation',
      id,
      attributes: {
        status: 'closed',
        created_at: '2026-11-20T10:00:00.000Z',
        updated_at: updatedAt,
      },
      links: { self: `https://example.test/${id}` },
    },
    messages: [
      {
        type: 'customer-agent-message',
        id: `${id}-m1`,
        attributes: { role: 'user', content: text, created_at: updatedAt, updated_at: updatedAt },
      },
    ],
  } as unknown as ConversationSnapshot;
}

describe('SnapshotStore', () => {
  let redis: Redis;
  let prefix: string;
  let store: SnapshotStore;

  beforeEach(() => {
    redis = testRedis();
    prefix = uniquePrefix('snap');
    store = new SnapshotStore(redis, {
      prefix,
      retentionDays: 2,
      now: () => new Date('2026-11-21T00:00:00Z'),
    });
  });

  afterEach(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it('says new, unchanged and changed by the conversation updated_at', async () => {
    expect(await store.putIfChanged('a1', snapshot('c1', '2026-11-20T10:05:00.000Z'))).toBe('new');
    expect(await store.putIfChanged('a1', snapshot('c1', '2026-11-20T10:05:00.000Z', 'x'))).toBe(
      'unchanged',
    );
    expect(
      await store.putIfChanged('a1', snapshot('c1', '2026-11-20T11:00:00.000Z', 'later')),
    ).toBe('changed');
    // An older version arriving late (a slow pull) never overwrites a newer one.
    expect(
      await store.putIfChanged('a1', snapshot('c1', '2026-11-20T10:05:00.000Z', 'stale')),
    ).toBe('unchanged');
    const stored = await store.get('a1', 'c1');
    expect(stored).toMatchObject({ accountId: 'a1', storedAt: '2026-11-21T00:00:00.000Z' });
    expect(JSON.stringify(stored?.messages)).toContain('later');
  });

  it('keeps accounts apart', async () => {
    await store.putIfChanged('a1', snapshot('c1', '2026-11-20T10:05:00.000Z'));
    expect(await store.putIfChanged('a2', snapshot('c1', '2026-11-20T10:05:00.000Z'))).toBe('new');
    expect(await store.get('a3', 'c1')).toBeNull();
  });

  it('sets the retention as a TTL', async () => {
    await store.putIfChanged('a1', snapshot('c1', '2026-11-20T10:05:00.000Z'));
    const keys = await redis.keys(`${prefix}:*snap*`);
    expect(keys).toHaveLength(1);
    const ttl = await redis.pttl(keys[0] ?? '');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(store.ttlMs);
    expect(store.ttlMs).toBe(2 * 24 * 60 * 60 * 1000);
  });

  it('tells which conversations are known, with their stored updated_at', async () => {
    await store.putIfChanged('a1', snapshot('c1', '2026-11-20T10:05:00.000Z'));
    await store.putIfChanged('a1', snapshot('c2', '2026-11-20T12:00:00.000Z'));
    const known = await store.knownUpdatedAt('a1', ['c1', 'c2', 'c3']);
    expect(Object.fromEntries(known)).toEqual({
      c1: '2026-11-20T10:05:00.000Z',
      c2: '2026-11-20T12:00:00.000Z',
    });
    expect((await store.knownUpdatedAt('a1', [])).size).toBe(0);
  });

  it('tells which stored versions were never handed to the diagnoser', async () => {
    const v1 = { id: 'c1', updatedAt: '2026-11-20T10:05:00.000Z' };
    const v2 = { id: 'c2', updatedAt: '2026-11-20T12:00:00.000Z' };
    await store.putIfChanged('a1', snapshot(v1.id, v1.updatedAt));
    await store.putIfChanged('a1', snapshot(v2.id, v2.updatedAt));
    expect(await store.unoffered('a1', [v1, v2])).toEqual([v1, v2]);
    await store.markOffered('a1', [v1]);
    expect(await store.unoffered('a1', [v1, v2])).toEqual([v2]);
    // A newer version of an offered conversation must be offered again.
    const v1b = { id: 'c1', updatedAt: '2026-11-20T13:00:00.000Z' };
    await store.putIfChanged('a1', snapshot(v1b.id, v1b.updatedAt));
    expect(await store.unoffered('a1', [v1b])).toEqual([v1b]);
    // Marking a version that is no longer the stored one changes nothing.
    await store.markOffered('a1', [v1]);
    expect(await store.unoffered('a1', [v1b])).toEqual([v1b]);
  });

  it('tells which stored versions a pull run fetched, for the version it stored only', async () => {
    const v1 = { id: 'c1', updatedAt: '2026-11-20T10:05:00.000Z' };
    const v2 = { id: 'c2', updatedAt: '2026-11-20T12:00:00.000Z' };
    await store.putIfChanged('a1', snapshot(v1.id, v1.updatedAt), 'run-1');
    await store.putIfChanged('a1', snapshot(v2.id, v2.updatedAt), 'run-2');
    expect(await store.fetchedByRun('a1', 'run-1', [v1, v2])).toEqual([v1]);
    // Stored again unchanged by another run: still the first run's fetch.
    await store.putIfChanged('a1', snapshot(v1.id, v1.updatedAt), 'run-2');
    expect(await store.fetchedByRun('a1', 'run-1', [v1])).toEqual([v1]);
    // A newer version, stored by no run or by another, is not the first run's.
    const v1b = { id: 'c1', updatedAt: '2026-11-20T13:00:00.000Z' };
    await store.putIfChanged('a1', snapshot(v1b.id, v1b.updatedAt));
    expect(await store.fetchedByRun('a1', 'run-1', [v1, v1b])).toEqual([]);
    expect(await store.fetchedByRun('a1', 'run-1', [])).toEqual([]);
  });

  it('rejects a snapshot without the fields it keys on', async () => {
    const bad = { conversation: { id: 'c1' }, messages: [] } as unknown as ConversationSnapshot;
    await expect(store.putIfChanged('a1', bad)).rejects.toThrow();
  });
});
