/**
 * The fake server's view of a Messages API request: the raw body plus the parts tests assert on.
 */

export interface ParsedMessagesRequest {
  model: string;
  maxTokens: number;
  /** System blocks in order; `cached` when the block carries `cache_control`. */
  system: { text: string; cached: boolean }[];
  /** Messages with content normalized to a block array. */
  messages: { role: string; content: Record<string, unknown>[] }[];
  tools: { name: string; description?: string; input_schema: unknown }[];
  /** The tool `tool_choice` forces, if any. */
  forcedTool: string | undefined;
  /** Text of the last user turn (its text blocks and tool_result contents). */
  lastUserText: string;
  /** Every system and message text, joined (for "does the request contain X" assertions). */
  allText: string;
  /** `Authorization: Bearer` value, or the `x-api-key` value. */
  apiKey: string;
  anthropicVersion: string;
  /** The SDK's `x-stainless-retry-count` header (0 on a first attempt). */
  retryCount: number;
  /** Set for requests that arrived inside a batch. */
  batchCustomId: string | undefined;
  body: Record<string, unknown>;
}

export interface RequestHeaders {
  apiKey: string;
  anthropicVersion: string;
  retryCount: number;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function blocksOf(content: unknown): Json[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return Array.isArray(content) ? content.filter(isObject) : [];
}

function textOf(block: Json): string {
  if (typeof block['text'] === 'string') return block['text'];
  if (block['type'] === 'tool_result') {
    return blocksOf(block['content'])
      .map((b) => (typeof b['text'] === 'string' ? b['text'] : ''))
      .join('\n');
  }
  return '';
}

/** Checks what the real API would refuse with a 400; returns the reason, or undefined. */
export function invalidReason(body: Json): string | undefined {
  if (typeof body['model'] !== 'string' || body['model'] === '') return 'model: field required';
  if (typeof body['max_tokens'] !== 'number') return 'max_tokens: field required';
  const messages = body['messages'];
  if (!Array.isArray(messages) || messages.length === 0) return 'messages: at least one message';
  // Every tool_use must be answered by a tool_result in the next (user) message.
  for (let i = 0; i < messages.length; i++) {
    const message: unknown = messages[i];
    if (!isObject(message) || message['role'] !== 'assistant') continue;
    const uses = blocksOf(message['content']).filter((b) => b['type'] === 'tool_use');
    if (uses.length === 0) continue;
    const next: unknown = messages[i + 1];
    const results = isObject(next) ? blocksOf(next['content']) : [];
    for (const use of uses) {
      const answered = results.some(
        (b) => b['type'] === 'tool_result' && b['tool_use_id'] === use['id'],
      );
      if (!answered) {
        return `messages.${i + 1}: tool_use ids were found without tool_result blocks immediately after`;
      }
    }
  }
  return undefined;
}

export function parseMessagesRequest(
  body: Json,
  headers: RequestHeaders,
  batchCustomId?: string,
): ParsedMessagesRequest {
  const rawSystem = body['system'];
  const system =
    typeof rawSystem === 'string'
      ? [{ text: rawSystem, cached: false }]
      : blocksOf(rawSystem).map((b) => ({
          text: String(b['text'] ?? ''),
          cached: b['cache_control'] != null,
        }));
  const messages = (Array.isArray(body['messages']) ? body['messages'] : [])
    .filter(isObject)
    .map((m) => ({ role: String(m['role']), content: blocksOf(m['content']) }));
  const tools = (Array.isArray(body['tools']) ? body['tools'] : []).filter(isObject).map((t) => ({
    name: String(t['name']),
    ...(typeof t['description'] === 'string' ? { description: t['description'] } : {}),
    input_schema: t['input_schema'],
  }));
  const choice = body['tool_choice'];
  const forcedTool =
    isObject(choice) && choice['type'] === 'tool' && typeof choice['name'] === 'string'
      ? choice['name']
      : undefined;
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  return {
    model: String(body['model']),
    maxTokens: Number(body['max_tokens']),
    system,
    messages,
    tools,
    forcedTool,
    lastUserText: lastUser ? lastUser.content.map(textOf).join('\n') : '',
    allText: [...system.map((s) => s.text), ...messages.flatMap((m) => m.content.map(textOf))].join(
      '\n',
    ),
    ...headers,
    batchCustomId,
    body,
  };
}
