import type {
  ContentBlockParam,
  Message,
  MessageCreateParamsNonStreaming,
  TextBlockParam,
  Tool,
  Usage,
} from '@anthropic-ai/sdk/resources/messages';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { MAX_LISTED_ISSUES } from './errors.js';
import type { TokenCounts } from './prices.js';
import { loadPrompt } from './prompts.js';
import type { LlmStage, LlmUsage } from './types.js';

/**
 * One structured call: the model must answer by calling `toolName`, whose input schema is the
 * JSON Schema of `output`, and the answer is validated by `output`.
 */
export interface StructuredRequest<T> {
  stage: LlmStage;
  /**
   * `cached` is the shared prefix (identical across the calls of a run, byte for byte); it is
   * sent after the prompt's own system section, with a cache breakpoint. `rest` is uncached.
   */
  system: { cached: string; rest?: string };
  prompt: { name: string; vars: Record<string, string> };
  output: z.ZodType<T>;
  toolName: string;
  toolDescription: string;
  /** @defaultValue 2048 */
  maxTokens?: number;
  accountId: string;
  runId: string;
}

export interface StructuredResult<T> {
  value: T;
  /** Tokens and cost of every call made for this result (a repair included). */
  usage: LlmUsage;
  model: string;
  /** `<prompt name>.v<N>`. */
  promptVersion: string;
}

export const DEFAULT_MAX_TOKENS = 2048;

export type Validation<T> = { ok: true; value: T } | { ok: false; issues: string[] };

const schemaCache = new WeakMap<z.ZodType, Tool.InputSchema>();

/**
 * The tool's `input_schema`. Output mode keeps `additionalProperties: false` on objects, which
 * tells the model not to add fields; output schemas have no transforms or defaults, so both
 * modes describe the same values.
 */
export function toolInputSchema(schema: z.ZodType): Tool.InputSchema {
  const cached = schemaCache.get(schema);
  if (cached) return cached;
  const { $schema: _drop, ...json } = z.toJSONSchema(schema);
  if (json['type'] !== 'object') {
    throw new ConfigError(
      'a structured output schema must be a z.object (tool input is an object)',
    );
  }
  const inputSchema: Tool.InputSchema = { ...json, type: 'object' };
  schemaCache.set(schema, inputSchema);
  return inputSchema;
}

/** The Messages API request for a structured call, and the prompt version it used. */
export function buildParams<T>(
  req: StructuredRequest<T>,
  model: string,
): { params: MessageCreateParamsNonStreaming; promptVersion: string } {
  const prompt = loadPrompt(req.prompt.name, req.prompt.vars);
  const prefix = [prompt.system, req.system.cached].filter((s) => s.length > 0).join('\n\n');
  const system: TextBlockParam[] = [
    { type: 'text', text: prefix, cache_control: { type: 'ephemeral' } },
  ];
  if (req.system.rest) system.push({ type: 'text', text: req.system.rest });
  const params: MessageCreateParamsNonStreaming = {
    model,
    max_tokens: req.maxTokens ?? DEFAULT_MAX_TOKENS,
    system,
    tools: [
      {
        name: req.toolName,
        description: req.toolDescription,
        input_schema: toolInputSchema(req.output),
      },
    ],
    tool_choice: { type: 'tool', name: req.toolName },
    messages: [{ role: 'user', content: prompt.user }],
  };
  return { params, promptVersion: prompt.id };
}

/** Finds the forced tool call in the answer and validates its input. */
export function validateAnswer<T>(
  message: Message,
  toolName: string,
  schema: z.ZodType<T>,
): Validation<T> {
  const call = contentOf(message).find((b) => b.type === 'tool_use' && b.name === toolName);
  if (!call || call.type !== 'tool_use') {
    return {
      ok: false,
      issues: [
        `the answer did not call the tool ${toolName} (stop_reason: ${message.stop_reason})`,
      ],
    };
  }
  if (message.stop_reason === 'max_tokens') {
    return { ok: false, issues: ['the answer was cut off at max_tokens; answer more briefly'] };
  }
  const parsed = schema.safeParse(call.input);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, issues: formatIssues(parsed.error) };
}

/** Zod issues as `path: message` lines, at most MAX_LISTED_ISSUES of them. */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues
    .slice(0, MAX_LISTED_ISSUES)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
}

/**
 * The repair request: the original conversation, the model's answer, and a user turn listing
 * what was wrong. A tool call must be answered by a tool_result, so the issues go there.
 */
export function repairParams(
  params: MessageCreateParamsNonStreaming,
  answer: Message,
  toolName: string,
  issues: readonly string[],
): MessageCreateParamsNonStreaming {
  const assistant: ContentBlockParam[] = [];
  for (const block of contentOf(answer)) {
    if (block.type === 'text') assistant.push({ type: 'text', text: block.text });
    if (block.type === 'tool_use') {
      assistant.push({ type: 'tool_use', id: block.id, name: block.name, input: block.input });
    }
  }
  const feedback =
    `Your answer did not match the ${toolName} input schema:\n` +
    issues.map((i) => `- ${i}`).join('\n') +
    `\nCall ${toolName} again with a complete, corrected input.`;
  const calls = assistant.filter((b) => b.type === 'tool_use');
  const user: ContentBlockParam[] =
    calls.length > 0
      ? calls.map((b, i) => ({
          type: 'tool_result' as const,
          tool_use_id: b.id,
          is_error: true,
          content: i === 0 ? feedback : 'See above.',
        }))
      : [{ type: 'text', text: feedback }];
  if (assistant.length === 0) assistant.push({ type: 'text', text: '(no answer)' });
  return {
    ...params,
    messages: [
      ...params.messages,
      { role: 'assistant', content: assistant },
      { role: 'user', content: user },
    ],
  };
}

/** Token counts from the API's usage block (absent fields mean zero). */
export function tokensOf(usage: Usage | undefined): TokenCounts {
  return {
    inputTokens: usage?.input_tokens ?? 0,
    outputTokens: usage?.output_tokens ?? 0,
    cacheWriteTokens: usage?.cache_creation_input_tokens ?? 0,
    cacheReadTokens: usage?.cache_read_input_tokens ?? 0,
  };
}

// A malformed response (a proxy's, or a changed API) must read as "no answer", not crash.
function contentOf(message: Message): Message['content'] {
  return Array.isArray(message.content) ? message.content : [];
}
