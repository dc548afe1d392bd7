import type { Conversation, KlaviyoClient, Message } from '../klaviyo/index.js';
import { filter } from '../klaviyo/index.js';

/** A conversation with its messages, as the diagnoser reads it. */
export interface ConversationSnapshot {
  conversation: Conversation;
  messages: Message[];
}

export interface PullProgress {
  listed: number;
  withMessages: number;
}

export interface PullOptions {
  /** Only conversations created at or after this instant. */
  since: Date;
  /** Message fetches in flight at once; the client's rate limiter does the pacing. */
  concurrency?: number;
  onProgress?: (progress: PullProgress) => void;
}

/**
 * Pulls every conversation created since `since`, newest first, with its messages. Messages cost
 * one call each against the 60-a-minute conversations group, so they are fetched by a few
 * concurrent workers sharing one listing: the limiter, not this loop, sets the pace.
 */
export async function* pullConversations(
  client: KlaviyoClient,
  options: PullOptions,
): AsyncGenerator<ConversationSnapshot> {
  const progress: PullProgress = { listed: 0, withMessages: 0 };
  const listing = client.conversations.list({
    filter: filter().greaterOrEqual('created_at', options.since),
    pageSize: 100,
  });
  const iterator = listing[Symbol.asyncIterator]();
  const ready: ConversationSnapshot[] = [];
  let wake: (() => void) | undefined;
  let failure: unknown;
  let active = options.concurrency ?? 3;

  const worker = async () => {
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        progress.listed += 1;
        const messages: Message[] = [];
        for await (const message of client.conversations.messages(next.value.id)) {
          messages.push(message);
        }
        progress.withMessages += 1;
        options.onProgress?.({ ...progress });
        ready.push({ conversation: next.value, messages });
        wake?.();
      }
    } catch (error) {
      failure ??= error;
    } finally {
      active -= 1;
      wake?.();
    }
  };
  const workers = Array.from({ length: active }, worker);

  while (active > 0 || ready.length > 0) {
    if (failure) break;
    const snapshot = ready.shift();
    if (snapshot) {
      yield snapshot;
      continue;
    }
    await new Promise<void>((resolve) => (wake = resolve));
  }
  await Promise.allSettled(workers);
  if (failure) throw failure;
}
