import { PROPOSAL_STATUSES } from '../domain/proposal.js';
import { heldDraftsKey } from './held-drafts.js';
import { unlinkMatching, type RedisConnection } from '../redis.js';
import { accountKey, storePrefix, type StoreOptions } from './keys.js';
import { ProposalIndexKeys } from './proposal-index.js';

/**
 * Forgets one account: its snapshots, diagnoses, checkpoints and reports, its proposals and
 * their write intents. The audit log is append-only and keeps the account's history. Used by the
 * demo to start clean, and by an agency that stops serving a store.
 */
export async function purgeAccount(
  redis: RedisConnection,
  accountId: string,
  options: StoreOptions = {},
): Promise<{ keys: number; proposals: number }> {
  const prefix = storePrefix(options);
  const pattern = `${accountKey(prefix, accountId)}*`.replace(/[[\]?]/g, '\\$&');
  // The account's hash tag puts all its keys in one slot, so each UNLINK stays within a slot.
  const keys = await unlinkMatching(redis, pattern);
  const index = new ProposalIndexKeys(prefix);
  const ids = await redis.zrange(index.account(accountId), 0, '-1');
  if (ids.length > 0) {
    const pipeline = redis.multi();
    for (const id of ids) {
      pipeline.unlink(index.proposal(id), index.writeIntent(id), heldDraftsKey(prefix, id));
      pipeline.zrem(index.all(), id);
      pipeline.zrem(index.decided(), id);
      for (const status of PROPOSAL_STATUSES) pipeline.zrem(index.status(status), id);
    }
    pipeline.unlink(
      index.account(accountId),
      ...PROPOSAL_STATUSES.map((status) => index.accountStatus(accountId, status)),
    );
    await pipeline.exec();
  }
  return { keys, proposals: ids.length };
}
