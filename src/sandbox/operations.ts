/**
 * Every operation of the Customer Agent spec (revision 2026-07-15.pre, 37 operations): method,
 * path, scope, rate-limit group and accepted query parameters, copied from the OpenAPI file
 * (a unit test checks this table against it). Paths use Fastify's `:id` syntax.
 */

export const REVISION = '2026-07-15.pre';

/** Endpoint groups that share one rate-limit bucket (same names as the client's groups). */
export type RateLimitGroup = 'conversations' | 'config';

/** `x-klaviyo-ratelimit` per group: conversations, messages and reports are tighter. */
export const GROUP_LIMITS: Record<RateLimitGroup, { burst: number; steady: number }> = {
  conversations: { burst: 3, steady: 60 },
  config: { burst: 10, steady: 150 },
};

/** A filter value's type: a datetime, a free string, or an enum. */
export type FilterValueType = 'datetime' | 'string' | readonly string[];

/** `x-klaviyo-filters`: field → allowed operators and value type. */
export type FilterSpec = Record<string, { operators: readonly string[]; value: FilterValueType }>;

/** The query parameters an operation accepts. */
export interface QuerySpec {
  /** `fields[<type>]` → allowed field names. */
  fields?: Record<string, readonly string[]>;
  filter?: FilterSpec;
  sort?: readonly string[];
  paginated?: boolean;
}

/** One operation of the spec. */
export interface OperationDef {
  id: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  scope: 'agents:read' | 'agents:write';
  group: RateLimitGroup;
  query: QuerySpec;
}

export const FIELDS = {
  'agent-knowledge': [
    'created_at',
    'error',
    'id',
    'indexed_at',
    'source',
    'source.auto_reindex',
    'source.content',
    'source.scope',
    'source.source_type',
    'source.title',
    'source.url',
    'status',
    'updated_at',
  ],
  'customer-agent-conversation': ['created_at', 'id', 'status', 'updated_at'],
  'customer-agent-message': ['content', 'created_at', 'id', 'role', 'updated_at'],
  'customer-agent': [
    'communication_styles',
    'escalation_rules',
    'id',
    'name',
    'tone_of_voice',
    'tone_of_voice.custom_instruction',
    'tone_of_voice.preset',
    'tone_of_voice.updated_at',
  ],
  'customer-agent-response': ['conversation_id', 'events', 'id'],
  'agent-secret': ['created_at', 'id', 'mask', 'name', 'updated_at'],
  'agent-skill': [
    'created_at',
    'description',
    'display_name',
    'handoff',
    'id',
    'instructions',
    'name',
    'source',
    'status',
    'updated_at',
  ],
  'agent-tool': [
    'details',
    'details.config_params',
    'details.created_at',
    'details.max_retries',
    'details.protocol',
    'details.request_template',
    'details.timeout_seconds',
    'details.type',
    'details.updated_at',
    'details.variables',
    'id',
    'name',
    'public_description',
    'public_name',
  ],
  'customer-agent-values-report': ['id', 'results'],
  'customer-agent-skill-values-report': ['id', 'results'],
} as const;

type ResourceType = keyof typeof FIELDS;

const CONVERSATION_STATUSES = ['open', 'routed-to-team', 'resolved-by-ai', 'closed'] as const;

/**
 * The spec lists only `equals` for status; the product docs and our design also use
 * `any(status,[...])`, which Klaviyo's filter syntax supports, so the sandbox accepts both.
 */
const CONVERSATION_FILTER: FilterSpec = {
  created_at: { operators: ['greater-or-equal'], value: 'datetime' },
  status: { operators: ['equals', 'any'], value: CONVERSATION_STATUSES },
};

const TOOL_FILTER: FilterSpec = {
  name: { operators: ['contains'], value: 'string' },
  tool_type: { operators: ['equals'], value: ['internal', 'custom'] },
  created_at: { operators: ['equals', 'greater-or-equal', 'less-or-equal'], value: 'datetime' },
  updated_at: { operators: ['equals', 'greater-or-equal', 'less-or-equal'], value: 'datetime' },
};

