import { matches } from '../filters.js';
import { conflict, invalidPointer } from '../http-errors.js';
import {
  SecretCreate,
  SecretUpdate,
  ToolCreate,
  ToolUpdate,
  parseBody,
} from '../request-schemas.js';
import { toolSecretIds } from '../serializers.js';
import { SandboxStore, type SecretState, type ToolState, type VariableState } from '../store.js';
import {
  byCreated,
  found,
  list,
  paged,
  single,
  type HandlerMap,
  type RequestContext,
} from './context.js';

/** Tools (custom HTTPS tools and read-only internal ones) and the secrets they reference. */
export const toolSecretHandlers: HandlerMap = {
  get_agent_tools_beta: (ctx) => {
    const tools = sorted(ctx.store.tools).filter((tool) =>
      ctx.query.filter.every((c) => matches(toolValue(tool, c.field), c)),
    );
    return paged(ctx, tools, byCreated, (t) => ctx.ser.tool(t));
  },

  get_agent_tool_beta: (ctx) => single(ctx.ser.tool(found(ctx.store.tools, ctx.id, 'agent-tool'))),

  create_agent_tool_beta: (ctx) => {
    const { attributes } = parseBody(ToolCreate, ctx.body, { type: 'agent-tool' }).data;
    const { details } = attributes;
    const now = ctx.now();
    const tool: ToolState = {
      id: ctx.store.newId('custom:tool_'),
      type: 'custom',
      name: attributes.name,
      public_description: attributes.public_description,
      public_name: null,
      request_template: {
        url_template: details.request_template.url_template,
        http_method: details.request_template.http_method,
        request_timeout_seconds: details.request_template.request_timeout_seconds ?? 5,
        query_parameters: details.request_template.query_parameters ?? null,
        headers: details.request_template.headers ?? null,
        body_template: details.request_template.body_template ?? null,
      },
      variables: variables(ctx, details.variables ?? []),
      timeout_seconds: details.timeout_seconds ?? 5,
      max_retries: details.max_retries ?? 1,
      config_params: [],
      created_at: now,
      updated_at: now,
    };
    checkTool(tool);
    ctx.store.tools.set(tool.id, tool);
    return single(ctx.ser.tool(tool), 201);
  },

  update_agent_tool_beta: (ctx) => {
    const tool = found(ctx.store.tools, ctx.id, 'agent-tool');
    const { attributes } = parseBody(ToolUpdate, ctx.body, {
      type: 'agent-tool',
      pathId: ctx.id,
    }).data;
    if (tool.type === 'internal') throw conflict(`Internal tool '${tool.id}' cannot be modified.`);
    const next: ToolState = { ...tool };
    if (attributes.name != null) next.name = attributes.name;
    if (attributes.public_description != null)
      next.public_description = attributes.public_description;
    const details = attributes.details;
    if (details) {
      const template = details.request_template;
      if (template && next.request_template) {
        // The request template is a sparse update; null or missing keys keep their value.
        const current = next.request_template;
        next.request_template = {
          url_template: template.url_template ?? current.url_template,
          http_method: template.http_method ?? current.http_method,
          request_timeout_seconds:
            template.request_timeout_seconds ?? current.request_timeout_seconds,
          query_parameters: template.query_parameters ?? current.query_parameters,
          headers: template.headers ?? current.headers,
          body_template: template.body_template ?? current.body_template,
        };
      }
      if (details.variables) next.variables = variables(ctx, details.variables);
      if (details.timeout_seconds != null) next.timeout_seconds = details.timeout_seconds;
      if (details.max_retries != null) next.max_retries = details.max_retries;
    }
    checkTool(next);
    next.updated_at = SandboxStore.bump(tool.updated_at, ctx.now());
    ctx.store.tools.set(tool.id, next);
    return single(ctx.ser.tool(next));
  },

  delete_agent_tool_beta: (ctx) => {
    const tool = found(ctx.store.tools, ctx.id, 'agent-tool');
    if (tool.type === 'internal') throw conflict(`Internal tool '${tool.id}' cannot be deleted.`);
    ctx.store.tools.delete(tool.id);
    // Skills that referenced it lose the binding.
    for (const skill of ctx.store.skills.values())
      skill.toolIds = skill.toolIds.filter((id) => id !== tool.id);
    return { status: 204 };
  },

  get_skill_ids_for_agent_tool_beta: (ctx) => {
    const skills = skillsOf(ctx);
    return paged(ctx, skills, byCreated, (s) =>
      ctx.ser.identifier('agent-skill', s.id, `/api/agent-skills/${s.id}`),
    );
  },

  get_skills_for_agent_tool_beta: (ctx) =>
    paged(ctx, skillsOf(ctx), byCreated, (s) => ctx.ser.skill(s)),

  get_secret_ids_for_agent_tool_beta: (ctx) =>
    list(
      secretsOf(ctx).map((s) =>
        ctx.ser.identifier('agent-secret', s.id, `/api/agent-secrets/${s.id}`),
      ),
      ctx.selfUrl,
    ),

  get_secrets_for_agent_tool_beta: (ctx) =>
    list(
      secretsOf(ctx).map((s) => ctx.ser.secret(s)),
      ctx.selfUrl,
    ),

  get_agent_secrets_beta: (ctx) =>
    list(
      sorted(ctx.store.secrets).map((s) => ctx.ser.secret(s)),
      ctx.selfUrl,
    ),

  get_agent_secret_beta: (ctx) =>
    single(ctx.ser.secret(found(ctx.store.secrets, ctx.id, 'agent-secret'))),

  create_agent_secret_beta: (ctx) => {
    const { attributes } = parseBody(SecretCreate, ctx.body, { type: 'agent-secret' }).data;
    const name = secretName(ctx, attributes.name, null);
    const value = secretValue(attributes.value);
    const now = ctx.now();
    const secret: SecretState = {
      id: ctx.store.newId('sec_'),
      name,
      value,
      created_at: now,
      updated_at: now,
    };
    ctx.store.secrets.set(secret.id, secret);
    return single(ctx.ser.secret(secret), 201);
  },

  update_agent_secret_beta: (ctx) => {
    const secret = found(ctx.store.secrets, ctx.id, 'agent-secret');
    const { attributes } = parseBody(SecretUpdate, ctx.body, {
      type: 'agent-secret',
      pathId: ctx.id,
    }).data;
    if (attributes.name != null) secret.name = secretName(ctx, attributes.name, secret.id);
    if (attributes.value != null) secret.value = secretValue(attributes.value);
    secret.updated_at = SandboxStore.bump(secret.updated_at, ctx.now());
    return single(ctx.ser.secret(secret));
  },

  delete_agent_secret_beta: (ctx) => {
    // Tools keep their variables: they fail on their next call until rebound (as in the spec).
    ctx.store.secrets.delete(found(ctx.store.secrets, ctx.id, 'agent-secret').id);
    return { status: 204 };
  },

  get_tool_ids_for_agent_secret_beta: (ctx) =>
    paged(ctx, toolsOf(ctx), byCreated, (t) =>
      ctx.ser.identifier('agent-tool', t.id, `/api/agent-tools/${t.id}`),
    ),

  get_tools_for_agent_secret_beta: (ctx) =>
    paged(ctx, toolsOf(ctx), byCreated, (t) => ctx.ser.tool(t)),
};

