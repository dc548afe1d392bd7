import { z } from 'zod';
import type { SkillsResource } from '../../klaviyo/index.js';
import type { PatchKindModule } from '../kind.js';
import {
  fieldWords,
  invertChanges,
  named,
  pickFields,
  sameFieldsMismatch,
  updateState,
} from './shared.js';

/** `skill.update`: a sparse edit of an existing skill. */

export const SkillHandoffSchema = z.enum(['none', 'offer', 'immediate', 'all', 'custom']);

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
export type SkillUpdatePatch = z.infer<typeof SkillUpdatePatchSchema>;

const FIELDS = ['description', 'instructions', 'handoff', 'status'] as const;

const touchedFields = (patch: SkillUpdatePatch): string[] =>
  FIELDS.filter((f) => patch.changes[f] !== undefined);

export const skillUpdate: PatchKindModule<SkillUpdatePatch> = {
  creates: false,
  noun: 'skill',
  target(patch, view) {
    const skill = view.skills.find((s) => s.id === patch.skillId);
    return {
      type: 'agent-skill',
      id: patch.skillId,
      name: skill?.displayName,
      attributes: skill?.attributes ?? {},
      updatedAt: skill?.updatedAt ?? null,
    };
  },
  touchedFields,
  baselineFields: (patch, attributes) => pickFields(attributes, touchedFields(patch)),
  proposedFields: (patch) => ({ ...patch.changes }),
  label: (patch, baseline, name) =>
    `skill ${named(name, baseline.fields['display_name'], patch.skillId)}`,
  summary: (patch) => `Edit ${fieldWords(touchedFields(patch))} of skill ${patch.skillId}`,
  mapText(patch, map) {
    const changes = { ...patch.changes };
    if (changes.description !== undefined) {
      changes.description = map(changes.description, 'changes.description');
    }
    if (changes.instructions !== undefined) {
      changes.instructions = map(changes.instructions, 'changes.instructions');
    }
    return { ...patch, changes };
  },
  originalTexts(patch, current) {
    const skill = current.skills.find((s) => s.id === patch.skillId);
    return {
      'changes.description': skill?.description ?? null,
      'changes.instructions': skill?.instructions ?? null,
    };
  },
  guidance: null,
  rebased: (patch, values) =>
    SkillUpdatePatchSchema.parse({ ...patch, changes: { ...patch.changes, ...values } }),
  async read(client: { skills: Pick<SkillsResource, 'get'> }, patch) {
    const skill = await client.skills.get(patch.skillId);
    return updateState(pickFields(skill.attributes, touchedFields(patch)), skill.id);
  },
  write: async (client: { skills: Pick<SkillsResource, 'update'> }, patch) =>
    (await client.skills.update(patch.skillId, patch.changes)).id,
  invert: (patch, before) =>
    invertChanges(before, touchedFields(patch), 'skill', (changes) => ({
      kind: patch.kind,
      skillId: patch.skillId,
      changes,
    })),
  restores: (patch, before) => sameFieldsMismatch(patch.changes, before),
};