/** Filter accepted in the skill-values report body (`filter` attribute). */
export const SKILL_REPORT_FILTER: FilterSpec = {
  skill: { operators: ['any', 'equals'], value: 'string' },
  channel: { operators: ['any', 'equals'], value: ['web-chat', 'sms', 'email', 'whatsapp'] },
};

function fields(...types: ResourceType[]): Record<string, readonly string[]> {
  return Object.fromEntries(types.map((t) => [t, FIELDS[t]]));
}

function op(
  id: string,
  method: OperationDef['method'],
  path: string,
  scope: 'read' | 'write',
  group: RateLimitGroup,
  query: QuerySpec = {},
): OperationDef {
  return {
    id,
    method,
    path,
    scope: scope === 'read' ? 'agents:read' : 'agents:write',
    group,
    query,
  };
}

const page = { paginated: true };

export const OPERATIONS: readonly OperationDef[] = [
  op('list_agent_knowledge_beta', 'GET', '/api/agent-knowledge', 'read', 'config', {
    fields: fields('agent-knowledge'),
    sort: ['-created_at', '-id'],
    ...page,
  }),
  op('create_agent_knowledge_beta', 'POST', '/api/agent-knowledge', 'write', 'config', {
    fields: fields('agent-knowledge'),
  }),
  op('get_agent_knowledge_beta', 'GET', '/api/agent-knowledge/:id', 'read', 'config', {
    fields: fields('agent-knowledge'),
  }),
  op('update_agent_knowledge_beta', 'PATCH', '/api/agent-knowledge/:id', 'write', 'config', {
    fields: fields('agent-knowledge'),
  }),
  op('delete_agent_knowledge_beta', 'DELETE', '/api/agent-knowledge/:id', 'write', 'config'),
  op('create_agent_knowledge_file_beta', 'POST', '/api/agent-knowledge-files', 'write', 'config', {
    fields: fields('agent-knowledge'),
  }),
  op(
    'retrieve_customer_agent_conversation_beta',
    'GET',
    '/api/customer-agent-conversations/:id',
    'read',
    'conversations',
    { fields: fields('customer-agent-conversation') },
  ),
  op(
    'update_customer_agent_conversation_beta',
    'PATCH',
    '/api/customer-agent-conversations/:id',
    'write',
    'conversations',
    { fields: fields('customer-agent-conversation') },
  ),
  op(
    'list_customer_agent_conversations_beta',
    'GET',
    '/api/customer-agent-conversations',
    'read',
    'conversations',
    { fields: fields('customer-agent-conversation'), filter: CONVERSATION_FILTER, ...page },
  ),
  op(
    'get_agent_message_ids_for_customer_agent_conversation_beta',
    'GET',
    '/api/customer-agent-conversations/:id/relationships/customer-agent-messages',
    'read',
    'conversations',
    { fields: fields('customer-agent-message'), ...page },
  ),
  op(
    'get_agent_messages_for_customer_agent_conversation_beta',
    'GET',
    '/api/customer-agent-conversations/:id/customer-agent-messages',
    'read',
    'conversations',
    { fields: fields('customer-agent-message'), ...page },
  ),
  op('get_customer_agent_beta', 'GET', '/api/customer-agents/:id', 'read', 'config', {
    fields: fields('customer-agent'),
  }),
  op('update_customer_agent_beta', 'PATCH', '/api/customer-agents/:id', 'write', 'config', {
    fields: fields('customer-agent'),
  }),
  op(
    'create_customer_agent_response_beta',
    'POST',
    '/api/customer-agent-responses',
    'write',
    'config',
    { fields: fields('customer-agent-response') },
  ),
  op('get_agent_secrets_beta', 'GET', '/api/agent-secrets', 'read', 'config', {
    fields: fields('agent-secret'),
  }),
  op('create_agent_secret_beta', 'POST', '/api/agent-secrets', 'write', 'config', {
    fields: fields('agent-secret'),
  }),
  op('get_agent_secret_beta', 'GET', '/api/agent-secrets/:id', 'read', 'config', {
    fields: fields('agent-secret'),
  }),
  op('update_agent_secret_beta', 'PATCH', '/api/agent-secrets/:id', 'write', 'config', {
    fields: fields('agent-secret'),
  }),
  op('delete_agent_secret_beta', 'DELETE', '/api/agent-secrets/:id', 'write', 'config'),
  op(
    'get_tool_ids_for_agent_secret_beta',
    'GET',
    '/api/agent-secrets/:id/relationships/agent-tools',
    'read',
    'config',
    { fields: fields('agent-tool'), ...page },
  ),
  op(
    'get_tools_for_agent_secret_beta',
    'GET',
    '/api/agent-secrets/:id/agent-tools',
    'read',
    'config',
    { fields: fields('agent-tool'), ...page },
  ),
  op('get_agent_skills_beta', 'GET', '/api/agent-skills', 'read', 'config', {
    fields: fields('agent-skill'),
  }),
  op('create_agent_skill_beta', 'POST', '/api/agent-skills', 'write', 'config', {
    fields: fields('agent-skill'),
  }),
  op('get_agent_skill_beta', 'GET', '/api/agent-skills/:id', 'read', 'config', {
    fields: fields('agent-skill'),
  }),
  op('update_agent_skill_beta', 'PATCH', '/api/agent-skills/:id', 'write', 'config', {
    fields: fields('agent-skill'),
  }),
  op('delete_agent_skill_beta', 'DELETE', '/api/agent-skills/:id', 'write', 'config'),
  op(
    'query_customer_agent_skill_values_beta',
    'POST',
    '/api/customer-agent-skill-values-reports',
    'read',
    'conversations',
    { fields: fields('customer-agent-skill-values-report') },
  ),
  op('create_agent_tool_beta', 'POST', '/api/agent-tools', 'write', 'config', {
    fields: fields('agent-tool'),
  }),
  op('get_agent_tools_beta', 'GET', '/api/agent-tools', 'read', 'config', {
    fields: fields('agent-tool'),
    filter: TOOL_FILTER,
    ...page,
  }),
  op('get_agent_tool_beta', 'GET', '/api/agent-tools/:id', 'read', 'config', {
    fields: fields('agent-tool'),
  }),
  op('update_agent_tool_beta', 'PATCH', '/api/agent-tools/:id', 'write', 'config', {
    fields: fields('agent-tool'),
  }),
  op('delete_agent_tool_beta', 'DELETE', '/api/agent-tools/:id', 'write', 'config'),
  op(
    'get_skill_ids_for_agent_tool_beta',
    'GET',
    '/api/agent-tools/:id/relationships/agent-skills',
    'read',
    'config',
    { fields: fields('agent-skill'), ...page },
  ),
  op(
    'get_skills_for_agent_tool_beta',
    'GET',
    '/api/agent-tools/:id/agent-skills',
    'read',
    'config',
    { fields: fields('agent-skill'), ...page },
  ),
  op(
    'get_secret_ids_for_agent_tool_beta',
    'GET',
    '/api/agent-tools/:id/relationships/agent-secrets',
    'read',
    'config',
  ),
  op(
    'get_secrets_for_agent_tool_beta',
    'GET',
    '/api/agent-tools/:id/agent-secrets',
    'read',
    'config',
  ),
  op(
    'query_customer_agent_values_beta',
    'POST',
    '/api/customer-agent-values-reports',
    'read',
    'conversations',
    { fields: fields('customer-agent-values-report') },
  ),
];

const BY_ID = new Map(OPERATIONS.map((o) => [o.id, o]));

/** The operation with this id (throws for an unknown id: a programming error). */
export function operation(id: string): OperationDef {
  const found = BY_ID.get(id);
  if (!found) throw new Error(`unknown operation ${id}`);
  return found;
}
