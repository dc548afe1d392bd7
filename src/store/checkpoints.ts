import { z } from 'zod';
import type { RedisConnection } from '../redis.js';
import { accountKey, LuaScript, storePrefix, toMillis, type StoreOptions } from './keys.js';

/**
 * Per-account pull checkpoints. The pull lists conversations created since
 * `lastCreatedAt - overlap`, so a checkpoint only needs to be roughly right; `advance` never moves
 * it back, so a slow, retried pull cannot undo a newer one's progress.
 */

export const CheckpointSchema = z.object({
  /** `created_at` of the newest conversation fully pulled (ISO). */
  lastCreatedAt: z.string(),
  /**
   * Final conversations the last pull listed but left for the following runs (over its budget):
   * until it is 0, findings are computed from part of the window.
   */
  pending: z.number().int().min(0).optional(),
  /** Free-form hint for the next pull (e.g. a cursor), when the source offers one. */
  cursorHint: z.string().optional(),
  updatedAt: z.string(),
});
export type Checkpoint = z.infer<typeof CheckpointSchema>;

/** What a checkpoint tracks; one per account and stream. */
export type CheckpointStream = 'conversations' | 'reports';

// Compares the stored `lastCreatedAt` (as epoch ms in field `ms`) and writes only if newer.
const ADVANCE = new LuaScript(`
local current = redis.call('HGET', KEYS[1], 'ms')
if current and tonumber(current) > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'ms', ARGV[1], 'json', ARGV[2])
return 1
`);

export class CheckpointStore {
  private readonly prefix: string;
  private readonly now: () => Date;

  constructor(
    private readonly redis: RedisConnection,
    options: StoreOptions = {},
  ) {
    this.prefix = storePrefix(options);
    this.now = options.now ?? (() => new Date());
  }

  async get(
    accountId: string,
    stream: CheckpointStream = 'conversations',
  ): Promise<Checkpoint | null> {
    const json = await this.redis.hget(this.key(accountId, stream), 'json');
    return json === null ? null : CheckpointSchema.parse(JSON.parse(json));
  }

  /** Overwrites the checkpoint (e.g. an operator resetting a pull). */
  async set(
    accountId: string,
    checkpoint: Omit<Checkpoint, 'updatedAt'>,
    stream: CheckpointStream = 'conversations',
  ): Promise<Checkpoint> {
    const value = this.build(checkpoint);
    const ms = toMillis(value.lastCreatedAt, 'lastCreatedAt');
    await this.redis.hset(this.key(accountId, stream), 'ms', ms, 'json', JSON.stringify(value));
    return value;
  }

  /** Moves the checkpoint forward only; returns false when the stored one is newer. */
  async advance(
    accountId: string,
    checkpoint: Omit<Checkpoint, 'updatedAt'>,
    stream: CheckpointStream = 'conversations',
  ): Promise<boolean> {
    const value = this.build(checkpoint);
    const ms = toMillis(value.lastCreatedAt, 'lastCreatedAt');
    const written = await ADVANCE.run(
      this.redis,
      [this.key(accountId, stream)],
      [ms, JSON.stringify(value)],
    );
    return written === 1;
  }

  private build(checkpoint: Omit<Checkpoint, 'updatedAt'>): Checkpoint {
    return CheckpointSchema.parse({ ...checkpoint, updatedAt: this.now().toISOString() });
  }

  private key(accountId: string, stream: CheckpointStream): string {
    return accountKey(this.prefix, accountId, 'checkpoint', stream);
  }
}
