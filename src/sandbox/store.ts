import type { AgentGuidance, HandoffSetting } from './agent.js';
import { Prng } from './prng.js';
import type { Scenario } from './scenario.js';

/**
 * The sandbox account's state, kept in process memory. Timestamps are epoch milliseconds and
 * become ISO strings only when serialized. Ids of new resources come from a seeded generator so
 * a run is repeatable.
 */

/** The customer agent (a singleton). */
export interface AgentState {
  id: string;
  name: string | null;
  tone: { preset: string; custom_instruction: string | null; updated_at: number | null };
  escalation_rules: AgentGuidance[];
  communication_styles: AgentGuidance[];
}

/** A skill; `toolIds` is the `agent-tools` relationship. */
export interface SkillState {
  id: string;
  source: 'custom' | 'prebuilt';
  name: string;
  display_name: string;
  description: string;
  instructions: string;
  status: 'draft' | 'live' | 'disabled' | 'unavailable';
  handoff: HandoffSetting;
  toolIds: string[];
  created_at: number;
  updated_at: number;
}

/** A header or query parameter of a request template. */
export interface KeyValue {
  name: string;
  value: string;
}

/** A template variable of a custom tool. */
export interface VariableState {
  name: string;
  type: 'string' | 'number' | 'boolean';
  required: boolean;
  description: string | null;
  source: 'dynamic' | 'klaviyo' | 'secret';
  value: string | null;
}

/** A custom tool's outbound request. */
export interface RequestTemplateState {
  url_template: string;
  http_method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  request_timeout_seconds: number;
  query_parameters: KeyValue[] | null;
  headers: KeyValue[] | null;
  body_template: Record<string, unknown> | null;
}

/** A custom or internal tool. */
export interface ToolState {
  id: string;
  type: 'custom' | 'internal';
  name: string;
  public_description: string;
  public_name: string | null;
  request_template: RequestTemplateState | null;
  variables: VariableState[];
  timeout_seconds: number;
  max_retries: number;
  config_params: Record<string, unknown>[];
  created_at: number;
  updated_at: number;
}

/** A secret; `value` is never served. */
export interface SecretState {
  id: string;
  name: string;
  value: string;
  created_at: number;
  updated_at: number;
}

/** The indexing lifecycle of a knowledge item. */
export type KnowledgeStatus = 'pending' | 'indexing' | 'indexed' | 'failed' | 'rejected';

/** A knowledge item; `content` is what the agent answers from. */
export interface KnowledgeState {
  id: string;
  source_type: 'snippet' | 'webpage' | 'file';
  title: string | null;
  content: string;
  url: string | null;
  scope: 'single-page' | 'entire-site' | null;
  auto_reindex: boolean | null;
  status: KnowledgeStatus;
  error: string | null;
  created_at: number;
  updated_at: number;
  indexed_at: number | null;
}

/** A conversation; `channel` and `skills` are only used by reports. */
export interface ConversationState {
  id: string;
  status: 'open' | 'routed-to-team' | 'resolved-by-ai' | 'closed';
  channel: string;
  skills: string[];
  messageIds: string[];
  created_at: number;
  updated_at: number;
}

/** One message of a conversation. */
export interface MessageState {
  id: string;
  conversationId: string;
  role: 'user' | 'agent';
  content: string;
  created_at: number;
  updated_at: number;
}

/** All resources of the sandbox account. */
export class SandboxStore {
  agent: AgentState;
  readonly skills = new Map<string, SkillState>();
  readonly tools = new Map<string, ToolState>();
  readonly secrets = new Map<string, SecretState>();
  readonly knowledge = new Map<string, KnowledgeState>();
  readonly conversations = new Map<string, ConversationState>();
  readonly messages = new Map<string, MessageState>();
  private readonly ids: Prng;
  private counter = 1000;
  private sortedConversations: ConversationState[] | null = null;

  constructor(scenario: Scenario, seed: number, now: number) {
    this.ids = new Prng(seed ^ 0x5eed);
    this.agent = loadAgent(scenario, now);
    loadScenario(this, scenario, now);
  }

  /** A new id with a prefix, e.g. `custom:agent_1001`, `kn_1002`. */
  newId(prefix: string): string {
    this.counter += 1;
    return `${prefix}${this.counter}`;
  }

  newUuid(): string {
    return this.ids.uuid();
  }

  addConversation(conversation: ConversationState): void {
    this.conversations.set(conversation.id, conversation);
    this.sortedConversations = null;
  }

