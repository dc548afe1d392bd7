import { isDeepStrictEqual } from 'node:util';
import type { KlaviyoClient } from '../../klaviyo/index.js';
import { guidanceItems, guidanceStanding, guidanceWrite, isGuidancePatch } from './guidance.js';
import type { Patch } from '../../patches/patch.js';
import type { Proposal } from '../../domain/proposal.js';
import { baselineFieldsFor, proposedFields, touchedFields } from '../../patches/render-diff.js';

/**
 * Apply's target: read it fresh, compare it with the proposal's baseline, write the patch. No
 * state of its own: apply.ts decides, from what these return, whether and when to write.
 */

/** The Klaviyo resources apply reads and writes (the write key's client). */
export type ApplyClient = Pick<KlaviyoClient, 'skills' | 'knowledge' | 'agent'>;

/** What apply found at the patch's target. */
export interface TargetState {
  /** The touched fields now, in comparable form; `{}` for creates. */
  fields: Record<string, unknown>;
  isCreate: boolean;
  /** Updates: the target's id. Creates: the id of an identical existing item, or null. */
  resourceId: string | null;
  /** Creates: why an existing item blocks the create (same name, other content). */
  conflict?: string;
}

/** Fields as compared and written: rules and styles reduced to what a patch sets. */
export function comparable(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields)) {
    if (field === 'escalation_rules' || field === 'communication_styles')
      out[field] = guidanceItems(value);
    else if (field === 'tone_of_voice' && typeof value === 'object' && value !== null) {
      const tone = value as Record<string, unknown>;
      out[field] = {
        preset: tone['preset'] ?? null,
        custom_instruction: tone['custom_instruction'] ?? null,
      };
    } else out[field] = value;
  }
  return out;
}

/**
 * Where the target stands: as drafted against, as the patch makes it, or changed otherwise. A rule
 * or style patch is judged on its one item (see apply-guidance.ts), not on the whole list.
 */
export function classifyTarget(
  proposal: Pick<Proposal, 'patch' | 'baseline'>,
  state: TargetState,
): 'baseline' | 'proposed' | 'changed' {
  if (state.isCreate) {
    if (state.conflict !== undefined) return 'changed';
    return state.resourceId === null ? 'baseline' : 'proposed';
  }
  const { patch, baseline } = proposal;
  if (isGuidancePatch(patch)) return guidanceStanding(patch, baseline.fields, state.fields).where;
  const drafted = Object.fromEntries(
    touchedFields(patch).map((f) => [f, baseline.fields[f] ?? null]),
  );
  if (isDeepStrictEqual(state.fields, comparable(drafted))) return 'baseline';
  const proposed = comparable(proposedFields(patch, baseline.fields));
  return isDeepStrictEqual(state.fields, proposed) ? 'proposed' : 'changed';
}

const normal = (text: string | null | undefined): string =>
  (text ?? '').replace(/\s+/g, ' ').trim();

async function snippetSource(client: ApplyClient, id: string) {
  return (await client.knowledge.get(id)).attributes.source;
}

/** A snippet with the same title and content, if one exists. */
async function findSnippet(
  client: ApplyClient,
  snippet: { title: string; content: string },
): Promise<TargetState> {
  const none: TargetState = { fields: {}, isCreate: true, resourceId: null };
  for (const item of await client.knowledge.list().toArray()) {
    const { source } = item.attributes;
    if (source.source_type !== 'snippet') continue;
    if (normal(source.title).toLowerCase() !== normal(snippet.title).toLowerCase()) continue;
    // Listings may leave the content out; read the item for it.
    const full = typeof source.content === 'string' ? source : await snippetSource(client, item.id);
    const text = full.source_type === 'snippet' ? full.content : null;
    if (normal(text) === normal(snippet.content)) return { ...none, resourceId: item.id };
  }
  return none;
}

/** A skill of the same display name: identical → adopt it; different → the create conflicts. */
async function findSkill(
  client: ApplyClient,
  skill: { display_name: string; description: string; instructions: string },
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

/** Reads the target fresh (a GET, or a listing for creates). */
export async function readTarget(
  client: ApplyClient,
  proposal: Pick<Proposal, 'patch'>,
): Promise<TargetState> {
  const { patch } = proposal;
  const update = (attributes: Record<string, unknown>, id: string): TargetState => ({
    fields: comparable(baselineFieldsFor(patch, attributes)),
    isCreate: false,
    resourceId: id,
  });
  switch (patch.kind) {
    case 'skill.update': {
      const skill = await client.skills.get(patch.skillId);
      return update(skill.attributes, skill.id);
    }
    case 'knowledge.update': {
      const item = await client.knowledge.get(patch.knowledgeId);
      return update(item.attributes, item.id);
    }
    case 'knowledge.create':
      return findSnippet(client, patch.snippet);
    case 'skill.create':
      return findSkill(client, patch.skill);
    default: {
      const agent = await client.agent.get();
      return update(agent.attributes, agent.id);
    }
  }
}

/**
 * Writes the patch; returns the id of the written resource. Skill and snippet updates are sparse
 * PATCHes of the changed fields; a rule or style change writes the whole list, because the API
 * replaces it whole: the list as just read (`state`) with the patch's one item added or replaced,
 * so other items, changed since the draft by others, are kept as they are now.
 */
export async function writeTarget(
  client: ApplyClient,
  patch: Patch,
  state: TargetState,
): Promise<string> {
  switch (patch.kind) {
    case 'skill.update':
      return (await client.skills.update(patch.skillId, patch.changes)).id;
    case 'knowledge.update':
      return (await client.knowledge.update(patch.knowledgeId, patch.changes)).id;
    case 'skill.create':
      return (await client.skills.create({ ...patch.skill })).id;
    case 'knowledge.create':
      return (await client.knowledge.create({ source_type: 'snippet', ...patch.snippet })).id;
    case 'agent.tone.update':
      return (await client.agent.update({ tone_of_voice: { ...patch.tone } })).id;
    default:
      return (await client.agent.update(guidanceWrite(patch, state.fields))).id;
  }
}
