import type { PageIterator } from '../pagination.js';
import { linkageRequest } from '../schemas/common.js';
import {
  AgentSkillCreateSchema,
  AgentSkillSchema,
  AgentSkillUpdateSchema,
  type AgentSkill,
  type AgentSkillCreate,
  type AgentSkillUpdate,
} from '../schemas/skills.js';
import type { Transport } from '../transport.js';
import { createCrud } from './crud.js';
import { paged, requireIds } from './shared.js';

export interface SkillToolOptions {
  /** The tools bound to the skill; on update this REPLACES the bound list. */
  toolIds?: string[] | undefined;
}

export interface SkillsResource {
  list(): PageIterator<AgentSkill>;
  get(id: string): Promise<AgentSkill>;
  create(attributes: AgentSkillCreate, opts?: SkillToolOptions): Promise<AgentSkill>;
  /** Sparse update: only the given attributes change. */
  update(id: string, attributes: AgentSkillUpdate, opts?: SkillToolOptions): Promise<AgentSkill>;
  delete(id: string): Promise<void>;
}

function toolRelationships(opts: SkillToolOptions | undefined) {
  if (opts?.toolIds === undefined) return {};
  const ids = requireIds(opts.toolIds, 'agent-tool');
  return { relationships: { 'agent-tools': linkageRequest('agent-tool', ids) } };
}

export function createSkillsResource(t: Transport): SkillsResource {
  const crud = createCrud(t, {
    type: 'agent-skill',
    path: '/api/agent-skills',
    ops: {
      get: 'get_agent_skill_beta',
      create: 'create_agent_skill_beta',
      update: 'update_agent_skill_beta',
      delete: 'delete_agent_skill_beta',
    },
    schema: AgentSkillSchema,
    createSchema: AgentSkillCreateSchema,
    updateSchema: AgentSkillUpdateSchema,
  });
  return {
    list: () => paged(t, 'get_agent_skills_beta', '/api/agent-skills', AgentSkillSchema),
    get: crud.get,
    create: async (attributes, opts) => crud.create(attributes, toolRelationships(opts)),
    update: async (id, attributes, opts) => crud.update(id, attributes, toolRelationships(opts)),
    delete: crud.delete,
  };
}
