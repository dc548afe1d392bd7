import { randomUUID } from 'node:crypto';
import type { RedisConnection } from '../redis.js';
import { z } from 'zod';
import { controlKey, LuaScript, storePrefix, type StoreOptions } from './keys.js';
import { DAY_MS, SECOND_MS } from '../time.js';

/**
 * How apply makes "one write at most, none lost" hold when a worker is killed or stalls at any
 * point, when BullMQ delivers the same job twice at once, and when two proposals change the same
 * target from two workers.
 *
 * Target leases serialize writes to ONE TARGET (a skill, a knowledge item, the customer agent —
 * its rule and style lists and tone — or the creates of one resource type) across every process.
 * A lease is a key that expires unless its holder renews it, and carries a FENCING TOKEN: a
 * per-target counter incremented by every acquisition, so each attempt holds a token no earlier
 * attempt had. An attempt whose lease ran out (it stalled, or its process froze) has lost it for
 * good: every later step checks in Redis that the lease still holds its token, so it can never
 * write or record an outcome after a newer attempt claimed the target. The lease is per attempt,
 * not per job: two deliveries of one job (same job id) are two attempts, and only one holds it.
 *
 * Write intents record, per proposal, that a write may have happened: an intent is stored BEFORE
 * the HTTP write to Klaviyo and kept until the outcome is known.
 *
 * The apply job's protocol:
 * 1. `acquire(target, { owner: jobId, leaseMs })`; `busy` → retry later. Renew the lease
 *    (`renew`) while the attempt runs; when renewal fails, stop.
 * 2. `claim(proposalId, lease)` (fenced):
 *    - `claimed`: nobody tried before → read the target, then write.
 *    - `landed`: an earlier attempt wrote and recorded it → do not write; finish the transition.
 *    - `unknown`: an earlier attempt claimed and stopped (crashed, stalled, failed); it holds no
 *      lease any more, since we do → re-read the target before anything else:
 *        · it shows the patch → `markLanded`, then `applied` (the write had landed);
 *        · it still equals the baseline → `takeOver` and write (it had not);
 *        · anything else → `conflict` saying the write MAY have been written: the intent is kept,
 *          since nothing proves the write did not land and get changed afterwards.
 * 3. `checkBeforeWrite(intent, lease)` right before the HTTP write: the lease and the intent are
 *    still ours. Then write:
 *    · succeeded → `markLanded(intent, { resourceId })`, then (lease checked) `applied`;
 *    · refused (4xx: nothing changed) → `release(intent, lease)`, then failed/conflict;
 *    · outcome unknown (timeout, 5xx after sending) → keep the intent, throw a retryable error.
 * 4. `releaseLease(lease)` when the attempt ends, however it ends.
 * `markLanded` is checked by the intent's token only, not by the lease: a write that landed is a
 * fact every later attempt must learn, whoever holds the target now. Klaviyo takes no fencing
 * token, so the one window left is an attempt frozen between `checkBeforeWrite` and its request
 * reaching Klaviyo for longer than the lease; renewing the lease keeps that to process freezes.
 * The final `transition` is itself a compare-and-set, so finishing twice records one result.
 */

export const WriteIntentSchema = z.object({
  proposalId: z.string().min(1),
  /** Compare-and-set token of this claim. */
  token: z.string(),
  /** Who claimed: the apply job's id. */
  owner: z.string().min(1),
  /** The fencing token of the target lease the claim was made under (absent on older intents). */
  fence: z.number().int().optional(),
  claimedAt: z.string(),
  /** Older intents carried their own lease; the target lease replaced it. */
  leaseUntil: z.string().optional(),
  state: z.enum(['claimed', 'landed']),
  /** Id of the created or updated resource, once landed. */
  resourceId: z.string().optional(),
  landedAt: z.string().optional(),
});
export type WriteIntent = z.infer<typeof WriteIntentSchema>;

export type ClaimResult =
  | { outcome: 'claimed'; intent: WriteIntent }
  | { outcome: 'landed'; intent: WriteIntent }
  | { outcome: 'unknown'; intent: WriteIntent }
  | { outcome: 'lease-lost' };

