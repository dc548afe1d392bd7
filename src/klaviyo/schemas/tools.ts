import { z } from 'zod';
import { DateTimeString, resourceSchema, responseEnum, toManySchema } from './common.js';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export const VARIABLE_TYPES = ['string', 'number', 'boolean'] as const;
export const VARIABLE_SOURCES = ['dynamic', 'klaviyo', 'secret'] as const;

const KeyValueSchema = z.looseObject({ name: z.string(), value: z.string() });

const VariableSchema = z.looseObject({
  name: z.string(),
  type: responseEnum(VARIABLE_TYPES, 'tool.variable.type'),
  required: z.boolean().optional(),
  description: z.string().nullish(),
  source: responseEnum(VARIABLE_SOURCES, 'tool.variable.source').optional(),
  value: z.string().nullish(),
});

const RequestTemplateSchema = z.looseObject({
  url_template: z.string(),
  http_method: responseEnum(HTTP_METHODS, 'tool.http_method'),
  request_timeout_seconds: z.number().optional(),
  query_parameters: z.array(KeyValueSchema).nullish(),
  headers: z.array(KeyValueSchema).nullish(),
  body_template: z.record(z.string(), z.unknown()).nullish(),
});

/** Details of a custom HTTPS tool. */
export const AgentToolCustomDetailsSchema = z.looseObject({
  type: z.literal('custom').optional(),
  protocol: z.string(),
  request_template: RequestTemplateSchema,
  variables: z.array(VariableSchema),
  timeout_seconds: z.number(),
  max_retries: z.number(),
  created_at: DateTimeString.nullish(),
  updated_at: DateTimeString.nullish(),
});

/** Details of a first-party Klaviyo tool. */
export const AgentToolInternalDetailsSchema = z.looseObject({
  type: z.literal('internal').optional(),
  config_params: z
    .array(
      z.looseObject({
        name: z.string(),
        label: z.string(),
        description: z.string().nullish(),
        input_type: z.string().optional(),
        required: z.boolean().optional(),
      }),
    )
    .optional(),
});

export const AgentToolAttributesSchema = z.looseObject({
  name: z.string(),
  public_description: z.string(),
  // `type` defaults on both variants, so it cannot discriminate: try custom first, then internal.
  details: z.union([AgentToolCustomDetailsSchema, AgentToolInternalDetailsSchema]),
  public_name: z.string().nullish(),
});
export type AgentToolAttributes = z.infer<typeof AgentToolAttributesSchema>;

/** A tool (`agent-tool`) with the secrets it references and the skills bound to it. */
export const AgentToolSchema = resourceSchema(
  'agent-tool',
  AgentToolAttributesSchema,
  z.looseObject({
    'agent-secrets': toManySchema('agent-secret').optional(),
    'agent-skills': toManySchema('agent-skill').optional(),
  }),
);
export type AgentTool = z.infer<typeof AgentToolSchema>;

const KeyValueRequestSchema = z.strictObject({ name: z.string().min(1), value: z.string() });
const TimeoutSeconds = z.int().positive().max(10);

const VariableRequestSchema = z.strictObject({
  name: z.string().min(1),
  type: z.enum(VARIABLE_TYPES),
  required: z.boolean().optional(),
  description: z.string().nullish(),
  source: z.enum(VARIABLE_SOURCES).optional(),
  value: z.string().nullish(),
});

export const AgentToolCreateSchema = z.strictObject({
  name: z.string().min(1),
  public_description: z.string().min(1),
  details: z.strictObject({
    type: z.literal('custom'),
    protocol: z.literal('https').optional(),
    request_template: z.strictObject({
      url_template: z.string().min(1),
      http_method: z.enum(HTTP_METHODS),
      request_timeout_seconds: TimeoutSeconds.optional(),
      query_parameters: z.array(KeyValueRequestSchema).nullish(),
      headers: z.array(KeyValueRequestSchema).nullish(),
      body_template: z.record(z.string(), z.unknown()).nullish(),
    }),
    variables: z.array(VariableRequestSchema).optional(),
    timeout_seconds: TimeoutSeconds.optional(),
    max_retries: z.int().min(0).max(3).optional(),
  }),
});
export type AgentToolCreate = z.input<typeof AgentToolCreateSchema>;

export const AgentToolUpdateSchema = z.strictObject({
  name: z.string().min(1).nullish(),
  public_description: z.string().min(1).nullish(),
  details: z
    .strictObject({
      type: z.literal('custom'),
      protocol: z.literal('https').nullish(),
      request_template: z
        .strictObject({
          url_template: z.string().min(1).nullish(),
          http_method: z.enum(HTTP_METHODS).nullish(),
          request_timeout_seconds: TimeoutSeconds.nullish(),
          query_parameters: z.array(KeyValueRequestSchema).nullish(),
          headers: z.array(KeyValueRequestSchema).nullish(),
          body_template: z.record(z.string(), z.unknown()).nullish(),
        })
        .optional(),
      variables: z.array(VariableRequestSchema).nullish(),
      timeout_seconds: TimeoutSeconds.nullish(),
      max_retries: z.int().min(0).max(3).nullish(),
    })
    .optional(),
});
export type AgentToolUpdate = z.input<typeof AgentToolUpdateSchema>;
