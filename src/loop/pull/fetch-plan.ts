import { createHash } from 'node:crypto';
import type { Conversation } from '../../klaviyo/index.js';

/**
 * Which conversations a pull fetches messages for when the window holds more than its budget.
 * The listing already says, for free, where failures concentrate: conversations routed to the
 * team or closed without resolution go first, then a sample of those the AI resolved (the sample
 * keeps silent failures visible), then the rest of those; within each, newest first (listing
 * order). What is over the budget is left for the following runs, and the oldest of it holds
 * the checkpoint so that it is listed again.
 */

/** Share of AI-resolved conversations fetched with the failures. */
export const RESOLVED_SAMPLE = 0.1;

/** 0: routed to the team or closed; 1: sampled AI resolutions; 2: the other AI resolutions. */
export function fetchTier(conversation: Conversation): 0 | 1 | 2 {
  if (conversation.attributes.status !== 'resolved-by-ai') return 0;
  return isSampled(conversation.id) ? 1 : 2;
}

/** Stable across runs and processes: a retried pull samples the same conversations. */
function isSampled(id: string): boolean {
  return createHash('sha256').update(id).digest().readUInt32BE(0) / 2 ** 32 < RESOLVED_SAMPLE;
}

interface Entry {
  conversation: Conversation;
  tier: number;
  order: number;
}

/** Keeps the best `budget` conversations offered; holds at most twice that many at once. */
export class FetchPlan {
  private entries: Entry[] = [];
  private added = 0;
  private deferred = 0;
  private oldestDeferred: string | null = null;

  constructor(private budget: number) {}

  /** Takes fetches already made by the run (an earlier attempt of it) off the budget. */
  spent(fetches: number): void {
    this.budget = Math.max(0, this.budget - fetches);
  }

  add(conversation: Conversation): void {
    this.entries.push({ conversation, tier: fetchTier(conversation), order: this.added });
    this.added += 1;
    if (this.entries.length >= 2 * this.budget) this.compact();
  }

  /** The conversations to fetch now, in order, and what was left for later. */
  take(): { selected: Conversation[]; deferred: number; oldestDeferred: string | null } {
    this.compact();
    return {
      selected: this.entries.map((e) => e.conversation),
      deferred: this.deferred,
      oldestDeferred: this.oldestDeferred,
    };
  }

  private compact(): void {
    this.entries.sort((a, b) => a.tier - b.tier || a.order - b.order);
    const over = this.entries.length > this.budget ? this.entries.splice(this.budget) : [];
    for (const { conversation } of over) {
      const createdAt = conversation.attributes.created_at;
      if (this.oldestDeferred === null || createdAt < this.oldestDeferred) {
        this.oldestDeferred = createdAt;
      }
    }
    this.deferred += over.length;
  }
}
