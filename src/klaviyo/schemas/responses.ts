import { z } from 'zod';
import { identifierSchema, resourceSchema, responseEnum } from './common.js';

export const CHANNELS = ['web-chat', 'sms', 'email', 'whatsapp'] as const;

/** Input of one turn (`POST /api/customer-agent-responses`). */
export const AgentResponseCreateSchema = z.strictObject({
  /** `preview` is not billed and stays out of production conversations and metrics. */
  mode: z.enum(['preview', 'live']),
  channel: z.enum(CHANNELS).optional(),
  /** The history with the new shopper message last. */
  messages: z
    .array(z.strictObject({ content: z.string().min(1), role: z.enum(['user', 'agent']) }))
    .min(1)
    .refine((m) => m[m.length - 1]?.role === 'user', {
      error: 'the last message must have role "user"',
    }),
  customer: z
    .strictObject({
      email: z.string().nullish(),
      first_name: z.string().nullish(),
      last_name: z.string().nullish(),
      phone_number: z.string().nullish(),
      profile_id: z.string().nullish(),
    })
    .optional(),
});
export type AgentResponseCreate = z.input<typeof AgentResponseCreateSchema>;

export const AgentResponseEventSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('message'), role: z.string(), content: z.string() }),
  z.looseObject({
    type: z.literal('handoff'),
    mode: responseEnum(['hard', 'soft', 'silent'], 'handoff.mode'),
    category: responseEnum(
      ['explicit-ask', 'escalation-rule', 'unintelligible-input', 'bad-billing-state'],
      'handoff.category',
    ).nullish(),
  }),
  z.looseObject({ type: z.literal('require-authentication') }),
  z.looseObject({ type: z.literal('error'), code: z.number(), message: z.string() }),
]);
export type AgentResponseEvent = z.infer<typeof AgentResponseEventSchema>;

/** The agent's answer for one turn (`customer-agent-response`); `id` equals the conversation id. */
export const AgentResponseSchema = resourceSchema(
  'customer-agent-response',
  z.looseObject({
    conversation_id: z.string().min(1),
    events: z.array(AgentResponseEventSchema),
  }),
  z.looseObject({
    conversation: z
      .looseObject({ data: identifierSchema('customer-agent-conversation').optional() })
      .optional(),
  }),
);
export type AgentResponse = z.infer<typeof AgentResponseSchema>;
