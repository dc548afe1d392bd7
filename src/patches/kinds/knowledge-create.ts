import { z } from 'zod';
import type { KnowledgeResource } from '../../klaviyo/index.js';
import type { PatchKindModule, TargetState } from '../kind.js';
import { newTarget, normal, restoresNothing } from './shared.js';

/** `knowledge.create`: a new knowledge snippet. */

export const KnowledgeCreatePatchSchema = z.object({
  kind: z.literal('knowledge.create'),
  snippet: z.object({ title: z.string().min(1).max(200), content: z.string().min(1).max(8000) }),
});
export type KnowledgeCreatePatch = z.infer<typeof KnowledgeCreatePatchSchema>;

/** A snippet with the same title and content, if one exists (an earlier write, or a person's). */
async function findSnippet(
  client: { knowledge: Pick<KnowledgeResource, 'list' | 'get'> },
  snippet: KnowledgeCreatePatch['snippet'],
): Promise<TargetState> {
  const none: TargetState = { fields: {}, isCreate: true, resourceId: null };
  for (const item of await client.knowledge.list().toArray()) {
    const { source } = item.attributes;
    if (source.source_type !== 'snippet') continue;
    if (normal(source.title).toLowerCase() !== normal(snippet.title).toLowerCase()) continue;
    // Listings may leave the content out; read the item for it.
    const full =
      typeof source.content === 'string'
        ? source
        : (await client.knowledge.get(item.id)).attributes.source;
    const text = full.source_type === 'snippet' ? full.content : null;
    if (normal(text) === normal(snippet.content)) return { ...none, resourceId: item.id };
  }
  return none;
}

export const knowledgeCreate: PatchKindModule<KnowledgeCreatePatch> = {
  creates: true,
  noun: 'knowledge snippet',
  target: () => newTarget('agent-knowledge'),
  touchedFields: () => ['title', 'content'],
  baselineFields: () => ({}),
  proposedFields: (patch) => ({ ...patch.snippet }),
  label: (patch) => `new knowledge snippet "${patch.snippet.title}"`,
  summary: (patch) => `Add knowledge snippet "${patch.snippet.title}"`,
  mapText: (patch, map) => ({
    ...patch,
    snippet: {
      title: map(patch.snippet.title, 'snippet.title'),
      content: map(patch.snippet.content, 'snippet.content'),
    },
  }),
  originalTexts: () => ({}),
  guidance: null,
  rebased: null,
  read: (client, patch) => findSnippet(client, patch.snippet),
  write: async (client: { knowledge: Pick<KnowledgeResource, 'create'> }, patch) =>
    (await client.knowledge.create({ source_type: 'snippet', ...patch.snippet })).id,
  invert: null,
  restores: (patch) => restoresNothing(patch.kind),
};
