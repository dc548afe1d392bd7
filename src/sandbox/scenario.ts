import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.js';

/**
 * The scenario file format: the starting state of a sandbox account (agent, skills, tools,
 * secrets, knowledge and past conversations). Field names follow the API's attribute names;
 * docs/scenario-format.md describes it with an example.
 */

const datetime = z.iso.datetime({ offset: true });
const guidanceStatus = z.enum(['enabled', 'disabled']);

export const HANDOFF_MODES = ['none', 'offer', 'immediate', 'all', 'custom'] as const;
export const CHANNELS = ['web-chat', 'sms', 'email', 'whatsapp'] as const;
export const CONVERSATION_STATUSES = [
  'open',
  'routed-to-team',
  'resolved-by-ai',
  'closed',
] as const;
export const TONE_PRESETS = ['neutral', 'professional', 'friendly', 'playful', 'custom'] as const;

const GuidanceSchema = z.strictObject({
  title: z.string().min(1),
  description: z.string().min(1),
  status: guidanceStatus.default('enabled'),
});

const AgentSchema = z.strictObject({
  id: z.string().min(1).optional(),
  name: z.string().nullable().default(null),
  tone_of_voice: z
    .strictObject({
      preset: z.enum(TONE_PRESETS),
      custom_instruction: z.string().nullable().default(null),
    })
    .default({ preset: 'neutral', custom_instruction: null }),
  escalation_rules: z.array(GuidanceSchema).default([]),
  communication_styles: z.array(GuidanceSchema).default([]),
});

const SkillSchema = z.strictObject({
  id: z.string().min(1).optional(),
  /** Machine name (snake_case); conversations and reports refer to skills by it. */
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case, e.g. "order_status"'),
  display_name: z.string().min(1),
  description: z.string().min(1),
  instructions: z.string().default(''),
  source: z.enum(['custom', 'prebuilt']).default('custom'),
  status: z.enum(['draft', 'live', 'disabled', 'unavailable']).default('live'),
  handoff: z.enum(HANDOFF_MODES).default('offer'),
  /** Names (or ids) of the tools this skill can call. */
  tools: z.array(z.string()).default([]),
  created_at: datetime.optional(),
});

const KeyValueSchema = z.strictObject({ name: z.string(), value: z.string() });

const VariableSchema = z.strictObject({
  name: z.string().min(1),
  type: z.enum(['string', 'number', 'boolean']),
  required: z.boolean().default(false),
  description: z.string().nullable().default(null),
  source: z.enum(['dynamic', 'klaviyo', 'secret']).default('dynamic'),
  /** For `source: secret`, the secret's id or name. */
  value: z.string().nullable().default(null),
});

const RequestTemplateSchema = z.strictObject({
  url_template: z.string().min(1),
  http_method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  request_timeout_seconds: z.number().int().positive().max(10).default(5),
  query_parameters: z.array(KeyValueSchema).nullable().default(null),
  headers: z.array(KeyValueSchema).nullable().default(null),
  body_template: z.record(z.string(), z.unknown()).nullable().default(null),
});

const ConfigParamSchema = z.strictObject({
  name: z.string().min(1),
  label: z.string().min(1),
  description: z.string().nullable().default(null),
  input_type: z.enum(['single_select', 'multi_select']).default('single_select'),
  required: z.boolean().default(true),
});

const ToolSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('custom'),
    id: z.string().min(1).optional(),
    name: z.string().min(1),
    public_description: z.string(),
    public_name: z.string().nullable().default(null),
    request_template: RequestTemplateSchema,
    variables: z.array(VariableSchema).default([]),
    timeout_seconds: z.number().int().positive().max(10).default(5),
    max_retries: z.number().int().min(0).max(3).default(1),
    created_at: datetime.optional(),
  }),
  z.strictObject({
    type: z.literal('internal'),
    id: z.string().min(1).optional(),
    name: z.string().min(1),
    public_description: z.string(),
    public_name: z.string().nullable().default(null),
    config_params: z.array(ConfigParamSchema).default([]),
    created_at: datetime.optional(),
  }),
]);

const SecretSchema = z.strictObject({
  id: z.string().min(1).optional(),
  name: z.string().trim().min(1),
  /** The plaintext is never served; only its last 3 characters show in `mask`. */
  value: z.string().min(1).default('sk_sandbox_value'),
  created_at: datetime.optional(),
});

const KnowledgeSchema = z.discriminatedUnion('source_type', [
  z.strictObject({
    source_type: z.literal('snippet'),
    id: z.string().min(1).optional(),
    title: z.string().min(1),
    content: z.string().min(1),
    status: z.enum(['pending', 'indexing', 'indexed', 'failed', 'rejected']).default('indexed'),
    created_at: datetime.optional(),
  }),
  z.strictObject({
    source_type: z.literal('webpage'),
    id: z.string().min(1).optional(),
    url: z.url({ protocol: /^https?$/ }),
    scope: z.enum(['single-page', 'entire-site']).default('single-page'),
    auto_reindex: z.boolean().nullable().default(null),
    /** Stands in for the crawled page text; the agent answers from it once indexed. */
    content: z.string().default(''),
    status: z.enum(['pending', 'indexing', 'indexed', 'failed', 'rejected']).default('indexed'),
    created_at: datetime.optional(),
  }),
  z.strictObject({
    source_type: z.literal('file'),
    id: z.string().min(1).optional(),
    title: z.string().min(1),
    content: z.string().default(''),
    status: z.enum(['pending', 'indexing', 'indexed', 'failed', 'rejected']).default('indexed'),
    created_at: datetime.optional(),
  }),
]);

const MessageSchema = z.strictObject({
  role: z.enum(['user', 'agent']),
  content: z.string(),
  created_at: datetime,
});

