import { matches } from '../filters.js';
import { compareKeys } from '../pagination.js';
import { ConversationUpdate, parseBody } from '../request-schemas.js';
import { SandboxStore, type ConversationState, type MessageState } from '../store.js';
import { found, paged, single, type HandlerMap, type RequestContext } from './context.js';

/** Conversations (newest first, filterable) and their messages (oldest first). */
export const conversationHandlers: HandlerMap = {
  list_customer_agent_conversations_beta: (ctx) => {
    const conversations = ctx.store
      .conversationsNewestFirst()
      .filter((c) => ctx.query.filter.every((cond) => matches(fieldOf(c, cond.field), cond)));
    return paged(
      ctx,
      conversations,
      (c) => [c.created_at, c.id],
      (c) => ctx.ser.conversation(c),
      true,
    );
  },

  retrieve_customer_agent_conversation_beta: (ctx) =>
    single(
      ctx.ser.conversation(found(ctx.store.conversations, ctx.id, 'customer-agent-conversation')),
    ),

  update_customer_agent_conversation_beta: (ctx) => {
    const conversation = found(ctx.store.conversations, ctx.id, 'customer-agent-conversation');
    const { attributes } = parseBody(ConversationUpdate, ctx.body, {
      type: 'customer-agent-conversation',
      pathId: ctx.id,
    }).data;
    if (attributes.status === 'closed') conversation.status = 'closed';
    conversation.updated_at = SandboxStore.bump(conversation.updated_at, ctx.now());
    return single(ctx.ser.conversation(conversation));
  },

  get_agent_messages_for_customer_agent_conversation_beta: (ctx) =>
    paged(ctx, messagesOf(ctx), messageKey, (m) => ctx.ser.message(m)),

  get_agent_message_ids_for_customer_agent_conversation_beta: (ctx) =>
    paged(ctx, messagesOf(ctx), messageKey, (m) => ctx.ser.messageIdentifier(m)),
};

function fieldOf(conversation: ConversationState, field: string): string | number | null {
  if (field === 'created_at') return conversation.created_at;
  if (field === 'status') return conversation.status;
  return null;
}

function messagesOf(ctx: RequestContext): MessageState[] {
  const conversation = found(ctx.store.conversations, ctx.id, 'customer-agent-conversation');
  return conversation.messageIds
    .flatMap((id) => ctx.store.messages.get(id) ?? [])
    .sort((a, b) => compareKeys(messageKey(a), messageKey(b)));
}

/** Messages keep their order in the conversation; ids are numeric strings, padded to sort. */
function messageKey(message: MessageState): [number, string] {
  return [message.created_at, message.id.padStart(12, '0')];
}
