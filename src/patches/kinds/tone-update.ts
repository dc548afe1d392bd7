import { z } from 'zod';
import type { AgentResource } from '../../klaviyo/index.js';
import { isRecord, toneFields } from '../fields.js';
import type { PatchKindModule } from '../kind.js';
import { agentTarget, sameFieldsMismatch, shorten, updateState } from './shared.js';

/** `agent.tone.update`: the customer agent's tone of voice (a preset, or a custom instruction). */

export const ToneUpdatePatchSchema = z.object({
  kind: z.literal('agent.tone.update'),
  tone: z.object({
    preset: z.enum(['neutral', 'professional', 'friendly', 'playful', 'custom']),
    custom_instruction: z.string().max(2000).nullable(),
  }),
});
export type ToneUpdatePatch = z.infer<typeof ToneUpdatePatchSchema>;

/** Of `tone_of_voice`, only `preset` and `custom_instruction` are kept (not `updated_at`). */
function baselineFields(attributes: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const value = attributes['tone_of_voice'] ?? null;
  return { tone_of_voice: isRecord(value) ? toneFields(value) : structuredClone(value) };
}

export const toneUpdate: PatchKindModule<ToneUpdatePatch> = {
  creates: false,
  noun: 'tone of voice',
  target: (_patch, view) => agentTarget(view),
  touchedFields: () => ['tone_of_voice'],
  baselineFields: (_patch, attributes) => baselineFields(attributes),
  proposedFields: (patch) => ({ tone_of_voice: { ...patch.tone } }),
  label: () => 'customer agent',
  summary(patch) {
    const custom = patch.tone.custom_instruction;
    const detail = patch.tone.preset === 'custom' && custom ? `: "${shorten(custom)}"` : '';
    return `Set tone of voice to ${patch.tone.preset}${detail}`;
  },
  mapText(patch, map) {
    const custom = patch.tone.custom_instruction;
    const customInstruction = custom === null ? null : map(custom, 'tone.custom_instruction');
    return { ...patch, tone: { ...patch.tone, custom_instruction: customInstruction } };
  },
  originalTexts: (_patch, current) => ({
    'tone.custom_instruction': current.tone?.custom_instruction ?? null,
  }),
  guidance: null,
  rebased: null,
  async read(client: { agent: Pick<AgentResource, 'get'> }) {
    const agent = await client.agent.get();
    return updateState(baselineFields(agent.attributes), agent.id);
  },
  write: async (client: { agent: Pick<AgentResource, 'update'> }, patch) =>
    (await client.agent.update({ tone_of_voice: { ...patch.tone } })).id,
  invert(patch, before) {
    const tone = (before['tone_of_voice'] ?? {}) as Record<string, unknown>;
    return {
      ok: true,
      patch: {
        kind: patch.kind,
        tone: { preset: tone['preset'], custom_instruction: tone['custom_instruction'] ?? null },
      },
    };
  },
  restores: (patch, before) =>
    sameFieldsMismatch(
      { tone_of_voice: patch.tone },
      { tone_of_voice: toneFields(before['tone_of_voice']) },
    ),
};