const ConversationSchema = z.strictObject({
  id: z.string().min(1).optional(),
  channel: z.enum(CHANNELS).default('web-chat'),
  status: z.enum(CONVERSATION_STATUSES),
  created_at: datetime,
  updated_at: datetime.optional(),
  /** Names of the skills that handled the conversation, in order (reports count each once). */
  skills: z.array(z.string()).default([]),
  /** Ground-truth tags for tests (e.g. a planted failure); never served by the API. */
  labels: z.array(z.string()).default([]),
  messages: z.array(MessageSchema).min(1),
});

/**
 * Ground truth for `agent-trainer eval`: a failure pattern planted in the store, what a fix looks
 * like and what it should touch. Never served by the API. Conversations point at it with a
 * `pattern:<id>` label (see docs/scenario-format.md, "Labels for evaluation").
 */
const PatternSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes'),
  category: z.enum([
    'knowledge_gap',
    'wrong_skill',
    'instruction_gap',
    'tone',
    'missed_escalation',
    'unnecessary_escalation',
    'tool_failure',
  ]),
  summary: z.string().min(1),
  /** Patch kinds that fix it; empty when no configuration change should be proposed. */
  expectedKinds: z.array(z.string().min(1)),
  /** The skill name, escalation-rule title or knowledge title the fix should touch, if any. */
  target: z.string().min(1).optional(),
});

export const ScenarioSchema = z
  .strictObject({
    version: z.literal(1).default(1),
    name: z.string().default('scenario'),
    agent: AgentSchema.default({
      name: null,
      tone_of_voice: { preset: 'neutral', custom_instruction: null },
      escalation_rules: [],
      communication_styles: [],
    }),
    skills: z.array(SkillSchema).default([]),
    tools: z.array(ToolSchema).default([]),
    secrets: z.array(SecretSchema).default([]),
    knowledge: z.array(KnowledgeSchema).default([]),
    conversations: z.array(ConversationSchema).default([]),
    patterns: z.array(PatternSchema).default([]),
  })
  .superRefine(checkReferences);

/** A parsed scenario (defaults applied). */
export type Scenario = z.output<typeof ScenarioSchema>;
/** A scenario as written in a file (defaults optional). */
export type ScenarioInput = z.input<typeof ScenarioSchema>;
/** Parts of a parsed scenario. */
export type ScenarioSkill = Scenario['skills'][number];
export type ScenarioTool = Scenario['tools'][number];
export type ScenarioKnowledge = Scenario['knowledge'][number];
export type ScenarioConversation = Scenario['conversations'][number];

type RawScenario = Omit<Scenario, never>;

/** Cross-references: skill tools, secret variables and conversation skills must exist. */
function checkReferences(scenario: RawScenario, ctx: z.RefinementCtx): void {
  const toolRefs = new Set(scenario.tools.flatMap((t) => (t.id ? [t.id, t.name] : [t.name])));
  const secretRefs = new Set(scenario.secrets.flatMap((s) => (s.id ? [s.id, s.name] : [s.name])));
  const skillNames = new Set(scenario.skills.map((s) => s.name));
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });

  findDuplicates(scenario.skills.map((s) => s.name)).forEach((i) =>
    issue(['skills', i, 'name'], 'duplicate skill name'),
  );
  scenario.skills.forEach((skill, i) =>
    skill.tools.forEach((ref, j) => {
      if (!toolRefs.has(ref)) issue(['skills', i, 'tools', j], `unknown tool "${ref}"`);
    }),
  );
  scenario.tools.forEach((tool, i) => {
    if (tool.type !== 'custom') return;
    tool.variables.forEach((variable, j) => {
      if (variable.source === 'secret' && !secretRefs.has(variable.value ?? '')) {
        issue(['tools', i, 'variables', j, 'value'], `unknown secret "${variable.value ?? ''}"`);
      }
    });
  });
  scenario.conversations.forEach((conversation, i) =>
    conversation.skills.forEach((name, j) => {
      if (!skillNames.has(name))
        issue(['conversations', i, 'skills', j], `unknown skill "${name}"`);
    }),
  );
  findDuplicates(scenario.patterns.map((p) => p.id)).forEach((i) =>
    issue(['patterns', i, 'id'], 'duplicate pattern id'),
  );
  const patternIds = new Set(scenario.patterns.map((p) => p.id));
  scenario.conversations.forEach((conversation, i) =>
    conversation.labels.forEach((label, j) => {
      if (label.startsWith('pattern:') && !patternIds.has(label.slice('pattern:'.length)))
        issue(['conversations', i, 'labels', j], `unknown pattern "${label}"`);
    }),
  );
}

function findDuplicates(values: string[]): number[] {
  const seen = new Set<string>();
  return values.flatMap((value, i) => {
    if (seen.has(value)) return [i];
    seen.add(value);
    return [];
  });
}

/** Parses a scenario object; a problem becomes a ConfigError naming `origin` and the field. */
export function parseScenario(input: unknown, origin = 'scenario'): Scenario {
  const result = ScenarioSchema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.slice(0, 5).map((issue) => {
    const field = formatPath(issue.path);
    return `${field || '(root)'}: ${issue.message}`;
  });
  throw new ConfigError(`${origin} is not a valid scenario: ${details.join('; ')}`);
}

/** Reads and validates a scenario JSON file. */
export function loadScenarioFile(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read scenario file ${path}: ${(error as Error).message}`, error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`scenario file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const scenario = parseScenario(json, `scenario file ${path}`);
  const named = typeof json === 'object' && json !== null && 'name' in json;
  return named ? scenario : { ...scenario, name: basename(path) };
}

/** `['skills', 2, 'handoff']` → `skills[2].handoff`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i ? '.' : ''}${String(part)}`))
    .join('');
}
