import { z } from 'zod';
import type { RedisConnection } from '../redis.js';
import { controlKey, storePrefix, type StoreOptions } from './keys.js';
import { DAY_SECONDS } from '../time.js';

const HeldDraftRecordSchema = z.object({
  findingId: z.string(),
  title: z.string(),
  reason: z.string(),
  at: z.string(),
});
/** A draft that synthesis held behind an undecided proposal on the same field. */
export type HeldDraftRecord = z.infer<typeof HeldDraftRecordSchema>;

/** Kept a while after the last run that held the draft; a later run records it again. */
const HELD_TTL_SECONDS = 30 * DAY_SECONDS;

/**
 * Drafts waiting behind each undecided proposal, so the proposal's page and `proposals show`
 * can say that deciding it lets the next change on the same field through.
 */
export class HeldDraftStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisConnection,
    options: StoreOptions = {},
  ) {
    this.prefix = storePrefix(options);
  }

  /** Records (or refreshes) a draft held behind `proposalId`, one entry per finding. */
  async record(proposalId: string, held: HeldDraftRecord): Promise<void> {
    const key = this.key(proposalId);
    await this.redis
      .multi()
      .hset(key, held.findingId, JSON.stringify(held))
      .expire(key, HELD_TTL_SECONDS)
      .exec();
  }

  /** The drafts waiting behind `proposalId`, oldest first. */
  async behind(proposalId: string): Promise<HeldDraftRecord[]> {
    const entries = Object.values(await this.redis.hgetall(this.key(proposalId)));
    return entries
      .map((json) => HeldDraftRecordSchema.parse(JSON.parse(json)))
      .sort((a, b) => a.at.localeCompare(b.at));
  }

  private key(proposalId: string): string {
    return heldDraftsKey(this.prefix, proposalId);
  }
}

/** The key of the drafts held behind one proposal (purged with its account). */
export function heldDraftsKey(prefix: string, proposalId: string): string {
  return controlKey(prefix, 'held-behind', proposalId);
}
