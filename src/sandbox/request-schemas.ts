import { z } from 'zod';
import { ApiProblem, conflict, invalidPointer } from './http-errors.js';

/**
 * Zod schemas of every request body in the spec (`*RequestDataWrapper`). Objects are strict:
 * an attribute the spec does not define is a 400 pointing at it, as the real API rejects unknown
 * fields. `nullable` fields in update requests mean "leave unchanged".
 */

const opt = <T extends z.ZodType>(schema: T) => schema.nullable().optional();
const guidance = z.strictObject({
  title: z.string(),
  description: z.string(),
  status: z.enum(['enabled', 'disabled']),
});
const keyValue = z.strictObject({ name: z.string(), value: z.string() });
const variable = z.strictObject({
  name: z.string(),
  type: z.enum(['string', 'number', 'boolean']),
  required: z.boolean().optional(),
  description: opt(z.string()),
  source: z.enum(['dynamic', 'klaviyo', 'secret']).optional(),
  value: opt(z.string()),
});
const httpMethod = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const jsonObject = z.record(z.string(), z.unknown());
const toolRelationship = z.strictObject({
  data: z.array(z.strictObject({ type: z.literal('agent-tool'), id: z.string() })),
});
const timeframe = z.strictObject({
  key: opt(
    z.enum([
      'today',
      'yesterday',
      'this_week',
      'last_week',
      'last_7_days',
      'last_30_days',
      'last_90_days',
      'this_month',
      'last_month',
    ]),
  ),
  start: opt(z.string()),
  end: opt(z.string()),
});

function wrapper<A extends z.ZodType, E extends z.ZodRawShape = Record<never, never>>(
  type: string,
  attributes: A,
  extra?: E,
) {
  return z.strictObject({
    data: z.strictObject({ type: z.literal(type), attributes, ...(extra as E) }),
  });
}

const withId = { id: z.string() };

export const KnowledgeCreate = wrapper(
  'agent-knowledge',
  z.strictObject({
    source: z.discriminatedUnion('source_type', [
      z.strictObject({ source_type: z.literal('snippet'), title: z.string(), content: z.string() }),
      z.strictObject({
        source_type: z.literal('webpage'),
        url: z.string(),
        scope: z.enum(['single-page', 'entire-site']).optional(),
        auto_reindex: opt(z.boolean()),
      }),
    ]),
  }),
);

export const KnowledgeUpdate = wrapper(
  'agent-knowledge',
  z.strictObject({ title: opt(z.string()), content: opt(z.string()) }),
  withId,
);

export const ConversationUpdate = wrapper(
  'customer-agent-conversation',
  z.strictObject({ status: opt(z.literal('closed')) }),
  withId,
);

export const AgentUpdate = wrapper(
  'customer-agent',
  z.strictObject({
    name: opt(z.string()),
    tone_of_voice: opt(
      z.strictObject({
        preset: opt(z.enum(['neutral', 'professional', 'friendly', 'playful', 'custom'])),
        custom_instruction: opt(z.string()),
      }),
    ),
    escalation_rules: opt(z.array(guidance)),
    communication_styles: opt(z.array(guidance)),
  }),
  withId,
);

export const ResponseCreate = wrapper(
  'customer-agent-response',
  z.strictObject({
    mode: z.enum(['preview', 'live']),
    channel: z.enum(['web-chat', 'sms', 'email', 'whatsapp']).optional(),
    messages: z.array(z.strictObject({ content: z.string(), role: z.enum(['user', 'agent']) })),
    customer: opt(
      z.strictObject({
        email: opt(z.string()),
        first_name: opt(z.string()),
        last_name: opt(z.string()),
        phone_number: opt(z.string()),
        profile_id: opt(z.string()),
      }),
    ),
  }),
  {
    relationships: z
      .strictObject({
        conversation: z
          .strictObject({
            data: z.strictObject({
              type: z.literal('customer-agent-conversation'),
              id: z.string(),
            }),
          })
          .optional(),
      })
      .optional(),
  },
);

export const SecretCreate = wrapper(
  'agent-secret',
  z.strictObject({ name: z.string(), value: z.string() }),
);

export const SecretUpdate = wrapper(
  'agent-secret',
  z.strictObject({ name: opt(z.string()), value: opt(z.string()) }),
  withId,
);

const skillStatus = z.enum(['draft', 'live']);
const handoff = z.enum(['none', 'offer', 'immediate', 'all', 'custom']);

