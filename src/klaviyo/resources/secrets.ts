import { operationPath } from '../operations.js';
import type { PageIterator } from '../pagination.js';
import {
  AgentSecretCreateSchema,
  AgentSecretSchema,
  AgentSecretUpdateSchema,
  type AgentSecret,
  type AgentSecretCreate,
  type AgentSecretUpdate,
} from '../schemas/secrets.js';
import { AgentToolSchema, type AgentTool } from '../schemas/tools.js';
import type { Transport } from '../transport.js';
import { createCrud } from './crud.js';
import { describeResource, paged, relatedIds, requireId } from './shared.js';

export interface SecretsResource {
  /** Secret metadata (name, mask, timestamps); values are never returned. */
  list(): PageIterator<AgentSecret>;
  get(id: string): Promise<AgentSecret>;
  /** A duplicate name is answered with 409. */
  create(attributes: AgentSecretCreate): Promise<AgentSecret>;
  /** Renames and/or rotates the value. */
  update(id: string, attributes: AgentSecretUpdate): Promise<AgentSecret>;
  delete(id: string): Promise<void>;
  listToolIds(id: string): Promise<string[]>;
  listTools(id: string): PageIterator<AgentTool>;
}

export function createSecretsResource(t: Transport): SecretsResource {
  const crud = createCrud(t, {
    type: 'agent-secret',
    path: '/api/agent-secrets',
    ops: {
      get: 'get_agent_secret_beta',
      create: 'create_agent_secret_beta',
      update: 'update_agent_secret_beta',
      delete: 'delete_agent_secret_beta',
    },
    schema: AgentSecretSchema,
    createSchema: AgentSecretCreateSchema,
    updateSchema: AgentSecretUpdateSchema,
  });
  const secret = (id: string) => describeResource('agent-secret', requireId(id, 'agent-secret'));

  return {
    list: () => paged(t, 'get_agent_secrets_beta', '/api/agent-secrets', AgentSecretSchema),
    get: crud.get,
    create: (attributes) => crud.create(attributes),
    update: (id, attributes) => crud.update(id, attributes),
    delete: crud.delete,
    async listToolIds(id) {
      const op = 'get_tool_ids_for_agent_secret_beta';
      const resource = secret(id);
      return relatedIds(t, op, operationPath(op, id), 'agent-tool', resource);
    },
    listTools(id) {
      const op = 'get_tools_for_agent_secret_beta';
      const resource = secret(id);
      return paged(t, op, operationPath(op, id), AgentToolSchema, resource);
    },
  };
}
