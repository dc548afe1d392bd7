import { z } from 'zod';
import type { RedisConnection } from '../redis.js';
import { accountKey, controlKey, storePrefix, type StoreOptions } from './keys.js';
import { DAY_SECONDS } from '../time.js';

const MessageRefSchema = z.object({ channel: z.string(), ts: z.string() });
export type SlackMessageRef = z.infer<typeof MessageRefSchema>;

/** Long enough for any retry of the notify job; the message record itself does not expire. */
const ATTEMPT_TTL_SECONDS = 7 * DAY_SECONDS;

/** Longer than any window a synthesis reads, so a notice is posted once. */
const ANNOUNCED_TTL_SECONDS = 90 * DAY_SECONDS;

/**
 * Where each proposal's Slack message lives, so later steps update it and reply in its thread;
 * and which notices (suspicious conversations, held drafts) were posted, so each is posted once.
 */
export class SlackMessageStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisConnection,
    options: StoreOptions = {},
  ) {
    this.prefix = storePrefix(options);
  }

  async get(proposalId: string): Promise<SlackMessageRef | null> {
    const json = await this.redis.get(this.key(proposalId));
    return json === null ? null : MessageRefSchema.parse(JSON.parse(json));
  }

  /**
   * Marks the first attempt to post a proposal's message. False means an earlier attempt got
   * this far and may have posted before it died, so the caller looks for that message first.
   */
  async claimPost(proposalId: string): Promise<boolean> {
    const key = controlKey(this.prefix, 'slack-post-attempt', proposalId);
    return (await this.redis.set(key, '1', 'EX', ATTEMPT_TTL_SECONDS, 'NX')) === 'OK';
  }

  /** Records the message; an existing record wins (returns false), so a message is posted once. */
  async setOnce(proposalId: string, ref: SlackMessageRef): Promise<boolean> {
    return (await this.redis.set(this.key(proposalId), JSON.stringify(ref), 'NX')) === 'OK';
  }

  /**
   * The notices among `noticeIds` not yet posted for the account (a suspicious conversation, a
   * draft held behind a proposal: each is announced once).
   */
  async unannounced(accountId: string, noticeIds: readonly string[]): Promise<string[]> {
    if (noticeIds.length === 0) return [];
    const seen = await this.redis.smismember(this.announcedKey(accountId), ...noticeIds);
    return noticeIds.filter((_, i) => seen[i] !== 1);
  }

  /** Records notices as posted (after the post: a crash in between announces twice). */
  async markAnnounced(accountId: string, noticeIds: readonly string[]): Promise<void> {
    if (noticeIds.length === 0) return;
    const key = this.announcedKey(accountId);
    await this.redis
      .multi()
      .sadd(key, ...noticeIds)
      .expire(key, ANNOUNCED_TTL_SECONDS)
      .exec();
  }

  private announcedKey(accountId: string): string {
    return accountKey(this.prefix, accountId, 'announced');
  }

  private key(proposalId: string): string {
    return slackMessageKey(this.prefix, proposalId);
  }
}

/** Where a proposal's Slack message is recorded (retiring a proposal removes it too). */
export function slackMessageKey(prefix: string, proposalId: string): string {
  return controlKey(prefix, 'slack-message', proposalId);
}
