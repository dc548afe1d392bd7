import { randomUUID } from 'node:crypto';
import type { RedisConnection } from '../redis.js';
import { z } from 'zod';
import { controlKey, LuaScript, storePrefix, type StoreOptions } from './keys.js';
import { DAY_MS, MINUTE_MS } from '../time.js';

/**
 * Write intents: how apply makes "one write at most" hold when a worker is killed at any point or
 * two apply jobs race. An intent is recorded BEFORE the HTTP write to Klaviyo and kept until the
 * outcome is known, so any later attempt knows a write may have happened.
 *
 * The apply job's protocol:
 * 1. `claim(proposalId, { owner: jobId, leaseMs })` — at most one holder at a time (HSETNX).
 *    - `claimed`: nobody tried before → write now.
 *        · write succeeded → `markLanded(intent, { resourceId })`, then transition to `applied`.
 *        · write refused (4xx: nothing changed) → `release(intent)`, transition to failed/conflict.
 *        · outcome unknown (timeout, 5xx after sending) → leave the intent, throw a retryable
 *          error; the retry sees `unknown`.
 *    - `landed`: an earlier attempt wrote and recorded it → do not write; finish the transition.
 *    - `in-flight`: another live job holds a lease → do not write; retry later.
 *    - `unknown`: an earlier attempt claimed and stopped (crashed, failed, or its lease ran out)
 *      → re-read the target before anything else:
 *        · it shows the patch → `markLanded`, then `applied` (the write had landed);
 *        · it still equals the baseline → `takeOver(intent, …)` and write (it had not);
 *        · anything else → `release`, then `conflict` (someone else changed it).
 * The final `transition` is itself a compare-and-set, so finishing twice records one result.
 */

export const WriteIntentSchema = z.object({
  proposalId: z.string().min(1),
  /** Compare-and-set token of this claim. */
  token: z.string(),
  /** Who claimed: the apply job's id. */
  owner: z.string().min(1),
  claimedAt: z.string(),
  /** Until then, another job treats the claim as live (`in-flight`). */
  leaseUntil: z.string(),
  state: z.enum(['claimed', 'landed']),
  /** Id of the created or updated resource, once landed. */
  resourceId: z.string().optional(),
  landedAt: z.string().optional(),
});
export type WriteIntent = z.infer<typeof WriteIntentSchema>;

export type ClaimResult =
  | { outcome: 'claimed'; intent: WriteIntent }
  | { outcome: 'landed'; intent: WriteIntent }
  | { outcome: 'in-flight'; intent: WriteIntent }
  | { outcome: 'unknown'; intent: WriteIntent };

export interface ClaimOptions {
  /** The apply job's id: a retry of the same job is never "another live job". */
  owner: string;
  /** Longer than the slowest write (HTTP timeout plus retries). @defaultValue 120 000 */
  leaseMs?: number;
}

// KEYS: intent. ARGV: token, json, ttlMs. Returns { 1 | 0, json of the stored intent }.
const CLAIM = new LuaScript(`
if redis.call('HSETNX', KEYS[1], 'token', ARGV[1]) == 1 then
  redis.call('HSET', KEYS[1], 'json', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return {1, ARGV[2]}
end
return {0, redis.call('HGET', KEYS[1], 'json')}
`);

// KEYS: intent. ARGV: expected token, new token, new json ('' deletes), ttlMs.
const REPLACE = new LuaScript(`
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then return 0 end
if ARGV[3] == '' then
  redis.call('DEL', KEYS[1])
else
  redis.call('HSET', KEYS[1], 'token', ARGV[2], 'json', ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
return 1
`);

/** Intents outlive any plausible retry schedule, then expire (the proposal keeps the result). */
const INTENT_TTL_MS = 30 * DAY_MS;
const DEFAULT_LEASE_MS = 2 * MINUTE_MS;

export class WriteIntentStore {
  private readonly prefix: string;
  private readonly now: () => Date;

  constructor(
    private readonly redis: RedisConnection,
    options: StoreOptions = {},
  ) {
    this.prefix = storePrefix(options);
    this.now = options.now ?? (() => new Date());
  }

  /** Records the intent to write unless one exists; see the protocol above. */
  async claim(proposalId: string, options: ClaimOptions): Promise<ClaimResult> {
    const intent = this.fresh(proposalId, options);
    const reply = await CLAIM.run(
      this.redis,
      [this.key(proposalId)],
      [intent.token, JSON.stringify(intent), INTENT_TTL_MS],
    );
    const [claimed, json] = z.tuple([z.number(), z.string()]).parse(reply);
    if (claimed === 1) return { outcome: 'claimed', intent };
    const existing = WriteIntentSchema.parse(JSON.parse(json));
    if (existing.state === 'landed') return { outcome: 'landed', intent: existing };
    const live =
      existing.owner !== options.owner && Date.parse(existing.leaseUntil) > this.now().getTime();
    return { outcome: live ? 'in-flight' : 'unknown', intent: existing };
  }

  /** Replaces a stale claim with ours; null when someone else got there first. */
  async takeOver(previous: WriteIntent, options: ClaimOptions): Promise<WriteIntent | null> {
    const intent = this.fresh(previous.proposalId, options);
    return (await this.replace(previous, intent)) ? intent : null;
  }

  /** Records that the write landed; false when the claim is no longer ours. */
  async markLanded(intent: WriteIntent, outcome: { resourceId?: string } = {}): Promise<boolean> {
    const landed: WriteIntent = {
      ...intent,
      state: 'landed',
      landedAt: this.now().toISOString(),
      ...(outcome.resourceId === undefined ? {} : { resourceId: outcome.resourceId }),
    };
    return this.replace(intent, landed);
  }

  /** Drops a claim whose write certainly did not happen; false when it is no longer ours. */
  async release(intent: WriteIntent): Promise<boolean> {
    return this.replace(intent, null);
  }

  async get(proposalId: string): Promise<WriteIntent | null> {
    const json = await this.redis.hget(this.key(proposalId), 'json');
    return json === null ? null : WriteIntentSchema.parse(JSON.parse(json));
  }

  private async replace(previous: WriteIntent, next: WriteIntent | null): Promise<boolean> {
    const reply = await REPLACE.run(
      this.redis,
      [this.key(previous.proposalId)],
      [previous.token, next?.token ?? '', next ? JSON.stringify(next) : '', INTENT_TTL_MS],
    );
    return reply === 1;
  }

  private fresh(proposalId: string, options: ClaimOptions): WriteIntent {
    const now = this.now();
    return {
      proposalId,
      token: randomUUID(),
      owner: options.owner,
      claimedAt: now.toISOString(),
      leaseUntil: new Date(now.getTime() + (options.leaseMs ?? DEFAULT_LEASE_MS)).toISOString(),
      state: 'claimed',
    };
  }

  private key(proposalId: string): string {
    return controlKey(this.prefix, 'write-intent', proposalId);
  }
}
