import type { Redis } from 'ioredis';
import { z } from 'zod';
import { controlKey, storePrefix, type StoreOptions } from './keys.js';

const MessageRefSchema = z.object({ channel: z.string(), ts: z.string() });
export type SlackMessageRef = z.infer<typeof MessageRefSchema>;

/** Where each proposal's Slack message lives, so later steps update it and reply in its thread. */
export class SlackMessageStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    options: StoreOptions = {},
  ) {
    this.prefix = storePrefix(options);
  }

  async get(proposalId: string): Promise<SlackMessageRef | null> {
    const json = await this.redis.get(this.key(proposalId));
    return json === null ? null : MessageRefSchema.parse(JSON.parse(json));
  }

  /** Records the message; an existing record wins (returns false), so a message is posted once. */
  async setOnce(proposalId: string, ref: SlackMessageRef): Promise<boolean> {
    return (await this.redis.set(this.key(proposalId), JSON.stringify(ref), 'NX')) === 'OK';
  }

  private key(proposalId: string): string {
    return controlKey(this.prefix, 'slack-message', proposalId);
  }
}
