import { z } from 'zod';
import { DateTimeString, ObjectLinksSchema, resourceSchema, toManySchema } from './common.js';

export const AgentSecretAttributesSchema = z.looseObject({
  name: z.string(),
  /** The last characters of the value; the value itself is never returned. */
  mask: z.string(),
  created_at: DateTimeString,
  updated_at: DateTimeString,
});

/** Secret metadata (`agent-secret`). */
export const AgentSecretSchema = resourceSchema(
  'agent-secret',
  AgentSecretAttributesSchema,
  z.looseObject({ 'agent-tools': toManySchema('agent-tool').optional() }),
);
export type AgentSecret = z.infer<typeof AgentSecretSchema>;

/**
 * What `GET /api/agent-tools/{id}/agent-secrets` returns: the spec types it as identifiers only,
 * so attributes are optional here.
 */
export const AgentSecretSummarySchema = z.looseObject({
  type: z.literal('agent-secret'),
  id: z.string().min(1),
  attributes: AgentSecretAttributesSchema.optional(),
  links: ObjectLinksSchema.optional(),
});
export type AgentSecretSummary = z.infer<typeof AgentSecretSummarySchema>;

// Klaviyo trims names before checking them, so a blank name is rejected here already.
const SecretName = z.string().refine((s) => s.trim().length > 0, 'must not be blank');

export const AgentSecretCreateSchema = z.strictObject({
  name: SecretName,
  value: z.string().min(1),
});
export type AgentSecretCreate = z.input<typeof AgentSecretCreateSchema>;

/** Rename and/or rotate the value. */
export const AgentSecretUpdateSchema = z.strictObject({
  name: SecretName.nullish(),
  value: z.string().min(1).nullish(),
});
export type AgentSecretUpdate = z.input<typeof AgentSecretUpdateSchema>;
