import { filterToString, type Filter } from '../filter.js';
import { operationPath } from '../operations.js';
import type { PageIterator } from '../pagination.js';
import { singleDocumentSchema } from '../schemas/common.js';
import {
  ConversationSchema,
  ConversationUpdateSchema,
  MessageSchema,
  type Conversation,
  type ConversationUpdate,
  type Message,
} from '../schemas/conversations.js';
import { validateRequest, withQuery } from '../request.js';
import type { Transport } from '../transport.js';
import { describeResource, paged, pageSizeParam, relatedIds, requireId } from './shared.js';

export interface ConversationListParams {
  /**
   * `greater-or-equal(created_at,…)`, `equals(status,"…")`, `any(status,[…])`; build it with
   * `filter()`.
   */
  filter?: string | Filter | undefined;
  /** 1…100. @defaultValue 50 (the API's default) */
  pageSize?: number | undefined;
  /** Resume a listing at this `page[cursor]` (from `Page.nextCursor`). */
  cursor?: string | undefined;
}

export interface ConversationsResource {
  /** Conversations, newest first. */
  list(params?: ConversationListParams): PageIterator<Conversation>;
  get(id: string): Promise<Conversation>;
  /** Closes a conversation (`status: 'closed'` is the only update). */
  update(id: string, attributes: ConversationUpdate): Promise<Conversation>;
  /** The conversation's messages; one call per 100 messages against the conversations group. */
  messages(id: string, params?: { pageSize?: number | undefined }): PageIterator<Message>;
  messageIds(id: string): Promise<string[]>;
}

const ConversationDocument = singleDocumentSchema(ConversationSchema);

export function createConversationsResource(t: Transport): ConversationsResource {
  const conversation = (id: string) =>
    describeResource('customer-agent-conversation', requireId(id, 'conversation'));

  return {
    list(params = {}) {
      const first = withQuery('/api/customer-agent-conversations', {
        filter: filterToString(params.filter),
        'page[size]': pageSizeParam(params.pageSize),
        'page[cursor]': params.cursor,
      });
      return paged(t, 'list_customer_agent_conversations_beta', first, ConversationSchema);
    },

    async get(id) {
      const op = 'retrieve_customer_agent_conversation_beta';
      const resource = conversation(id);
      const doc = await t.request(
        { operation: op, pathAndQuery: operationPath(op, id), resource },
        ConversationDocument,
      );
      return doc.data;
    },

    async update(id, attributes) {
      const op = 'update_customer_agent_conversation_beta';
      const resource = conversation(id);
      const valid = validateRequest(ConversationUpdateSchema, attributes, 'conversation update');
      const json = { data: { type: 'customer-agent-conversation', id, attributes: valid } };
      const doc = await t.request(
        { operation: op, pathAndQuery: operationPath(op, id), json, resource },
        ConversationDocument,
      );
      return doc.data;
    },

    messages(id, params = {}) {
      const op = 'get_agent_messages_for_customer_agent_conversation_beta';
      const resource = conversation(id);
      const first = withQuery(operationPath(op, id), {
        'page[size]': pageSizeParam(params.pageSize),
      });
      return paged(t, op, first, MessageSchema, resource);
    },

    async messageIds(id) {
      const op = 'get_agent_message_ids_for_customer_agent_conversation_beta';
      const resource = conversation(id);
      const first = withQuery(operationPath(op, id), { 'page[size]': 100 });
      return relatedIds(t, op, first, 'customer-agent-message', resource);
    },
  };
}
