import type {
  AgentResource,
  AgentSkill,
  Knowledge,
  KnowledgeResource,
  SkillsResource,
} from '../klaviyo/index.js';
import { guidanceItems, type GuidanceItem } from './guidance-list.js';

/**
 * The agent's configuration as synthesis reads it: fresh from the API at the start of a run (a
 * draft against a stale copy would be refused by apply anyway), with the raw attributes kept so a
 * proposal's baseline holds exactly what the API returned.
 */

/** The read methods synthesis uses; a `KlaviyoClient` satisfies it, and so can a test fake. */
export interface AgentConfigReader {
  agent: Pick<AgentResource, 'get'>;
  skills: Pick<SkillsResource, 'list'>;
  knowledge: Pick<KnowledgeResource, 'list' | 'get'>;
}

export interface SkillView {
  id: string;
  /** Machine name (snake_case); reports group by it. */
  name: string;
  displayName: string;
  description: string;
  instructions: string;
  status: string;
  handoff: string;
  /** Ids of the tools bound to it (its `agent-tools` relationship). */
  toolIds: string[];
  updatedAt: string | null;
  attributes: Record<string, unknown>;
}

export interface KnowledgeView {
  id: string;
  /** `other`: a source type this client does not know (kept in `attributes`). */
  sourceType: 'snippet' | 'webpage' | 'file' | 'other';
  /** Snippets and files. */
  title: string | null;
  /** Snippets only. */
  content: string | null;
  /** Webpages only. */
  url: string | null;
  status: string;
  updatedAt: string | null;
  attributes: Record<string, unknown>;
}

export interface AgentView {
  id: string;
  tone: { preset: string; custom_instruction: string | null };
  escalationRules: GuidanceItem[];
  communicationStyles: GuidanceItem[];
  updatedAt: string | null;
  attributes: Record<string, unknown>;
}

export interface AgentConfigView {
  /** When the configuration was read (ISO). */
  readAt: string;
  agent: AgentView;
  skills: SkillView[];
  knowledge: KnowledgeView[];
}

const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function skillView(skill: AgentSkill): SkillView {
  const a = skill.attributes;
  return {
    id: skill.id,
    name: a.name,
    displayName: a.display_name,
    description: a.description,
    instructions: a.instructions,
    status: a.status,
    handoff: a.handoff,
    toolIds: skill.relationships?.['agent-tools']?.data?.map((tool) => tool.id) ?? [],
    updatedAt: a.updated_at ?? null,
    attributes: { ...a },
  };
}

function knowledgeView(item: Knowledge): KnowledgeView {
  const { source } = item.attributes;
  return {
    id: item.id,
    sourceType: source.source_type,
    title: source.source_type === 'webpage' ? null : (source.title ?? null),
    content: source.source_type === 'snippet' ? (source.content ?? null) : null,
    url: source.source_type === 'webpage' ? (source.url ?? null) : null,
    status: item.attributes.status,
    updatedAt: item.attributes.updated_at,
    attributes: { ...item.attributes },
  };
}

/**
 * A snippet's content as the API has it: listings may leave it out (sparse fieldsets), and a
 * snippet edit is drafted against — and size-checked against — its full text.
 */
async function withContent(reader: AgentConfigReader, item: Knowledge): Promise<Knowledge> {
  const { source } = item.attributes;
  if (source.source_type !== 'snippet' || typeof source.content === 'string') return item;
  return reader.knowledge.get(item.id);
}

/** Reads the agent, every skill and every knowledge item, fresh. */
export async function readAgentConfig(
  reader: AgentConfigReader,
  options: { now?: () => Date } = {},
): Promise<AgentConfigView> {
  const readAt = (options.now ?? (() => new Date()))().toISOString();
  const [agent, skills, listed] = await Promise.all([
    reader.agent.get(),
    reader.skills.list().toArray(),
    reader.knowledge.list().toArray(),
  ]);
  const knowledge: Knowledge[] = [];
  for (const item of listed) knowledge.push(await withContent(reader, item));
  const a = agent.attributes;
  return {
    readAt,
    agent: {
      id: agent.id,
      tone: {
        preset: a.tone_of_voice.preset,
        custom_instruction: a.tone_of_voice.custom_instruction ?? null,
      },
      escalationRules: guidanceItems(a.escalation_rules),
      communicationStyles: guidanceItems(a.communication_styles),
      updatedAt: stringOrNull(a['updated_at']),
      attributes: { ...a },
    },
    skills: skills.map(skillView),
    knowledge: knowledge.map(knowledgeView),
  };
}
