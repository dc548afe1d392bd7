import { z } from 'zod';
import { DateTimeString, resourceSchema, responseEnum, toManySchema } from './common.js';

export const SKILL_STATUSES = ['draft', 'live', 'disabled', 'unavailable'] as const;
export const SKILL_HANDOFFS = ['none', 'offer', 'immediate', 'all', 'custom'] as const;
/** The statuses a client may set; `disabled` and `unavailable` are set by Klaviyo. */
export const SKILL_WRITABLE_STATUSES = ['draft', 'live'] as const;

export const AgentSkillAttributesSchema = z.looseObject({
  source: responseEnum(['custom', 'prebuilt'], 'skill.source'),
  display_name: z.string(),
  name: z.string(),
  description: z.string(),
  instructions: z.string(),
  status: responseEnum(SKILL_STATUSES, 'skill.status'),
  handoff: responseEnum(SKILL_HANDOFFS, 'skill.handoff'),
  created_at: DateTimeString.nullish(),
  updated_at: DateTimeString.nullish(),
});
export type AgentSkillAttributes = z.infer<typeof AgentSkillAttributesSchema>;

/** A skill (`agent-skill`) with its bound `agent-tools`. */
export const AgentSkillSchema = resourceSchema(
  'agent-skill',
  AgentSkillAttributesSchema,
  z.looseObject({ 'agent-tools': toManySchema('agent-tool').optional() }),
);
export type AgentSkill = z.infer<typeof AgentSkillSchema>;

export const AgentSkillCreateSchema = z.strictObject({
  display_name: z.string().min(1),
  description: z.string().min(1),
  instructions: z.string().min(1),
  status: z.enum(SKILL_WRITABLE_STATUSES),
  handoff: z.enum(SKILL_HANDOFFS).nullish(),
});
export type AgentSkillCreate = z.input<typeof AgentSkillCreateSchema>;

/** Sparse PATCH attributes: only the given fields change. */
export const AgentSkillUpdateSchema = z.strictObject({
  display_name: z.string().min(1).nullish(),
  description: z.string().min(1).nullish(),
  instructions: z.string().min(1).nullish(),
  status: z.enum(SKILL_WRITABLE_STATUSES).nullish(),
  handoff: z.enum(SKILL_HANDOFFS).nullish(),
});
export type AgentSkillUpdate = z.input<typeof AgentSkillUpdateSchema>;
