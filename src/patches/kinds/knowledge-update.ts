import { z } from 'zod';
import type { KnowledgeResource } from '../../klaviyo/index.js';
import { isRecord } from '../fields.js';
import type { Fields, PatchKindModule } from '../kind.js';
import {
  fieldWords,
  invertChanges,
  named,
  pickFields,
  sameFieldsMismatch,
  updateState,
} from './shared.js';

/** `knowledge.update`: a sparse edit of an existing snippet (its title and content). */

export const KnowledgeUpdatePatchSchema = z.object({
  kind: z.literal('knowledge.update'),
  knowledgeId: z.string().min(1),
  changes: z
    .object({ title: z.string().min(1).max(200), content: z.string().min(1).max(8000) })
    .partial()
    .refine((changes) => Object.keys(changes).length > 0, 'a snippet update must change a field'),
});
export type KnowledgeUpdatePatch = z.infer<typeof KnowledgeUpdatePatchSchema>;

const FIELDS = ['title', 'content'] as const;

const touchedFields = (patch: KnowledgeUpdatePatch): string[] =>
  FIELDS.filter((f) => patch.changes[f] !== undefined);

/** A knowledge item's title and content are read from its `source`. */
function baselineFields(patch: KnowledgeUpdatePatch, attributes: Fields): Record<string, unknown> {
  const source = attributes['source'];
  return pickFields(isRecord(source) ? source : attributes, touchedFields(patch));
}

export const knowledgeUpdate: PatchKindModule<KnowledgeUpdatePatch> = {
  creates: false,
  noun: 'knowledge snippet',
  target(patch, view) {
    const item = view.knowledge.find((k) => k.id === patch.knowledgeId);
    return {
      type: 'agent-knowledge',
      id: patch.knowledgeId,
      name: item?.title ?? undefined,
      attributes: item?.attributes ?? {},
      updatedAt: item?.updatedAt ?? null,
    };
  },
  touchedFields,
  baselineFields,
  proposedFields: (patch) => ({ ...patch.changes }),
  label: (patch, baseline, name) =>
    `knowledge snippet ${named(name, baseline.fields['title'], patch.knowledgeId)}`,
  summary: (patch) =>
    `Edit ${fieldWords(touchedFields(patch))} of knowledge snippet ${patch.knowledgeId}`,
  mapText(patch, map) {
    const changes = { ...patch.changes };
    if (changes.title !== undefined) changes.title = map(changes.title, 'changes.title');
    if (changes.content !== undefined) changes.content = map(changes.content, 'changes.content');
    return { ...patch, changes };
  },
  originalTexts(patch, current) {
    const item = current.knowledge.find((k) => k.id === patch.knowledgeId);
    return { 'changes.title': item?.title ?? null, 'changes.content': item?.content ?? null };
  },
  guidance: null,
  rebased: (patch, values) =>
    KnowledgeUpdatePatchSchema.parse({ ...patch, changes: { ...patch.changes, ...values } }),
  async read(client: { knowledge: Pick<KnowledgeResource, 'get'> }, patch) {
    const item = await client.knowledge.get(patch.knowledgeId);
    return updateState(baselineFields(patch, item.attributes), item.id);
  },
  write: async (client: { knowledge: Pick<KnowledgeResource, 'update'> }, patch) =>
    (await client.knowledge.update(patch.knowledgeId, patch.changes)).id,
  invert: (patch, before) =>
    invertChanges(before, touchedFields(patch), 'snippet', (changes) => ({
      kind: patch.kind,
      knowledgeId: patch.knowledgeId,
      changes,
    })),
  restores: (patch, before) => sameFieldsMismatch(patch.changes, before),
};
