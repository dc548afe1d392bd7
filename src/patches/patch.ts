import { z } from 'zod';
import { CommunicationStyleAddPatchSchema } from './kinds/communication-style-add.js';
import { CommunicationStyleEditPatchSchema } from './kinds/communication-style-edit.js';
import { EscalationRuleAddPatchSchema } from './kinds/escalation-rule-add.js';
import { EscalationRuleEditPatchSchema } from './kinds/escalation-rule-edit.js';
import { KnowledgeCreatePatchSchema } from './kinds/knowledge-create.js';
import { KnowledgeUpdatePatchSchema } from './kinds/knowledge-update.js';
import { SkillCreatePatchSchema } from './kinds/skill-create.js';
import { SkillUpdatePatchSchema } from './kinds/skill-update.js';
import { ToneUpdatePatchSchema } from './kinds/tone-update.js';

export type { GuidanceItem } from './guidance-list.js';

/**
 * A patch is data: one change to the agent's configuration, checked by the policy in code
 * (src/loop/policy/) before it can be proposed, rendered as a diff for people, and applied by the
 * apply job. Every patch kind names exactly the fields it touches, so apply can compare them with
 * the baseline the patch was drafted against and refuse a stale patch. Each kind is one module
 * under kinds/ (its schema and everything else about it), listed in `PATCH_KINDS` (kinds/index.ts).
 */

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
/** The patch of one kind. */
export type PatchOf<K extends PatchKind> = Extract<Patch, { kind: K }>;
/** Every kind's name, in the schema's order. */
export const PATCH_KIND_NAMES = PatchSchema.options.map((o) => o.shape.kind.value) as PatchKind[];

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
