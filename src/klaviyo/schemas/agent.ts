import { z } from 'zod';
import { DateTimeString, plainResourceSchema, responseEnum } from './common.js';

export const TONE_PRESETS = ['neutral', 'professional', 'friendly', 'playful', 'custom'] as const;
export const GUIDANCE_STATUSES = ['enabled', 'disabled'] as const;

/** An escalation rule or a communication style: a titled, switchable instruction. */
export const GuidanceItemSchema = z.looseObject({
  title: z.string(),
  description: z.string(),
  status: responseEnum(GUIDANCE_STATUSES, 'guidance.status'),
});
export type GuidanceItem = z.infer<typeof GuidanceItemSchema>;

export const CustomerAgentAttributesSchema = z.looseObject({
  name: z.string().nullish(),
  tone_of_voice: z.looseObject({
    preset: responseEnum(TONE_PRESETS, 'tone_of_voice.preset'),
    custom_instruction: z.string().nullish(),
    updated_at: DateTimeString.nullish(),
  }),
  escalation_rules: z.array(GuidanceItemSchema),
  communication_styles: z.array(GuidanceItemSchema),
});

/** The singleton Customer Agent (`customer-agent`). */
export const CustomerAgentSchema = plainResourceSchema(
  'customer-agent',
  CustomerAgentAttributesSchema,
);
export type CustomerAgent = z.infer<typeof CustomerAgentSchema>;

const GuidanceItemRequestSchema = z.strictObject({
  title: z.string().min(1),
  description: z.string().min(1),
  status: z.enum(GUIDANCE_STATUSES),
});

/**
 * PATCH attributes for the agent. `escalation_rules` and `communication_styles` REPLACE the whole
 * list when given: to add one rule, read the agent, append, and write the full list.
 */
export const CustomerAgentUpdateSchema = z.strictObject({
  name: z.string().nullish(),
  tone_of_voice: z
    .strictObject({
      preset: z.enum(TONE_PRESETS).nullish(),
      custom_instruction: z.string().nullish(),
    })
    .optional(),
  escalation_rules: z.array(GuidanceItemRequestSchema).nullish(),
  communication_styles: z.array(GuidanceItemRequestSchema).nullish(),
});
export type CustomerAgentUpdate = z.input<typeof CustomerAgentUpdateSchema>;
