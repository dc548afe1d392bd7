import { z } from 'zod';

/**
 * A patch is data: one change to the agent's configuration, checked by the policy in code
 * (src/loop/policy/) before it can be proposed, rendered as a diff for people, and applied by the
 * apply job. Every patch kind names exactly the fields it touches, so apply can compare them with
 * the baseline the patch was drafted against and refuse a stale patch.
 */

const SkillHandoffSchema = z.enum(['none', 'offer', 'immediate', 'all', 'custom']);
const GuidanceItemSchema = z.object({
  title: z.string().min(1).max(120),
  description: z.string().min(1).max(2000),
  status: z.enum(['enabled', 'disabled']),
});
export type GuidanceItem = z.infer<typeof GuidanceItemSchema>;

export const SkillUpdatePatchSchema = z.object({
  kind: z.literal('skill.update'),
  skillId: z.string().min(1),
  changes: z
    .object({
      description: z.string().min(1).max(2000),
      instructions: z.string().min(1).max(8000),
      handoff: SkillHandoffSchema,
      status: z.enum(['draft', 'live']),
    })
    .partial()
    .refine((changes) => Object.keys(changes).length > 0, 'a skill update must change a field'),
});

export const SkillCreatePatchSchema = z.object({
  kind: z.literal('skill.create'),
  skill: z.object({
    display_name: z.string().min(1).max(120),
    description: z.string().min(1).max(2000),
    instructions: z.string().min(1).max(8000),
    handoff: SkillHandoffSchema,
    /** New skills are always created as drafts; a person makes them live. */
    status: z.literal('draft'),
  }),
});

export const KnowledgeCreatePatchSchema = z.object({
  kind: z.literal('knowledge.create'),
  snippet: z.object({ title: z.string().min(1).max(200), content: z.string().min(1).max(8000) }),
});

export const KnowledgeUpdatePatchSchema = z.object({
  kind: z.literal('knowledge.update'),
  knowledgeId: z.string().min(1),
  changes: z
    .object({ title: z.string().min(1).max(200), content: z.string().min(1).max(8000) })
    .partial()
    .refine((changes) => Object.keys(changes).length > 0, 'a snippet update must change a field'),
});

export const EscalationRuleAddPatchSchema = z.object({
  kind: z.literal('agent.escalation-rule.add'),
  rule: GuidanceItemSchema,
});

export const EscalationRuleEditPatchSchema = z.object({
  kind: z.literal('agent.escalation-rule.edit'),
  /** The rule's current title identifies it (the API gives rules no ids). */
  title: z.string().min(1),
  rule: GuidanceItemSchema,
});

export const CommunicationStyleAddPatchSchema = z.object({
  kind: z.literal('agent.communication-style.add'),
  style: GuidanceItemSchema,
});

export const CommunicationStyleEditPatchSchema = z.object({
  kind: z.literal('agent.communication-style.edit'),
  title: z.string().min(1),
  style: GuidanceItemSchema,
});

export const ToneUpdatePatchSchema = z.object({
  kind: z.literal('agent.tone.update'),
  tone: z.object({
    preset: z.enum(['neutral', 'professional', 'friendly', 'playful', 'custom']),
    custom_instruction: z.string().max(2000).nullable(),
  }),
});

export const PatchSchema = z.discriminatedUnion('kind', [
  SkillUpdatePatchSchema,
  SkillCreatePatchSchema,
  KnowledgeCreatePatchSchema,
  KnowledgeUpdatePatchSchema,
  EscalationRuleAddPatchSchema,
  EscalationRuleEditPatchSchema,
  CommunicationStyleAddPatchSchema,
  CommunicationStyleEditPatchSchema,
  ToneUpdatePatchSchema,
]);
export type Patch = z.infer<typeof PatchSchema>;
export type PatchKind = Patch['kind'];
export const PATCH_KINDS = PatchSchema.options.map((o) => o.shape.kind.value) as PatchKind[];

/**
 * The state of the fields a patch touches, as read from the API when the patch was drafted.
 * `target` names the resource; `fields` holds the exact values (JSON) of the touched fields;
 * `null` target id means "the resource does not exist yet" (creates).
 */
export const BaselineSchema = z.object({
  target: z.object({
    type: z.enum(['agent-skill', 'agent-knowledge', 'customer-agent']),
    id: z.string().nullable(),
  }),
  fields: z.record(z.string(), z.unknown()),
  /** The resource's `updated_at` when read, if it has one (informational; fields decide). */
  updatedAt: z.string().nullable(),
  readAt: z.string(),
});
export type Baseline = z.infer<typeof BaselineSchema>;
