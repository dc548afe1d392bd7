import type { Filter } from '../filter.js';
import { filterToString } from '../filter.js';
import { operationPath } from '../operations.js';
import type { PageIterator } from '../pagination.js';
import { AgentSecretSummarySchema, type AgentSecretSummary } from '../schemas/secrets.js';
import { AgentSkillSchema, type AgentSkill } from '../schemas/skills.js';
import {
  AgentToolCreateSchema,
  AgentToolSchema,
  AgentToolUpdateSchema,
  type AgentTool,
  type AgentToolCreate,
  type AgentToolUpdate,
} from '../schemas/tools.js';
import { withQuery } from '../request.js';
import type { Transport } from '../transport.js';
import { createCrud } from './crud.js';
import { describeResource, paged, pageSizeParam, relatedIds, requireId } from './shared.js';

export interface ToolListParams {
  /** Filters: `contains(name,…)`, `equals(tool_type,…)`, `created_at`/`updated_at` comparisons. */
  filter?: string | Filter | undefined;
  pageSize?: number | undefined;
}

export interface ToolsResource {
  list(params?: ToolListParams): PageIterator<AgentTool>;
  get(id: string): Promise<AgentTool>;
  /** Creates a custom HTTPS tool; it is callable once bound to a skill. */
  create(attributes: AgentToolCreate): Promise<AgentTool>;
  update(id: string, attributes: AgentToolUpdate): Promise<AgentTool>;
  delete(id: string): Promise<void>;
  /** Ids of the skills that can call this tool. */
  listSkillIds(id: string): Promise<string[]>;
  /** The skills that can call this tool. */
  listSkills(id: string): PageIterator<AgentSkill>;
  /** Ids of the secrets this tool references. */
  listSecretIds(id: string): Promise<string[]>;
  /** The secrets this tool references (the spec returns identifiers; attributes when sent). */
  listSecrets(id: string): Promise<AgentSecretSummary[]>;
}

export function createToolsResource(t: Transport): ToolsResource {
  const crud = createCrud(t, {
    type: 'agent-tool',
    path: '/api/agent-tools',
    ops: {
      get: 'get_agent_tool_beta',
      create: 'create_agent_tool_beta',
      update: 'update_agent_tool_beta',
      delete: 'delete_agent_tool_beta',
    },
    schema: AgentToolSchema,
    createSchema: AgentToolCreateSchema,
    updateSchema: AgentToolUpdateSchema,
  });
  const tool = (id: string) => describeResource('agent-tool', requireId(id, 'agent-tool'));

  return {
    list(params = {}) {
      const first = withQuery('/api/agent-tools', {
        filter: filterToString(params.filter),
        'page[size]': pageSizeParam(params.pageSize),
      });
      return paged(t, 'get_agent_tools_beta', first, AgentToolSchema);
    },
    get: crud.get,
    create: (attributes) => crud.create(attributes),
    update: (id, attributes) => crud.update(id, attributes),
    delete: crud.delete,

    async listSkillIds(id) {
      const op = 'get_skill_ids_for_agent_tool_beta';
      const resource = tool(id);
      return relatedIds(t, op, operationPath(op, id), 'agent-skill', resource);
    },
    listSkills(id) {
      const op = 'get_skills_for_agent_tool_beta';
      return paged(
        t,
        op,
        operationPath(op, requireId(id, 'agent-tool')),
        AgentSkillSchema,
        tool(id),
      );
    },
    async listSecretIds(id) {
      const op = 'get_secret_ids_for_agent_tool_beta';
      const resource = tool(id);
      return relatedIds(t, op, operationPath(op, id), 'agent-secret', resource);
    },
    async listSecrets(id) {
      const op = 'get_secrets_for_agent_tool_beta';
      const path = operationPath(op, requireId(id, 'agent-tool'));
      return paged(t, op, path, AgentSecretSummarySchema, tool(id)).toArray();
    },
  };
}
