import { createHash } from 'node:crypto';
import { z } from 'zod';
import { FailureCategorySchema } from '../domain/diagnosis.js';
import { RequestValidationError } from '../errors.js';
import type { RedisConnection } from '../redis.js';
import { replies } from './proposal-index.js';
import { accountKey, LuaScript, storePrefix, toMillis, type StoreOptions } from './keys.js';

/**
 * Each account's regression suite: the conversations that verified fixes were judged on, kept so
 * that every later apply can replay them and catch a change that undoes an earlier fix. A case
 * holds only what a replay needs (the shopper's turns, scrubbed of personal data) and what
 * passing means, so it outlives the snapshot it came from.
 */

/** Cases kept per account by default; adding beyond it drops the oldest. */
export const DEFAULT_SUITE_MAX_CASES = 200;

export const CaseResultSchema = z.object({
  passed: z.boolean(),
  at: z.string(),
  reason: z.string(),
});
export type CaseResult = z.infer<typeof CaseResultSchema>;

export const RegressionCaseSchema = z.object({
  /** Deterministic from (account, conversation, proposal): adding twice is one case. */
  id: z.string().min(1),
  accountId: z.string().min(1),
  conversationId: z.string().min(1),
  /** The applied proposal whose verification judged this conversation fixed. */
  fromProposalId: z.string().min(1),
  addedAt: z.string(),
  /** What passing means: the replay judge's category and topic… */
  category: FailureCategorySchema,
  topic: z.string().min(1),
  /** …and the same in one sentence for people. */
  passing: z.string().min(1),
  skillId: z.string().nullable(),
  skillName: z.string().nullable(),
  channel: z.string().nullable(),
  /** The shopper's messages in order, personal data replaced by labels such as `[email]`. */
  shopperTurns: z.array(z.string()).min(1),
  /** The latest judged replay; null until the rules judge has seen it pass or fail. */
  lastResult: CaseResultSchema.nullable(),
});
export type RegressionCase = z.infer<typeof RegressionCaseSchema>;

export type NewRegressionCase = Omit<RegressionCase, 'id' | 'accountId'>;

export interface RegressionSuiteStoreOptions extends StoreOptions {
  /** @defaultValue DEFAULT_SUITE_MAX_CASES (200) */
  maxCases?: number;
}

// KEYS: cases (hash), index (zset by addedAt). ARGV: id, json, addedMs, maxCases.
// Returns 1 when added, 0 when the case was there; the oldest cases beyond the cap are dropped.
const ADD = new LuaScript(`
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[4])
if over > 0 then
  local dropped = redis.call('ZRANGE', KEYS[2], 0, over - 1)
  redis.call('ZREM', KEYS[2], unpack(dropped))
  redis.call('HDEL', KEYS[1], unpack(dropped))
end
return 1
`);

// KEYS: cases. ARGV: id, json. A case removed meanwhile is not brought back by its result.
const REPLACE = new LuaScript(`
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`);

/** The id of the case of `conversationId` fixed by `proposalId`. */
export function regressionCaseId(
  accountId: string,
  conversationId: string,
  proposalId: string,
): string {
  const digest = createHash('sha256')
    .update(`${accountId}\n${conversationId}\n${proposalId}`)
    .digest('hex');
  return `rc_${digest.slice(0, 12)}`;
}

export class RegressionSuiteStore {
  private readonly prefix: string;
  private readonly maxCases: number;

  constructor(
    private readonly redis: RedisConnection,
    options: RegressionSuiteStoreOptions = {},
  ) {
    this.prefix = storePrefix(options);
    this.maxCases = options.maxCases ?? DEFAULT_SUITE_MAX_CASES;
    if (!Number.isInteger(this.maxCases) || this.maxCases < 1) {
      throw new RequestValidationError('maxCases must be a whole number of at least 1');
    }
  }

  /** Adds a case unless the same conversation and proposal already have one: 'added' | 'exists'. */
  async add(accountId: string, input: NewRegressionCase): Promise<'added' | 'exists'> {
    const id = regressionCaseId(accountId, input.conversationId, input.fromProposalId);
    const record = RegressionCaseSchema.parse({ ...input, id, accountId });
    const added = await ADD.run(
      this.redis,
      [this.casesKey(accountId), this.indexKey(accountId)],
      [id, JSON.stringify(record), toMillis(record.addedAt, 'addedAt'), this.maxCases],
    );
    return added === 1 ? 'added' : 'exists';
  }

  async get(accountId: string, caseId: string): Promise<RegressionCase | null> {
    const json = await this.redis.hget(this.casesKey(accountId), caseId);
    return json === null ? null : RegressionCaseSchema.parse(JSON.parse(json));
  }

  /** Every case of the account (bounded by `maxCases`), oldest first. */
  async list(accountId: string): Promise<RegressionCase[]> {
    const ids = await this.redis.zrange(this.indexKey(accountId), 0, '-1');
    if (ids.length === 0) return [];
    const records = await this.redis.hmget(this.casesKey(accountId), ...ids);
    return records.flatMap((json) =>
      json === null ? [] : [RegressionCaseSchema.parse(JSON.parse(json))],
    );
  }

  /** Records a case's latest judged replay; false when the case was removed meanwhile. */
  async recordResult(accountId: string, caseId: string, result: CaseResult): Promise<boolean> {
    const current = await this.get(accountId, caseId);
    if (current === null) return false;
    const next = RegressionCaseSchema.parse({ ...current, lastResult: result });
    const replaced = await REPLACE.run(
      this.redis,
      [this.casesKey(accountId)],
      [caseId, JSON.stringify(next)],
    );
    return replaced === 1;
  }

  /** Removes a case; false when there was none. */
  async remove(accountId: string, caseId: string): Promise<boolean> {
    const [removed] = replies<number>(
      await this.redis
        .multi()
        .hdel(this.casesKey(accountId), caseId)
        .zrem(this.indexKey(accountId), caseId)
        .exec(),
    );
    return removed === 1;
  }

  private casesKey(accountId: string): string {
    return accountKey(this.prefix, accountId, 'suite', 'cases');
  }

  private indexKey(accountId: string): string {
    return accountKey(this.prefix, accountId, 'suite', 'index');
  }
}
