import { z } from 'zod';
import {
  DateTimeString,
  plainResourceSchema,
  resourceSchema,
  responseEnum,
  toManySchema,
} from './common.js';

/** `routed-to-team` means escalated to a human. */
export const CONVERSATION_STATUSES = [
  'open',
  'routed-to-team',
  'resolved-by-ai',
  'closed',
] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export const ConversationAttributesSchema = z.looseObject({
  status: responseEnum(CONVERSATION_STATUSES, 'conversation.status'),
  created_at: DateTimeString,
  updated_at: DateTimeString,
});

/** A production conversation (`customer-agent-conversation`); ticket-shaped, newest first. */
export const ConversationSchema = resourceSchema(
  'customer-agent-conversation',
  ConversationAttributesSchema,
  z.looseObject({ 'customer-agent-messages': toManySchema('customer-agent-message').optional() }),
);
export type Conversation = z.infer<typeof ConversationSchema>;

/** The only update the API accepts is closing the conversation. */
export const ConversationUpdateSchema = z.strictObject({ status: z.literal('closed') });
export type ConversationUpdate = z.input<typeof ConversationUpdateSchema>;

export const MessageAttributesSchema = z.looseObject({
  role: responseEnum(['user', 'agent'], 'message.role'),
  content: z.string(),
  created_at: DateTimeString,
  updated_at: DateTimeString,
});

/** One message of a conversation (`customer-agent-message`). */
export const MessageSchema = plainResourceSchema('customer-agent-message', MessageAttributesSchema);
export type Message = z.infer<typeof MessageSchema>;
