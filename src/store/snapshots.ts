import { z } from 'zod';
import { RequestValidationError } from '../errors.js';
import type { RedisConnection } from '../redis.js';
import { accountKey, LuaScript, storePrefix, toMillis, type StoreOptions } from './keys.js';
import type { ConversationSnapshot } from '../domain/snapshot.js';
import { DAY_MS } from '../time.js';

/**
 * Conversation snapshots (a conversation with its messages), kept for `retentionDays` after they
 * were last seen. Keyed by the conversation's `updated_at`, so a pull spends message fetches only
 * on new or changed conversations and the diagnoser skips unchanged ones.
 */

export type SnapshotChange = 'new' | 'changed' | 'unchanged';

/** One version of a conversation: its id and `updated_at`. */
export interface SnapshotVersion {
  id: string;
  updatedAt: string;
}

export interface StoredSnapshot extends ConversationSnapshot {
  accountId: string;
  storedAt: string;
}

export interface SnapshotStoreOptions extends StoreOptions {
  /** @defaultValue 30 */
  retentionDays?: number;
}

// The fields the store relies on; the rest of the snapshot is stored as given.
const SnapshotShape = z.looseObject({
  conversation: z.looseObject({
    id: z.string().min(1),
    attributes: z.looseObject({ created_at: z.string(), updated_at: z.string() }),
  }),
  messages: z.array(z.unknown()),
});

// An equal or older `updated_at` never overwrites (a slow pull finishing after a newer one), but
// refreshes the TTL: the conversation is still there. The pull run that stored the version is
// written with it, so a retry of that run can tell what its earlier attempts fetched.
const PUT_IF_CHANGED = new LuaScript(`
local current = redis.call('HGET', KEYS[1], 'updatedMs')
if current and tonumber(current) >= tonumber(ARGV[1]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  return 'unchanged'
end
redis.call('HSET', KEYS[1], 'updatedMs', ARGV[1], 'updatedAt', ARGV[2], 'json', ARGV[3])
if ARGV[5] == '' then
  redis.call('HDEL', KEYS[1], 'fetchedBy')
else
  redis.call('HSET', KEYS[1], 'fetchedBy', ARGV[5])
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
if current then return 'changed' end
return 'new'
`);

// Only the version still stored is marked; an expired snapshot is not brought back as a stub.
const MARK_OFFERED = new LuaScript(`
if redis.call('HGET', KEYS[1], 'updatedAt') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'offeredAt', ARGV[1])
return 1
`);

export class SnapshotStore {
  private readonly prefix: string;
  private readonly now: () => Date;
  /** Retention in milliseconds. */
  readonly ttlMs: number;

  constructor(
    private readonly redis: RedisConnection,
    options: SnapshotStoreOptions = {},
  ) {
    this.prefix = storePrefix(options);
    this.now = options.now ?? (() => new Date());
    const days = options.retentionDays ?? 30;
    if (!(days > 0)) throw new RequestValidationError('retentionDays must be positive');
    this.ttlMs = Math.round(days * DAY_MS);
  }

  /**
   * Stores the snapshot unless the stored one is as new; says which case it was. `fetchedBy`: the
   * pull run that fetched it (see `fetchedByRun`).
   */
  async putIfChanged(
    accountId: string,
    snapshot: ConversationSnapshot,
    fetchedBy?: string,
  ): Promise<SnapshotChange> {
    const shape = SnapshotShape.parse(snapshot);
    const updatedAt = shape.conversation.attributes.updated_at;
    const record: StoredSnapshot = {
      ...snapshot,
      accountId,
      storedAt: this.now().toISOString(),
    };
    const result = await PUT_IF_CHANGED.run(
      this.redis,
      [this.key(accountId, shape.conversation.id)],
      [
        toMillis(updatedAt, 'updated_at'),
        updatedAt,
        JSON.stringify(record),
        this.ttlMs,
        fetchedBy ?? '',
      ],
    );
    if (result === 'new' || result === 'changed' || result === 'unchanged') return result;
    throw new Error(`unexpected reply from the snapshot script: ${String(result)}`);
  }

  async get(accountId: string, conversationId: string): Promise<StoredSnapshot | null> {
    const json = await this.redis.hget(this.key(accountId, conversationId), 'json');
    if (json === null) return null;
    const record: unknown = JSON.parse(json);
    SnapshotShape.parse(record);
    return record as StoredSnapshot;
  }

  /**
   * The stored `updated_at` of each conversation we hold (absent ids are unknown), in one round
   * trip: the pull compares them with the listing to decide which message fetches to spend.
   */
  async knownUpdatedAt(accountId: string, ids: readonly string[]): Promise<Map<string, string>> {
    const known = new Map<string, string>();
    if (ids.length === 0) return known;
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hget(this.key(accountId, id), 'updatedAt');
    const replies = (await pipeline.exec()) ?? [];
    replies.forEach(([error, value], index) => {
      if (error) throw error;
      const id = ids[index];
      if (id !== undefined && typeof value === 'string') known.set(id, value);
    });
    return known;
  }

  /** Records that these versions were handed to the diagnoser (diagnose jobs hold them). */
  async markOffered(accountId: string, versions: readonly SnapshotVersion[]): Promise<void> {
    await Promise.all(
      versions.map(({ id, updatedAt }) =>
        MARK_OFFERED.run(this.redis, [this.key(accountId, id)], [updatedAt]),
      ),
    );
  }

  /**
   * Of these stored versions, those never handed to the diagnoser: stored by a pull that stopped
   * (killed, or failed and retried) before it enqueued their diagnosis.
   */
  async unoffered(
    accountId: string,
    versions: readonly SnapshotVersion[],
  ): Promise<SnapshotVersion[]> {
    if (versions.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const { id } of versions) pipeline.hget(this.key(accountId, id), 'offeredAt');
    const replies = (await pipeline.exec()) ?? [];
    return versions.filter((version, index) => {
      const [error, offeredAt] = replies[index] ?? [null, null];
      if (error) throw error;
      return offeredAt !== version.updatedAt;
    });
  }

  /**
   * Of these versions, those stored as fetched by this pull run: by an earlier attempt of it, when
   * the run was retried after a failure or a crash.
   */
  async fetchedByRun(
    accountId: string,
    runId: string,
    versions: readonly SnapshotVersion[],
  ): Promise<SnapshotVersion[]> {
    if (versions.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const { id } of versions) {
      pipeline.hmget(this.key(accountId, id), 'updatedAt', 'fetchedBy');
    }
    const replies = (await pipeline.exec()) ?? [];
    return versions.filter((version, index) => {
      const [error, fields] = replies[index] ?? [null, null];
      if (error) throw error;
      const [updatedAt, fetchedBy] = (fields as (string | null)[] | null) ?? [];
      return updatedAt === version.updatedAt && fetchedBy === runId;
    });
  }

  private key(accountId: string, conversationId: string): string {
    return accountKey(this.prefix, accountId, 'snap', conversationId);
  }
}
