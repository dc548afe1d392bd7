import { z } from 'zod';
import type { SkillsResource } from '../../klaviyo/index.js';
import type { PatchKindModule, TargetState } from '../kind.js';
import { newTarget, normal, restoresNothing } from './shared.js';
import { SkillHandoffSchema } from './skill-update.js';

/** `skill.create`: a new skill, always a draft (a person makes it live). */

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
export type SkillCreatePatch = z.infer<typeof SkillCreatePatchSchema>;

const FIELDS = ['display_name', 'description', 'instructions', 'handoff', 'status'];

/** A skill of the same display name: identical → adopt it; different → the create conflicts. */
async function findSkill(
  client: { skills: Pick<SkillsResource, 'list'> },
  skill: SkillCreatePatch['skill'],
): Promise<TargetState> {
  const name = normal(skill.display_name).toLowerCase();
  const same = (await client.skills.list().toArray()).find(
    (s) => normal(s.attributes.display_name).toLowerCase() === name,
  );
  if (same === undefined) return { fields: {}, isCreate: true, resourceId: null };
  const a = same.attributes;
  if (
    normal(a.description) === normal(skill.description) &&
    normal(a.instructions) === normal(skill.instructions)
  ) {
    return { fields: {}, isCreate: true, resourceId: same.id };
  }
  return {
    fields: {
      display_name: a.display_name,
      description: a.description,
      instructions: a.instructions,
    },
    isCreate: true,
    resourceId: null,
    conflict: `A skill named "${a.display_name}" (${same.id}) already exists with other content; nothing was created. Edit that skill, or draft the new one under another name.`,
  };
}

export const skillCreate: PatchKindModule<SkillCreatePatch> = {
  creates: true,
  noun: 'skill',
  target: () => newTarget('agent-skill'),
  touchedFields: () => [...FIELDS],
  baselineFields: () => ({}),
  proposedFields: (patch) => ({ ...patch.skill }),
  label: (patch) => `new skill "${patch.skill.display_name}"`,
  summary: (patch) => `Add skill "${patch.skill.display_name}" (draft)`,
  mapText(patch, map) {
    const { skill } = patch;
    return {
      ...patch,
      skill: {
        ...skill,
        display_name: map(skill.display_name, 'skill.display_name'),
        description: map(skill.description, 'skill.description'),
        instructions: map(skill.instructions, 'skill.instructions'),
      },
    };
  },
  originalTexts: () => ({}),
  guidance: null,
  rebased: null,
  read: (client, patch) => findSkill(client, patch.skill),
  write: async (client: { skills: Pick<SkillsResource, 'create'> }, patch) =>
    (await client.skills.create({ ...patch.skill })).id,
  invert: null,
  restores: (patch) => restoresNothing(patch.kind),
};
