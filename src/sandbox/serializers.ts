import type {
  AgentState,
  ConversationState,
  KnowledgeState,
  MessageState,
  SandboxStore,
  SecretState,
  SkillState,
  ToolState,
} from './store.js';

/**
 * JSON:API resource objects for each resource type, with absolute links based on the sandbox's
 * URL, and sparse fieldsets (`fields[type]=a,b.c`) applied to attributes.
 */

/** A JSON:API resource object (or identifier, without attributes). */
export interface ResourceObject {
  type: string;
  id: string;
  attributes?: Record<string, unknown>;
  relationships?: Record<string, unknown>;
  links: { self: string };
}

/** Timestamps in the format of the spec's examples: `2026-05-13T12:00:00.000+00:00`. */
export function timestamp(ms: number): string;
export function timestamp(ms: number | null): string | null;
export function timestamp(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString().replace('Z', '+00:00');
}

/**
 * Nested objects that are a `oneOf` keep their discriminator whenever any of their keys is asked
 * for (`source.title` also returns `source.source_type`), so clients can still tell the variant.
 */
const DISCRIMINATORS: Record<string, string> = { source: 'source_type', details: 'type' };

/** Keeps only the requested attributes; `a.b` keeps one key of a nested object. */
export function applyFields(
  attributes: Record<string, unknown>,
  requested: readonly string[] | undefined,
): Record<string, unknown> {
  if (!requested) return attributes;
  const fields = requested.flatMap((field) => {
    const [head, rest] = field.split('.', 2);
    const discriminator = head === undefined ? undefined : DISCRIMINATORS[head];
    return rest && discriminator ? [field, `${head}.${discriminator}`] : [field];
  });
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const [head, ...rest] = field.split('.');
    if (head === undefined || head === 'id' || !(head in attributes)) continue;
    const value = attributes[head];
    if (rest.length === 0 || typeof value !== 'object' || value === null) {
      out[head] = value;
      continue;
    }
    const nested = (out[head] ??= {}) as Record<string, unknown>;
    if (out[head] !== value)
      Object.assign(nested, applyFields(value as Record<string, unknown>, [rest.join('.')]));
  }
  return out;
}

/** Builds resource objects for one request (its base URL and sparse fieldsets). */
export class Serializer {
  constructor(
    readonly base: string,
    private readonly store: SandboxStore,
    private readonly fields: ReadonlyMap<string, readonly string[]> = new Map(),
  ) {}

  url(path: string): string {
    return `${this.base}${path}`;
  }

  resource(
    type: string,
    id: string,
    path: string,
    attributes: Record<string, unknown>,
    relationships?: Record<string, unknown>,
  ): ResourceObject {
    return {
      type,
      id,
      attributes: applyFields(attributes, this.fields.get(type)),
      ...(relationships ? { relationships } : {}),
      links: { self: this.url(path) },
    };
  }

  /** `{ type, id, links }` only, for relationship endpoints. */
  identifier(type: string, id: string, path: string): ResourceObject {
    return { type, id, links: { self: this.url(path) } };
  }

  relationship(path: string, name: string, data: { type: string; id: string }[]) {
    return {
      data,
      links: {
        self: this.url(`${path}/relationships/${name}`),
        related: this.url(`${path}/${name}`),
      },
    };
  }

  agent(agent: AgentState): ResourceObject {
    return this.resource('customer-agent', agent.id, `/api/customer-agents/${agent.id}`, {
      name: agent.name,
      tone_of_voice: {
        preset: agent.tone.preset,
        custom_instruction: agent.tone.custom_instruction,
        updated_at: timestamp(agent.tone.updated_at),
      },
      escalation_rules: agent.escalation_rules,
      communication_styles: agent.communication_styles,
    });
  }

  skill(skill: SkillState): ResourceObject {
    const path = `/api/agent-skills/${skill.id}`;
    const tools = skill.toolIds.filter((id) => this.store.tools.has(id));
    return this.resource(
      'agent-skill',
      skill.id,
      path,
      {
        source: skill.source,
        display_name: skill.display_name,
        name: skill.name,
        description: skill.description,
        instructions: skill.instructions,
        status: skill.status,
        handoff: skill.handoff,
        created_at: timestamp(skill.created_at),
        updated_at: timestamp(skill.updated_at),
      },
      {
        'agent-tools': this.relationship(
          path,
          'agent-tools',
          tools.map((id) => ({ type: 'agent-tool', id })),
        ),
      },
    );
  }

