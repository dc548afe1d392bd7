import { z } from 'zod';
import { RequestValidationError } from '../errors.js';
import { DiagnosisSchema } from '../domain/diagnosis.js';
import type { RedisConnection } from '../redis.js';
import { accountKey, LuaScript, storePrefix, toMillis, type StoreOptions } from './keys.js';
import { DAY_MS } from '../time.js';

/**
 * Diagnoses, one per (account, conversation, conversation `updated_at`), written with SET NX: a
 * retried or duplicated diagnose job never writes a second one, and a conversation that changed
 * gets a new diagnosis. A per-account sorted set by conversation `created_at` lists a window's
 * latest diagnosis per conversation for synthesis.
 */

export const StoredDiagnosisSchema = z.object({
  accountId: z.string().min(1),
  conversationId: z.string().min(1),
  conversationCreatedAt: z.string(),
  conversationUpdatedAt: z.string(),
  diagnosedAt: z.string(),
  diagnosis: DiagnosisSchema,
});
export type StoredDiagnosis = z.infer<typeof StoredDiagnosisSchema>;

export type NewDiagnosis = Omit<StoredDiagnosis, 'accountId' | 'diagnosedAt'>;

export interface DiagnosisStoreOptions extends StoreOptions {
  /** @defaultValue 30 */
  retentionDays?: number;
}

// KEYS: record, index, latest. ARGV: json, ttlMs, conversationId, createdMs, updatedMs, cutoffMs.
// Index entries of conversations created before the retention cutoff are dropped as we go.
const PUT = new LuaScript(`
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
local latest = redis.call('HGET', KEYS[3], ARGV[3])
if (not latest) or tonumber(latest) < tonumber(ARGV[5]) then
  redis.call('HSET', KEYS[3], ARGV[3], ARGV[5])
end
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[6], 'LIMIT', 0, 100)
if #old > 0 then
  redis.call('ZREM', KEYS[2], unpack(old))
  redis.call('HDEL', KEYS[3], unpack(old))
end
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('PEXPIRE', KEYS[3], ARGV[2])
return 1
`);

export class DiagnosisStore {
  private readonly prefix: string;
  private readonly now: () => Date;
  private readonly ttlMs: number;

  constructor(
    private readonly redis: RedisConnection,
    options: DiagnosisStoreOptions = {},
  ) {
    this.prefix = storePrefix(options);
    this.now = options.now ?? (() => new Date());
    const days = options.retentionDays ?? 30;
    if (!(days > 0)) throw new RequestValidationError('retentionDays must be positive');
    this.ttlMs = Math.round(days * DAY_MS);
  }

  /** Stores a diagnosis unless one exists for this conversation version: 'stored' | 'exists'. */
  async put(accountId: string, input: NewDiagnosis): Promise<'stored' | 'exists'> {
    if (input.diagnosis.conversationId !== input.conversationId) {
      throw new RequestValidationError(
        `Diagnosis is for conversation ${input.diagnosis.conversationId}, not ${input.conversationId}`,
      );
    }
    const now = this.now();
    const record = StoredDiagnosisSchema.parse({
      ...input,
      accountId,
      diagnosedAt: now.toISOString(),
    });
    const updatedMs = toMillis(record.conversationUpdatedAt, 'conversationUpdatedAt');
    const createdMs = toMillis(record.conversationCreatedAt, 'conversationCreatedAt');
    const written = await PUT.run(
      this.redis,
      [
        this.recordKey(accountId, record.conversationId, updatedMs),
        this.indexKey(accountId),
        this.latestKey(accountId),
      ],
      [
        JSON.stringify(record),
        this.ttlMs,
        record.conversationId,
        createdMs,
        updatedMs,
        now.getTime() - this.ttlMs,
      ],
    );
    return written === 1 ? 'stored' : 'exists';
  }

  /** The diagnosis of one conversation version, or of its latest diagnosed version. */
  async get(
    accountId: string,
    conversationId: string,
    conversationUpdatedAt?: string,
  ): Promise<StoredDiagnosis | null> {
    let updatedMs: number | string | null;
    if (conversationUpdatedAt === undefined) {
      updatedMs = await this.redis.hget(this.latestKey(accountId), conversationId);
      if (updatedMs === null) return null;
    } else {
      updatedMs = toMillis(conversationUpdatedAt, 'conversationUpdatedAt');
    }
    const json = await this.redis.get(this.recordKey(accountId, conversationId, updatedMs));
    return json === null ? null : StoredDiagnosisSchema.parse(JSON.parse(json));
  }

  /** Whether this conversation version was already diagnosed. */
  async has(
    accountId: string,
    conversationId: string,
    conversationUpdatedAt: string,
  ): Promise<boolean> {
    const updatedMs = toMillis(conversationUpdatedAt, 'conversationUpdatedAt');
    return (await this.redis.exists(this.recordKey(accountId, conversationId, updatedMs))) === 1;
  }

  /**
   * The latest diagnosis of each conversation created in `[from, to)`, oldest first. Expired
   * records are skipped.
   */
  async listWindow(
    accountId: string,
    window: { from: string; to: string },
  ): Promise<StoredDiagnosis[]> {
    const fromMs = toMillis(window.from, 'from');
    const toMs = toMillis(window.to, 'to');
    const ids = await this.redis.zrangebyscore(this.indexKey(accountId), fromMs, `(${toMs}`);
    if (ids.length === 0) return [];
    const versions = await this.redis.hmget(this.latestKey(accountId), ...ids);
    const keys = ids.flatMap((id, index) => {
      const version = versions[index];
      return typeof version === 'string' ? [this.recordKey(accountId, id, version)] : [];
    });
    if (keys.length === 0) return [];
    const records = await this.redis.mget(...keys);
    return records.flatMap((json) =>
      json === null ? [] : [StoredDiagnosisSchema.parse(JSON.parse(json))],
    );
  }

  private recordKey(accountId: string, conversationId: string, updatedMs: number | string): string {
    return accountKey(this.prefix, accountId, 'diag', conversationId, String(updatedMs));
  }

  private indexKey(accountId: string): string {
    return accountKey(this.prefix, accountId, 'diag-index');
  }

  private latestKey(accountId: string): string {
    return accountKey(this.prefix, accountId, 'diag-latest');
  }
}
