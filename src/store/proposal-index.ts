import { PROPOSAL_STATUSES, ProposalSchema, type ProposalStatus } from '../domain/proposal.js';
import type { RedisConnection } from '../redis.js';
import { controlKey, LuaScript } from './keys.js';
import { slackMessageKey } from './slack-messages.js';

/**
 * The proposal indexes: sorted sets of proposal ids, scored by creation time (newest last), so a
 * page of any listing is one ZRANGE and a count one ZCARD, whatever the number of proposals.
 * Kept by the create and transition scripts in the same step as the proposal itself.
 *
 *   …{control}:proposals:all                               every proposal
 *   …{control}:proposals:by-status:<status>                per status
 *   …{control}:proposals:by-account:<account>             per account
 *   …{control}:proposals:by-account-status:<status>:<acct> per account and status
 *   …{control}:proposals:decided                           decided ones, scored by decision time
 *                                                          (what retention reads)
 */

/** Statuses no person or job moves a proposal out of, except `applied` → `reverted`. */
export const DECIDED_STATUSES: readonly ProposalStatus[] = [
  'rejected',
  'applied',
  'conflict',
  'failed',
  'reverted',
  'expired',
];

/** Version of the index layout; `ProposalStore.ensureIndexes` builds it from older layouts. */
export const INDEX_VERSION = '2';

export class ProposalIndexKeys {
  constructor(private readonly prefix: string) {}

  proposal(id: string): string {
    return controlKey(this.prefix, 'proposal', id);
  }

  all(): string {
    return controlKey(this.prefix, 'proposals', 'all');
  }

  status(status: ProposalStatus): string {
    return controlKey(this.prefix, 'proposals', 'by-status', status);
  }

  account(accountId: string): string {
    return controlKey(this.prefix, 'proposals', 'by-account', accountId);
  }

  accountStatus(accountId: string, status: ProposalStatus): string {
    return controlKey(this.prefix, 'proposals', 'by-account-status', status, accountId);
  }

  decided(): string {
    return controlKey(this.prefix, 'proposals', 'decided');
  }

  version(): string {
    return controlKey(this.prefix, 'proposals', 'index-version');
  }

  writeIntent(id: string): string {
    return controlKey(this.prefix, 'write-intent', id);
  }

  slackMessage(id: string): string {
    return slackMessageKey(this.prefix, id);
  }

  /** The one index a listing of (account?, status?) reads. */
  listing(accountId: string | undefined, status: ProposalStatus | undefined): string {
    if (accountId !== undefined) {
      return status === undefined ? this.account(accountId) : this.accountStatus(accountId, status);
    }
    return status === undefined ? this.all() : this.status(status);
  }

  /** The (pre-version-2) sets that held the per-status and per-account ids. */
  legacy(kind: 'status' | 'account', name: string): string {
    return controlKey(this.prefix, 'proposals', kind, name);
  }
}

// KEYS: proposal, all, by-status, by-account, by-account-status, decided, write intent, Slack
// message record.
// ARGV: id, the status it was read in. A proposal that moved since (reverted) stays.
const RETIRE = new LuaScript(`
if redis.call('HGET', KEYS[1], 'status') ~= ARGV[2] then
  redis.call('ZREM', KEYS[6], ARGV[1])
  return 0
end
redis.call('UNLINK', KEYS[1], KEYS[7], KEYS[8])
for i = 2, 6 do redis.call('ZREM', KEYS[i], ARGV[1]) end
return 1
`);

/** Proposals read per round trip when retiring or rebuilding the indexes. */
const BATCH = 500;

/** Retires the decided proposals of `keys.decided()` scored before `cutoffMs` (see ProposalStore). */
export async function retireDecided(
  redis: RedisConnection,
  keys: ProposalIndexKeys,
  cutoffMs: number,
  max: number,
): Promise<string[]> {
  const ids = await redis.zrangebyscore(keys.decided(), '-inf', String(cutoffMs), 'LIMIT', 0, max);
  const retired: string[] = [];
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const pipeline = redis.pipeline();
    for (const id of batch) pipeline.hmget(keys.proposal(id), 'status', 'json');
    const rows = replies<(string | null)[]>(await pipeline.exec());
    for (const [j, id] of batch.entries()) {
      const [status, json] = rows[j] ?? [];
      const proposal = json ? ProposalSchema.parse(JSON.parse(json)) : null;
      const { accountId = '', status: st = 'expired' } = proposal ?? {};
      const reply = await RETIRE.run(
        redis,
        [
          keys.proposal(id),
          keys.all(),
          keys.status(st),
          keys.account(accountId),
          keys.accountStatus(accountId, st),
          keys.decided(),
          keys.writeIntent(id),
          keys.slackMessage(id),
        ],
        [id, status ?? ''],
      );
      if (reply === 1) retired.push(id);
    }
  }
  return retired;
}

/** Builds the version-2 indexes once (see ProposalStore.ensureIndexes); concurrent runs are harmless. */
export async function ensureIndexes(
  redis: RedisConnection,
  keys: ProposalIndexKeys,
): Promise<{ rebuilt: number }> {
  if ((await redis.get(keys.version())) === INDEX_VERSION) return { rebuilt: 0 };
  const ids = await redis.zrange(keys.all(), 0, '-1', 'WITHSCORES');
  const accounts = new Set<string>();
  let rebuilt = 0;
  for (let i = 0; i < ids.length; i += 2 * BATCH) {
    const batch = ids.slice(i, i + 2 * BATCH);
    const pipeline = redis.pipeline();
    for (let j = 0; j < batch.length; j += 2) pipeline.hget(keys.proposal(batch[j] ?? ''), 'json');
    const rows = replies<string | null>(await pipeline.exec());
    const writes = redis.pipeline();
    rows.forEach((json, k) => {
      if (!json) return;
      const p = ProposalSchema.parse(JSON.parse(json));
      const score = batch[2 * k + 1] ?? '0';
      accounts.add(p.accountId);
      writes.zadd(keys.status(p.status), score, p.id);
      writes.zadd(keys.account(p.accountId), score, p.id);
      writes.zadd(keys.accountStatus(p.accountId, p.status), score, p.id);
      if (DECIDED_STATUSES.includes(p.status)) {
        writes.zadd(keys.decided(), String(Date.parse(p.updatedAt) || 0), p.id);
      }
      rebuilt += 1;
    });
    await writes.exec();
  }
  const legacy = [
    ...PROPOSAL_STATUSES.map((s) => keys.legacy('status', s)),
    ...[...accounts].map((a) => keys.legacy('account', a)),
  ];
  await redis.unlink(...legacy);
  await redis.set(keys.version(), INDEX_VERSION);
  return { rebuilt };
}

/** The replies of a pipeline, throwing its first error. */
export function replies<T>(results: [Error | null, unknown][] | null): T[] {
  return (results ?? []).map(([error, value]) => {
    if (error) throw error;
    return value as T;
  });
}