  tool(tool: ToolState): ResourceObject {
    const path = `/api/agent-tools/${tool.id}`;
    const skills = [...this.store.skills.values()].filter((s) => s.toolIds.includes(tool.id));
    return this.resource(
      'agent-tool',
      tool.id,
      path,
      {
        name: tool.name,
        public_description: tool.public_description,
        details: toolDetails(tool),
        public_name: tool.public_name,
      },
      {
        'agent-secrets': this.relationship(
          path,
          'agent-secrets',
          toolSecretIds(tool, this.store).map((id) => ({ type: 'agent-secret', id })),
        ),
        'agent-skills': this.relationship(
          path,
          'agent-skills',
          skills.map((s) => ({ type: 'agent-skill', id: s.id })),
        ),
      },
    );
  }

  secret(secret: SecretState): ResourceObject {
    const path = `/api/agent-secrets/${secret.id}`;
    const tools = [...this.store.tools.values()].filter((t) =>
      toolSecretIds(t, this.store).includes(secret.id),
    );
    return this.resource(
      'agent-secret',
      secret.id,
      path,
      {
        name: secret.name,
        mask: `**********${secret.value.slice(-3)}`,
        created_at: timestamp(secret.created_at),
        updated_at: timestamp(secret.updated_at),
      },
      {
        'agent-tools': this.relationship(
          path,
          'agent-tools',
          tools.map((t) => ({ type: 'agent-tool', id: t.id })),
        ),
      },
    );
  }

  knowledge(item: KnowledgeState): ResourceObject {
    return this.resource('agent-knowledge', item.id, `/api/agent-knowledge/${item.id}`, {
      source: knowledgeSource(item),
      status: item.status,
      created_at: timestamp(item.created_at),
      updated_at: timestamp(item.updated_at),
      indexed_at: timestamp(item.indexed_at),
      error: item.error,
    });
  }

  conversation(conversation: ConversationState): ResourceObject {
    const path = `/api/customer-agent-conversations/${conversation.id}`;
    return this.resource(
      'customer-agent-conversation',
      conversation.id,
      path,
      {
        status: conversation.status,
        created_at: timestamp(conversation.created_at),
        updated_at: timestamp(conversation.updated_at),
      },
      {
        'customer-agent-messages': this.relationship(
          path,
          'customer-agent-messages',
          conversation.messageIds.map((id) => ({ type: 'customer-agent-message', id })),
        ),
      },
    );
  }

  message(message: MessageState): ResourceObject {
    return this.resource('customer-agent-message', message.id, messagePath(message), {
      role: message.role,
      content: message.content,
      created_at: timestamp(message.created_at),
      updated_at: timestamp(message.updated_at),
    });
  }

  messageIdentifier(message: MessageState): ResourceObject {
    return this.identifier('customer-agent-message', message.id, messagePath(message));
  }
}

function messagePath(message: MessageState): string {
  return `/api/customer-agent-conversations/${message.conversationId}/customer-agent-messages/${message.id}`;
}

/** Secrets a tool references through `source: secret` variables (existing ones only). */
export function toolSecretIds(tool: ToolState, store: SandboxStore): string[] {
  const ids = tool.variables.flatMap((v) => (v.source === 'secret' && v.value ? [v.value] : []));
  return [...new Set(ids)].filter((id) => store.secrets.has(id));
}

function toolDetails(tool: ToolState): Record<string, unknown> {
  if (tool.type === 'internal') return { type: 'internal', config_params: tool.config_params };
  return {
    type: 'custom',
    protocol: 'https',
    request_template: tool.request_template,
    variables: tool.variables,
    timeout_seconds: tool.timeout_seconds,
    max_retries: tool.max_retries,
    created_at: timestamp(tool.created_at),
    updated_at: timestamp(tool.updated_at),
  };
}

function knowledgeSource(item: KnowledgeState): Record<string, unknown> {
  switch (item.source_type) {
    case 'snippet':
      return { source_type: 'snippet', title: item.title, content: item.content };
    case 'webpage':
      return {
        source_type: 'webpage',
        url: item.url,
        scope: item.scope,
        auto_reindex: item.auto_reindex,
      };
    case 'file':
      return { source_type: 'file', title: item.title };
  }
}