/** One attempt's hold on a target. */
export interface TargetLease {
  target: string;
  /** The apply job's id (for messages: who holds the target). */
  owner: string;
  /** Unique per attempt: a second delivery of the same job is another attempt. */
  attempt: string;
  /** The fencing token: higher than that of every earlier attempt on this target. */
  fence: number;
  leaseMs: number;
}

export type AcquireResult =
  | { ok: true; lease: TargetLease }
  | { ok: false; holder: { owner: string; fence: number; remainingMs: number } };

export interface LeaseOptions {
  /** The apply job's id. */
  owner: string;
  /** Renewed every third of it while the attempt runs. @defaultValue 30 000 */
  leaseMs?: number;
}

// KEYS: lease, fence counter. ARGV: attempt, owner, leaseMs, fence counter ttlMs.
// Returns {1, fence} when acquired, else {0, owner, fence, pttl} of the holder.
const ACQUIRE = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then
  local h = redis.call('HMGET', KEYS[1], 'owner', 'fence')
  return {0, h[1] or '', tonumber(h[2]) or 0, redis.call('PTTL', KEYS[1])}
end
local fence = redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('HSET', KEYS[1], 'attempt', ARGV[1], 'owner', ARGV[2], 'fence', fence)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {1, fence}
`);

// KEYS: lease. ARGV: attempt, leaseMs ('0' checks without renewing, '-1' deletes).
const HOLD = new LuaScript(`
if redis.call('HGET', KEYS[1], 'attempt') ~= ARGV[1] then return 0 end
if ARGV[2] == '-1' then redis.call('DEL', KEYS[1])
elseif ARGV[2] ~= '0' then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
`);

// KEYS: intent, lease. ARGV: attempt, token, json, ttlMs.
// Returns {-1, ''} without the lease, {1, json} when claimed, else {0, json of the stored intent}.
const CLAIM = new LuaScript(`
if redis.call('HGET', KEYS[2], 'attempt') ~= ARGV[1] then return {-1, ''} end
if redis.call('HSETNX', KEYS[1], 'token', ARGV[2]) == 1 then
  redis.call('HSET', KEYS[1], 'json', ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  return {1, ARGV[3]}
end
return {0, redis.call('HGET', KEYS[1], 'json')}
`);

// KEYS: intent, lease. ARGV: expected token, new token, new json ('' deletes, '=' keeps),
// ttlMs, attempt ('' when the lease is not checked).
const REPLACE = new LuaScript(`
if ARGV[5] ~= '' and redis.call('HGET', KEYS[2], 'attempt') ~= ARGV[5] then return 0 end
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then return 0 end
if ARGV[3] == '' then
  redis.call('DEL', KEYS[1])
elseif ARGV[3] ~= '=' then
  redis.call('HSET', KEYS[1], 'token', ARGV[2], 'json', ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
return 1
`);

/** Intents outlive any plausible retry schedule, then expire (the proposal keeps the result). */
const INTENT_TTL_MS = 30 * DAY_MS;
/** The fence counter outlives every lease and intent, so tokens only grow while they matter. */
const FENCE_TTL_MS = 60 * DAY_MS;
/** The lease of an attempt that names none (apply passes `JOB_LOCK_SECONDS`). */
export const DEFAULT_LEASE_MS = 30 * SECOND_MS;

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

  /** Takes the target's lease with a new fencing token, unless another attempt holds it. */
  async acquire(target: string, options: LeaseOptions): Promise<AcquireResult> {
    const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    const attempt = randomUUID();
    const reply = await ACQUIRE.run(
      this.redis,
      [this.leaseKey(target), this.fenceKey(target)],
      [attempt, options.owner, leaseMs, FENCE_TTL_MS],
    );
    const parsed = z
      .union([
        z.tuple([z.literal(1), z.number()]),
        z.tuple([z.literal(0), z.string(), z.number(), z.number()]),
      ])
      .parse(reply);
    if (parsed[0] === 0) {
      const [, owner, fence, remainingMs] = parsed;
      return { ok: false, holder: { owner, fence, remainingMs } };
    }
    return {
      ok: true,
      lease: { target, owner: options.owner, attempt, fence: parsed[1], leaseMs },
    };
  }

  /** Extends the lease; false when it is no longer this attempt's (ran out, taken by another). */
  async renew(lease: TargetLease): Promise<boolean> {
    return this.hold(lease, lease.leaseMs);
  }

  /** Whether the lease is still this attempt's. */
  async holds(lease: TargetLease): Promise<boolean> {
    return this.hold(lease, 0);
  }

  /** Gives the target up (only if still ours). */
  async releaseLease(lease: TargetLease): Promise<boolean> {
    return this.hold(lease, -1);
  }

  /** Records the intent to write unless one exists; see the protocol above. */
  async claim(proposalId: string, lease: TargetLease): Promise<ClaimResult> {
    const intent = this.fresh(proposalId, lease);
    const reply = await CLAIM.run(
      this.redis,
      [this.key(proposalId), this.leaseKey(lease.target)],
      [lease.attempt, intent.token, JSON.stringify(intent), INTENT_TTL_MS],
    );
    const [claimed, json] = z.tuple([z.number(), z.string()]).parse(reply);
    if (claimed === -1) return { outcome: 'lease-lost' };
    if (claimed === 1) return { outcome: 'claimed', intent };
    const existing = WriteIntentSchema.parse(JSON.parse(json));
    return { outcome: existing.state === 'landed' ? 'landed' : 'unknown', intent: existing };
  }

  /** Replaces a stale claim with ours; null when it changed meanwhile or the lease is lost. */
  async takeOver(previous: WriteIntent, lease: TargetLease): Promise<WriteIntent | null> {
    const intent = this.fresh(previous.proposalId, lease);
    return (await this.replace(previous, intent, lease)) ? intent : null;
  }

  /** True when the lease and the intent are still ours: the last check before the write. */
  async checkBeforeWrite(intent: WriteIntent, lease: TargetLease): Promise<boolean> {
    return this.replace(intent, intent, lease, true);
  }

  /** Records that the write landed; false when the claim is no longer ours. */
  async markLanded(intent: WriteIntent, outcome: { resourceId?: string } = {}): Promise<boolean> {
    const landed: WriteIntent = {
      ...intent,
      state: 'landed',
      landedAt: this.now().toISOString(),
      ...(outcome.resourceId === undefined ? {} : { resourceId: outcome.resourceId }),
    };
    return this.replace(intent, landed, null);
  }

  /** Drops a claim whose write certainly did not happen; false when it is no longer ours. */
  async release(intent: WriteIntent, lease: TargetLease): Promise<boolean> {
    return this.replace(intent, null, lease);
  }

  async get(proposalId: string): Promise<WriteIntent | null> {
    const json = await this.redis.hget(this.key(proposalId), 'json');
    return json === null ? null : WriteIntentSchema.parse(JSON.parse(json));
  }

  private async hold(lease: TargetLease, leaseMs: number): Promise<boolean> {
    const reply = await HOLD.run(
      this.redis,
      [this.leaseKey(lease.target)],
      [lease.attempt, leaseMs],
    );
    return reply === 1;
  }

  private async replace(
    previous: WriteIntent,
    next: WriteIntent | null,
    lease: TargetLease | null,
    keep = false,
  ): Promise<boolean> {
    const json = keep ? '=' : next ? JSON.stringify(next) : '';
    const intentKey = this.key(previous.proposalId);
    // Without a lease to check, the intent's key stands in as the (unread) second key.
    const reply = await REPLACE.run(
      this.redis,
      [intentKey, lease ? this.leaseKey(lease.target) : intentKey],
      [previous.token, next?.token ?? '', json, INTENT_TTL_MS, lease?.attempt ?? ''],
    );
    return reply === 1;
  }

  private fresh(proposalId: string, lease: TargetLease): WriteIntent {
    return {
      proposalId,
      token: randomUUID(),
      owner: lease.owner,
      fence: lease.fence,
      claimedAt: this.now().toISOString(),
      state: 'claimed',
    };
  }

  private key(proposalId: string): string {
    return controlKey(this.prefix, 'write-intent', proposalId);
  }

  private leaseKey(target: string): string {
    return controlKey(this.prefix, 'target-lease', target);
  }

  private fenceKey(target: string): string {
    return controlKey(this.prefix, 'target-fence', target);
  }
}
