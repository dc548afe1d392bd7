import { singleDocumentSchema } from '../schemas/common.js';
import {
  SkillValuesReportQuerySchema,
  SkillValuesReportSchema,
  ValuesReportQuerySchema,
  ValuesReportSchema,
  type SkillValuesReport,
  type SkillValuesReportQuery,
  type ValuesReport,
  type ValuesReportQuery,
} from '../schemas/reports.js';
import {
  AgentResponseCreateSchema,
  AgentResponseSchema,
  type AgentResponse,
  type AgentResponseCreate,
} from '../schemas/responses.js';
import { validateRequest } from '../request.js';
import type { Transport } from '../transport.js';
import { requireId } from './shared.js';

export interface ReportsResource {
  /** Conversation volume and resolution rate, optionally grouped by channel or status. */
  values(attributes: ValuesReportQuery): Promise<ValuesReport>;
  /** Per-skill volume. */
  skillValues(attributes: SkillValuesReportQuery): Promise<SkillValuesReport>;
}

export interface ResponsesResource {
  /**
   * Runs the agent for one turn. `mode: 'preview'` is not billed and stays out of production
   * metrics. Pass `conversationId` to continue a conversation. Never retried once sent.
   */
  create(
    attributes: AgentResponseCreate,
    opts?: { conversationId?: string | undefined },
  ): Promise<AgentResponse>;
}

export function createReportsResource(t: Transport): ReportsResource {
  return {
    async values(attributes) {
      const valid = validateRequest(ValuesReportQuerySchema, attributes, 'values report query');
      const doc = await t.request(
        {
          operation: 'query_customer_agent_values_beta',
          pathAndQuery: '/api/customer-agent-values-reports',
          json: { data: { type: 'customer-agent-values-report', attributes: valid } },
        },
        singleDocumentSchema(ValuesReportSchema),
      );
      return doc.data;
    },

    async skillValues(attributes) {
      const valid = validateRequest(
        SkillValuesReportQuerySchema,
        attributes,
        'skill values report query',
      );
      const doc = await t.request(
        {
          operation: 'query_customer_agent_skill_values_beta',
          pathAndQuery: '/api/customer-agent-skill-values-reports',
          json: { data: { type: 'customer-agent-skill-values-report', attributes: valid } },
        },
        singleDocumentSchema(SkillValuesReportSchema),
      );
      return doc.data;
    },
  };
}

export function createResponsesResource(t: Transport): ResponsesResource {
  return {
    async create(attributes, opts = {}) {
      const valid = validateRequest(AgentResponseCreateSchema, attributes, 'agent response');
      const conversationId =
        opts.conversationId === undefined
          ? undefined
          : requireId(opts.conversationId, 'conversation');
      const relationships =
        conversationId === undefined
          ? {}
          : {
              relationships: {
                conversation: { data: { type: 'customer-agent-conversation', id: conversationId } },
              },
            };
      const doc = await t.request(
        {
          operation: 'create_customer_agent_response_beta',
          pathAndQuery: '/api/customer-agent-responses',
          json: { data: { type: 'customer-agent-response', attributes: valid, ...relationships } },
          // A preview is neither stored nor billed, so sending it twice is harmless: retry it
          // like an idempotent write (5xx, resets), unlike a live response.
          ...(valid.mode === 'preview' ? { retryClass: 'write' as const } : {}),
        },
        singleDocumentSchema(AgentResponseSchema),
      );
      return doc.data;
    },
  };
}