  addMessage(
    conversation: ConversationState,
    role: 'user' | 'agent',
    content: string,
    at: number,
  ): void {
    const message: MessageState = {
      id: this.newId(''),
      conversationId: conversation.id,
      role,
      content,
      created_at: at,
      updated_at: at,
    };
    this.messages.set(message.id, message);
    conversation.messageIds.push(message.id);
  }

  /** Conversations newest first (created_at, then id, both descending). */
  conversationsNewestFirst(): ConversationState[] {
    this.sortedConversations ??= [...this.conversations.values()].sort(
      (a, b) => b.created_at - a.created_at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
    );
    return this.sortedConversations;
  }

  /** The timestamp for an update: now, but always after the previous value. */
  static bump(previous: number, now: number): number {
    return Math.max(now, previous + 1);
  }
}

function loadAgent(scenario: Scenario, now: number): AgentState {
  const { agent } = scenario;
  return {
    id: agent.id ?? '01JSANDBOXAGENT',
    name: agent.name,
    tone: { ...agent.tone_of_voice, updated_at: now - 30 * 86_400_000 },
    escalation_rules: agent.escalation_rules.map((r) => ({ ...r })),
    communication_styles: agent.communication_styles.map((s) => ({ ...s })),
  };
}

function time(iso: string | undefined, fallback: number): number {
  return iso === undefined ? fallback : Date.parse(iso);
}

function loadScenario(store: SandboxStore, scenario: Scenario, now: number): void {
  for (const s of scenario.secrets) {
    const created = time(s.created_at, now);
    const id = s.id ?? store.newId('sec_');
    store.secrets.set(id, {
      id,
      name: s.name,
      value: s.value,
      created_at: created,
      updated_at: created,
    });
  }
  const secretId = (ref: string | null) =>
    [...store.secrets.values()].find((s) => s.id === ref || s.name === ref)?.id ?? ref;
  for (const t of scenario.tools) {
    const created = time(t.created_at, now);
    const id = t.id ?? store.newId(t.type === 'custom' ? 'custom:tool_' : 'internal:tool_');
    store.tools.set(id, {
      id,
      type: t.type,
      name: t.name,
      public_description: t.public_description,
      public_name: t.public_name,
      request_template: t.type === 'custom' ? t.request_template : null,
      variables:
        t.type === 'custom'
          ? t.variables.map((v) => ({
              ...v,
              value: v.source === 'secret' ? secretId(v.value) : v.value,
            }))
          : [],
      timeout_seconds: t.type === 'custom' ? t.timeout_seconds : 5,
      max_retries: t.type === 'custom' ? t.max_retries : 0,
      config_params: t.type === 'internal' ? t.config_params : [],
      created_at: created,
      updated_at: created,
    });
  }
  const toolId = (ref: string) =>
    [...store.tools.values()].find((t) => t.id === ref || t.name === ref)?.id ?? ref;
  for (const s of scenario.skills) {
    const created = time(s.created_at, now);
    const id = s.id ?? store.newId(s.source === 'custom' ? 'custom:agent_' : 'prebuilt:');
    const { tools, created_at: _created, id: _id, ...rest } = s;
    store.skills.set(id, {
      ...rest,
      id,
      toolIds: tools.map(toolId),
      created_at: created,
      updated_at: created,
    });
  }
  for (const k of scenario.knowledge) {
    const created = time(k.created_at, now);
    const id = k.id ?? store.newId('kn_');
    store.knowledge.set(id, {
      id,
      source_type: k.source_type,
      title: k.source_type === 'webpage' ? null : k.title,
      content: k.content,
      url: k.source_type === 'webpage' ? k.url : null,
      scope: k.source_type === 'webpage' ? k.scope : null,
      auto_reindex: k.source_type === 'webpage' ? k.auto_reindex : null,
      status: k.status,
      error: k.status === 'failed' ? 'The source could not be indexed.' : null,
      created_at: created,
      updated_at: created,
      indexed_at: k.status === 'indexed' ? created : null,
    });
  }
  for (const c of scenario.conversations) {
    const created = Date.parse(c.created_at);
    const conversation: ConversationState = {
      id: c.id ?? store.newUuid(),
      status: c.status,
      channel: c.channel,
      skills: [...c.skills],
      messageIds: [],
      created_at: created,
      updated_at: time(c.updated_at, Date.parse(c.messages.at(-1)?.created_at ?? c.created_at)),
    };
    for (const m of c.messages)
      store.addMessage(conversation, m.role, m.content, Date.parse(m.created_at));
    store.addConversation(conversation);
  }
}
