import type { Conversation, Message } from '../klaviyo/index.js';

/** A conversation with its messages, as the diagnoser reads it. */
export interface ConversationSnapshot {
  conversation: Conversation;
  messages: Message[];
}

/** Statuses after which a conversation's transcript is worth a message fetch. */
export const FINAL_STATUSES: ReadonlySet<string> = new Set([
  'resolved-by-ai',
  'routed-to-team',
  'closed',
]);
