import { z } from 'zod';
import type { RedisConnection } from '../redis.js';
import { controlKey, storePrefix, type StoreOptions } from './keys.js';
import { DAY_SECONDS } from '../time.js';

const MessageRefSchema = z.object({ channel: z.string(), ts: z.string() });
export type SlackMessageRef = z.infer<typeof MessageRefSchema>;

/** Long enough for any retry of the notify job; the message record itself does not expire. */
const ATTEMPT_TTL_SECONDS = 7 * DAY_SECONDS;

/** Where each proposal's Slack message lives, so later steps update it and reply in its thread. */
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

  private key(proposalId: string): string {
    return slackMessageKey(this.prefix, proposalId);
  }
}

/** Where a proposal's Slack message is recorded (retiring a proposal removes it too). */
export function slackMessageKey(prefix: string, proposalId: string): string {
  return controlKey(prefix, 'slack-message', proposalId);
}
