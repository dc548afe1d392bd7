import { MINUTE_MS, SECOND_MS } from '../time.js';

/**
 * Every operation of the Customer Agent spec (`customer-agent.openapi.json`, 37 operations), keyed
 * by its `operationId`. The group, scope and rate limits are copied from the spec's
 * `x-klaviyo-ratelimit` and `x-klaviyo-scopes`; a unit test reads the spec file and checks each
 * row, so this table cannot drift silently.
 */

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** Endpoint groups that share one rate-limit bucket on the server. */
export type KlaviyoEndpointGroup = 'conversations' | 'config';

/**
 * How an operation may be retried. `read` and `write` (PATCH, DELETE, the two report POSTs) are
 * safe to repeat; a `create` makes something new and is repeated only when it provably never
 * reached the server.
 */
export type RetryClass = 'read' | 'write' | 'create';

export interface OperationDef {
  readonly method: HttpMethod;
  /** Path template with `{id}` placeholders, as in the spec. */
  readonly path: string;
  readonly group: KlaviyoEndpointGroup;
  readonly scope: 'agents:read' | 'agents:write';
  readonly retryClass: RetryClass;
}

export interface RateWindow {
  readonly limit: number;
  readonly windowMs: number;
}

export interface GroupLimits {
  readonly burst: RateWindow;
  readonly steady: RateWindow;
}

/** The spec's two rate-limit tiers: burst per second and steady per minute. */
export const GROUP_LIMITS: Readonly<Record<KlaviyoEndpointGroup, GroupLimits>> = {
  conversations: {
    burst: { limit: 3, windowMs: SECOND_MS },
    steady: { limit: 60, windowMs: MINUTE_MS },
  },
  config: {
    burst: { limit: 10, windowMs: SECOND_MS },
    steady: { limit: 150, windowMs: MINUTE_MS },
  },
};

function op(
  method: HttpMethod,
  path: string,
  group: KlaviyoEndpointGroup,
  scope: OperationDef['scope'],
  retryClass?: RetryClass,
): OperationDef {
  return { method, path, group, scope, retryClass: retryClass ?? defaultRetryClass(method) };
}

function defaultRetryClass(method: HttpMethod): RetryClass {
  if (method === 'GET') return 'read';
  return method === 'POST' ? 'create' : 'write';
}

const CONV = 'conversations';
const CFG = 'config';
const R = 'agents:read';
const W = 'agents:write';

export const OPERATIONS = {
  list_agent_knowledge_beta: op('GET', '/api/agent-knowledge', CFG, R),
  create_agent_knowledge_beta: op('POST', '/api/agent-knowledge', CFG, W),
  get_agent_knowledge_beta: op('GET', '/api/agent-knowledge/{id}', CFG, R),
  update_agent_knowledge_beta: op('PATCH', '/api/agent-knowledge/{id}', CFG, W),
  delete_agent_knowledge_beta: op('DELETE', '/api/agent-knowledge/{id}', CFG, W),
  create_agent_knowledge_file_beta: op('POST', '/api/agent-knowledge-files', CFG, W),
  retrieve_customer_agent_conversation_beta: op(
    'GET',
    '/api/customer-agent-conversations/{id}',
    CONV,
    R,
  ),
  update_customer_agent_conversation_beta: op(
    'PATCH',
    '/api/customer-agent-conversations/{id}',
    CONV,
    W,
  ),
  list_customer_agent_conversations_beta: op('GET', '/api/customer-agent-conversations', CONV, R),
  get_agent_message_ids_for_customer_agent_conversation_beta: op(
    'GET',
    '/api/customer-agent-conversations/{id}/relationships/customer-agent-messages',
    CONV,
    R,
  ),
  get_agent_messages_for_customer_agent_conversation_beta: op(
    'GET',
    '/api/customer-agent-conversations/{id}/customer-agent-messages',
    CONV,
    R,
  ),
  get_customer_agent_beta: op('GET', '/api/customer-agents/{id}', CFG, R),
  update_customer_agent_beta: op('PATCH', '/api/customer-agents/{id}', CFG, W),
  create_customer_agent_response_beta: op('POST', '/api/customer-agent-responses', CFG, W),
  get_agent_secrets_beta: op('GET', '/api/agent-secrets', CFG, R),
  create_agent_secret_beta: op('POST', '/api/agent-secrets', CFG, W),
  get_agent_secret_beta: op('GET', '/api/agent-secrets/{id}', CFG, R),
  update_agent_secret_beta: op('PATCH', '/api/agent-secrets/{id}', CFG, W),
  delete_agent_secret_beta: op('DELETE', '/api/agent-secrets/{id}', CFG, W),
  get_tool_ids_for_agent_secret_beta: op(
    'GET',
    '/api/agent-secrets/{id}/relationships/agent-tools',
    CFG,
    R,
  ),
  get_tools_for_agent_secret_beta: op('GET', '/api/agent-secrets/{id}/agent-tools', CFG, R),
  get_agent_skills_beta: op('GET', '/api/agent-skills', CFG, R),
  create_agent_skill_beta: op('POST', '/api/agent-skills', CFG, W),
  get_agent_skill_beta: op('GET', '/api/agent-skills/{id}', CFG, R),
  update_agent_skill_beta: op('PATCH', '/api/agent-skills/{id}', CFG, W),
  delete_agent_skill_beta: op('DELETE', '/api/agent-skills/{id}', CFG, W),
  // The two report POSTs only read: repeating one cannot create anything twice.
  query_customer_agent_skill_values_beta: op(
    'POST',
    '/api/customer-agent-skill-values-reports',
    CONV,
    R,
    'read',
  ),
  create_agent_tool_beta: op('POST', '/api/agent-tools', CFG, W),
  get_agent_tools_beta: op('GET', '/api/agent-tools', CFG, R),
  get_agent_tool_beta: op('GET', '/api/agent-tools/{id}', CFG, R),
  update_agent_tool_beta: op('PATCH', '/api/agent-tools/{id}', CFG, W),
  delete_agent_tool_beta: op('DELETE', '/api/agent-tools/{id}', CFG, W),
  get_skill_ids_for_agent_tool_beta: op(
    'GET',
    '/api/agent-tools/{id}/relationships/agent-skills',
    CFG,
    R,
  ),
  get_skills_for_agent_tool_beta: op('GET', '/api/agent-tools/{id}/agent-skills', CFG, R),
  get_secret_ids_for_agent_tool_beta: op(
    'GET',
    '/api/agent-tools/{id}/relationships/agent-secrets',
    CFG,
    R,
  ),
  get_secrets_for_agent_tool_beta: op('GET', '/api/agent-tools/{id}/agent-secrets', CFG, R),
  query_customer_agent_values_beta: op(
    'POST',
    '/api/customer-agent-values-reports',
    CONV,
    R,
    'read',
  ),
} as const satisfies Record<string, OperationDef>;

/** The spec's `operationId` of every operation the client can call. */
export type KlaviyoOperationId = keyof typeof OPERATIONS;

/**
 * Fills `{id}` in an operation's path template. The id is URL-encoded, except `:` (legal in a
 * path segment), which Klaviyo's prefixed ids such as skill ids may contain.
 */
export function operationPath(operation: KlaviyoOperationId, id?: string): string {
  const template: string = OPERATIONS[operation].path;
  if (!template.includes('{id}')) return template;
  if (id === undefined) throw new Error(`operation ${operation} needs an id`);
  return template.replace('{id}', encodeURIComponent(id).replace(/%3A/gi, ':'));
}