export const SkillCreate = wrapper(
  'agent-skill',
  z.strictObject({
    display_name: z.string(),
    description: z.string(),
    instructions: z.string(),
    status: skillStatus,
    handoff: opt(handoff),
  }),
  { relationships: z.strictObject({ 'agent-tools': toolRelationship.optional() }).optional() },
);

export const SkillUpdate = wrapper(
  'agent-skill',
  z.strictObject({
    display_name: opt(z.string()),
    description: opt(z.string()),
    instructions: opt(z.string()),
    status: opt(skillStatus),
    handoff: opt(handoff),
  }),
  {
    ...withId,
    relationships: z.strictObject({ 'agent-tools': toolRelationship.optional() }).optional(),
  },
);

export const ToolCreate = wrapper(
  'agent-tool',
  z.strictObject({
    name: z.string(),
    public_description: z.string(),
    details: z.strictObject({
      type: z.literal('custom'),
      protocol: z.literal('https').optional(),
      request_template: z.strictObject({
        url_template: z.string(),
        http_method: httpMethod,
        request_timeout_seconds: z.number().int().optional(),
        query_parameters: opt(z.array(keyValue)),
        headers: opt(z.array(keyValue)),
        body_template: opt(jsonObject),
      }),
      variables: z.array(variable).optional(),
      timeout_seconds: z.number().int().optional(),
      max_retries: z.number().int().optional(),
    }),
  }),
);

export const ToolUpdate = wrapper(
  'agent-tool',
  z.strictObject({
    name: opt(z.string()),
    public_description: opt(z.string()),
    details: opt(
      z.strictObject({
        type: z.literal('custom'),
        protocol: opt(z.literal('https')),
        request_template: opt(
          z.strictObject({
            url_template: opt(z.string()),
            http_method: opt(httpMethod),
            request_timeout_seconds: opt(z.number().int()),
            query_parameters: opt(z.array(keyValue)),
            headers: opt(z.array(keyValue)),
            body_template: opt(jsonObject),
          }),
        ),
        variables: opt(z.array(variable)),
        timeout_seconds: opt(z.number().int()),
        max_retries: opt(z.number().int()),
      }),
    ),
  }),
  withId,
);

export const ValuesReport = wrapper(
  'customer-agent-values-report',
  z.strictObject({
    statistics: z.array(z.enum(['volume', 'resolution-rate'])),
    timeframe,
    groupings: z.array(z.enum(['channel', 'status'])).optional(),
  }),
);

export const SkillValuesReport = wrapper(
  'customer-agent-skill-values-report',
  z.strictObject({
    statistics: z.array(z.literal('volume')),
    groupings: z.array(z.literal('skill')),
    timeframe,
    filter: opt(z.string()),
  }),
);

/**
 * Validates a request body. A `data.type` other than the endpoint's is a 409 (JSON:API); a
 * `data.id` that differs from the path id is a 409 pointing at `/data/id` (Klaviyo's behaviour);
 * everything else that does not match the schema is a 400 pointing at the field.
 */
export function parseBody<S extends z.ZodType>(
  schema: S,
  body: unknown,
  expected: { type: string; pathId?: string },
): z.output<S> {
  const data = isRecord(body) ? body['data'] : undefined;
  if (!isRecord(data)) {
    throw invalidPointer(
      '/data',
      "The request body must be a JSON:API document with a 'data' object.",
    );
  }
  {
    if (typeof data['type'] === 'string' && data['type'] !== expected.type) {
      throw conflict(
        `The resource type '${data['type']}' does not match '${expected.type}'.`,
        '/data/type',
      );
    }
    if (
      expected.pathId !== undefined &&
      typeof data['id'] === 'string' &&
      data['id'] !== expected.pathId
    ) {
      throw conflict(
        `The id '${data['id']}' in the request body does not match the id '${expected.pathId}' in the URL.`,
        '/data/id',
      );
    }
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new ApiProblem(400, result.error.issues.slice(0, 5).map(issueToItem));
}

function issueToItem(issue: z.core.$ZodIssue) {
  const path = issue.path.map(String);
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const pointer = `/${[...path, ...keys.slice(0, 1)].join('/')}`.replace(/\/$/, '') || '/';
  const detail =
    issue.code === 'unrecognized_keys'
      ? `'${keys.join("', '")}' is not a valid field here`
      : `${issue.message}${path.length ? ` at '${pointer}'` : ''}`;
  return { detail, source: { pointer: pointer === '' ? '/' : pointer } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