function sorted<T extends { created_at: number; id: string }>(map: ReadonlyMap<string, T>): T[] {
  return [...map.values()].sort((a, b) => a.created_at - b.created_at || a.id.localeCompare(b.id));
}

function skillsOf(ctx: RequestContext) {
  const tool = found(ctx.store.tools, ctx.id, 'agent-tool');
  return sorted(ctx.store.skills).filter((s) => s.toolIds.includes(tool.id));
}

function secretsOf(ctx: RequestContext): SecretState[] {
  const tool = found(ctx.store.tools, ctx.id, 'agent-tool');
  return toolSecretIds(tool, ctx.store).flatMap((id) => ctx.store.secrets.get(id) ?? []);
}

function toolsOf(ctx: RequestContext): ToolState[] {
  const secret = found(ctx.store.secrets, ctx.id, 'agent-secret');
  return sorted(ctx.store.tools).filter((t) => toolSecretIds(t, ctx.store).includes(secret.id));
}

function toolValue(tool: ToolState, field: string): string | number | null {
  if (field === 'name') return tool.name;
  if (field === 'tool_type') return tool.type;
  if (field === 'created_at') return tool.created_at;
  if (field === 'updated_at') return tool.updated_at;
  return null;
}

type VariableInput = {
  name: string;
  type: VariableState['type'];
  required?: boolean | undefined;
  description?: string | null | undefined;
  source?: VariableState['source'] | undefined;
  value?: string | null | undefined;
};

function variables(ctx: RequestContext, input: VariableInput[]): VariableState[] {
  return input.map((v, i) => {
    const source = v.source ?? 'dynamic';
    if (source === 'secret' && !ctx.store.secrets.has(v.value ?? '')) {
      throw invalidPointer(
        `/data/attributes/details/variables/${i}/value`,
        `A secret variable must reference an existing agent-secret id; '${v.value ?? ''}' does not exist.`,
      );
    }
    return {
      name: v.name,
      type: v.type,
      required: v.required ?? false,
      description: v.description ?? null,
      source,
      value: v.value ?? null,
    };
  });
}

/** The limits the spec states in prose: timeouts in (0, 10] s, retries 0–3, an https URL. */
function checkTool(tool: ToolState): void {
  const at = (field: string) => `/data/attributes/details/${field}`;
  if (!(tool.timeout_seconds > 0 && tool.timeout_seconds <= 10)) {
    throw invalidPointer(
      at('timeout_seconds'),
      'timeout_seconds must be greater than 0 and at most 10',
    );
  }
  if (!(tool.max_retries >= 0 && tool.max_retries <= 3)) {
    throw invalidPointer(at('max_retries'), 'max_retries must be between 0 and 3');
  }
  const template = tool.request_template;
  if (
    template &&
    !(template.request_timeout_seconds > 0 && template.request_timeout_seconds <= 10)
  ) {
    throw invalidPointer(
      at('request_template/request_timeout_seconds'),
      'request_timeout_seconds must be greater than 0 and at most 10',
    );
  }
  if (template && !/^https:\/\//.test(template.url_template)) {
    throw invalidPointer(
      at('request_template/url_template'),
      'url_template must be an https:// URL',
    );
  }
  if (tool.name.trim() === '')
    throw invalidPointer('/data/attributes/name', 'name must not be empty');
}

/** Secret names are trimmed and unique per account. */
function secretName(ctx: RequestContext, name: string, self: string | null): string {
  const trimmed = name.trim();
  if (trimmed === '') throw invalidPointer('/data/attributes/name', 'name must not be empty');
  const taken = [...ctx.store.secrets.values()].some((s) => s.name === trimmed && s.id !== self);
  if (taken) throw conflict(`A secret named '${trimmed}' already exists.`, '/data/attributes/name');
  return trimmed;
}

function secretValue(value: string): string {
  if (value === '') throw invalidPointer('/data/attributes/value', 'value must not be empty');
  return value;
}
