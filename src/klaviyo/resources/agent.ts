import { operationPath } from '../operations.js';
import {
  CustomerAgentSchema,
  CustomerAgentUpdateSchema,
  type CustomerAgent,
  type CustomerAgentUpdate,
} from '../schemas/agent.js';
import { singleDocumentSchema } from '../schemas/common.js';
import { validateRequest } from '../request.js';
import type { Transport } from '../transport.js';

/**
 * Any id works for reading the singleton agent: the API resolves the agent from the key. We read
 * with this placeholder, remember the real id, and use it for PATCH (where `data.id` must equal
 * the path id).
 */
export const AGENT_ID_PLACEHOLDER = 'me';

const AgentDocument = singleDocumentSchema(CustomerAgentSchema);

export interface AgentResource {
  /** Reads the Customer Agent (one per account). */
  get(): Promise<CustomerAgent>;
  /**
   * Patches the agent. `escalation_rules` and `communication_styles` replace the whole list:
   * read, append, then write. Takes effect on the next turn.
   */
  update(attributes: CustomerAgentUpdate): Promise<CustomerAgent>;
}

export function createAgentResource(transport: Transport, configuredId?: string): AgentResource {
  let agentId = configuredId;

  const get = async (): Promise<CustomerAgent> => {
    const doc = await transport.request(
      {
        operation: 'get_customer_agent_beta',
        pathAndQuery: operationPath('get_customer_agent_beta', agentId ?? AGENT_ID_PLACEHOLDER),
        resource: 'the customer agent',
      },
      AgentDocument,
    );
    agentId = doc.data.id;
    return doc.data;
  };

  const update = async (attributes: CustomerAgentUpdate): Promise<CustomerAgent> => {
    const valid = validateRequest(CustomerAgentUpdateSchema, attributes, 'customer agent update');
    const id = agentId ?? (await get()).id;
    const doc = await transport.request(
      {
        operation: 'update_customer_agent_beta',
        pathAndQuery: operationPath('update_customer_agent_beta', id),
        json: { data: { type: 'customer-agent', id, attributes: valid } },
        resource: `customer-agent ${JSON.stringify(id)}`,
      },
      AgentDocument,
    );
    return doc.data;
  };

  return { get, update };
}
