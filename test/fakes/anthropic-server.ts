import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  invalidReason,
  parseMessagesRequest,
  type ParsedMessagesRequest,
  type RequestHeaders,
} from './anthropic/parse.js';
import {
  batchResult,
  checkHeaders,
  ERROR_TYPES,
  HttpFailure,
  readJson,
  send,
  type FakeErrorStatus,
} from './anthropic/http.js';
import { countTokens, PromptCache, splitTokens } from './anthropic/tokens.js';

/**
 * A local fake of the Anthropic Messages API for tests and benchmarks: the real SDK is pointed at
 * it with `baseURL`. It serves scripted answers (tool calls, text, HTTP errors, raw bodies),
 * accepts the SDK's `Authorization: Bearer` key (and `x-api-key`), counts tokens the same
 * deterministic way for every request, and emulates prompt caching and the Message Batches API.
 */

export type { FakeErrorStatus } from './anthropic/http.js';

export type FakeReply =
  | { toolInput: unknown; toolName?: string }
  | { text: string }
  | { status: FakeErrorStatus; retryAfter?: number; message?: string }
  | { raw: unknown };

export type { ParsedMessagesRequest } from './anthropic/parse.js';

export interface FakeAnthropicOptions {
  /** Answers requests the script does not cover; `n` counts message requests from 0. */
  respond?: (req: ParsedMessagesRequest, n: number) => FakeReply | Promise<FakeReply>;
  /** Accept only this key (any non-empty key otherwise). */
  apiKey?: string;
  /** @defaultValue 300000 (5 minutes, the API's ephemeral TTL) */
  cacheTtlMs?: number;
  /** Prefixes shorter than this are not cached, as on the real API. @defaultValue 0 */
  minCacheableTokens?: number;
  /** Batch status polls answered `in_progress` before `ended`. @defaultValue 0 */
  batchPollsBeforeEnd?: number;
  now?: () => number;
}

export interface FakeAnthropicStats {
  /** Every HTTP request received (retries and polls included). */
  requests: number;
  /** Message requests answered, direct or inside a batch (error replies included). */
  messages: number;
  batchItems: number;
  batches: number;
  countTokens: number;
  /** Error replies served (scripted statuses, auth and validation failures). */
  errors: number;
  /** Tokens of answered messages, as reported in their `usage`. */
  tokens: { input: number; cacheWrite: number; cacheRead: number; output: number };
  cacheHits: number;
  cacheWrites: number;
}

export interface FakeAnthropic {
  /** Base URL for the SDK's `baseURL`, e.g. `http://127.0.0.1:43123`. */
  url: string;
  /** Queues replies served in order before `respond` is consulted. */
  script(replies: readonly FakeReply[]): void;
  /** Every message request received, in order (batch items included). */
  requests(): ParsedMessagesRequest[];
  stats(): FakeAnthropicStats;
  close(): Promise<void>;
}

interface BatchState {
  id: string;
  createdAt: string;
  endedAt: string | null;
  pollsLeft: number;
  lines: { custom_id: string; result: Record<string, unknown> }[];
}

export async function startFakeAnthropic(
  options: FakeAnthropicOptions = {},
): Promise<FakeAnthropic> {
  const now = options.now ?? Date.now;
  const cache = new PromptCache(
    options.cacheTtlMs ?? 300_000,
    options.minCacheableTokens ?? 0,
    now,
  );
  const queue: FakeReply[] = [];
  const received: ParsedMessagesRequest[] = [];
  const batches = new Map<string, BatchState>();
  const stats: FakeAnthropicStats = {
    requests: 0,
    messages: 0,
    batchItems: 0,
    batches: 0,
    countTokens: 0,
    errors: 0,
    tokens: { input: 0, cacheWrite: 0, cacheRead: 0, output: 0 },
    cacheHits: 0,
    cacheWrites: 0,
  };
  let ids = 0;
  let baseUrl = '';

  const nextReply = async (req: ParsedMessagesRequest): Promise<FakeReply> => {
    const n = stats.messages++;
    received.push(req);
    const scripted = queue.shift();
    if (scripted) return scripted;
    if (options.respond) return options.respond(req, n);
    return { text: 'fake anthropic: no scripted reply' };
  };

  /** The Message for a reply, or the failure to send instead. */
  const answer = async (req: ParsedMessagesRequest, batch: boolean) => {
    const reply = await nextReply(req);
    if ('status' in reply) {
      return new HttpFailure(
        reply.status,
        reply.message ?? ERROR_TYPES[reply.status],
        reply.retryAfter,
      );
    }
    if ('raw' in reply) return { raw: reply.raw };
    const usage = cache.apply(splitTokens(req.model, req.body));
    const tool = 'toolInput' in reply;
    const content = tool
      ? [
          {
            type: 'tool_use',
            id: `toolu_fake_${++ids}`,
            name: reply.toolName ?? req.forcedTool ?? req.tools[0]?.name ?? 'tool',
            input: reply.toolInput,
          },
        ]
      : [{ type: 'text', text: reply.text }];
    const output = countTokens(tool ? JSON.stringify(reply.toolInput) : reply.text);
    stats.tokens.input += usage.input_tokens;
    stats.tokens.cacheWrite += usage.cache_creation_input_tokens;
    stats.tokens.cacheRead += usage.cache_read_input_tokens;
    stats.tokens.output += output;
    if (usage.hit) stats.cacheHits += 1;
    if (usage.wrote) stats.cacheWrites += 1;
    return {
      id: `msg_fake_${++ids}`,
      type: 'message',
      role: 'assistant',
      model: req.model,
      content,
      stop_reason: tool ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: usage.input_tokens,
        output_tokens: output,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
        cache_creation: {
          ephemeral_5m_input_tokens: usage.cache_creation_input_tokens,
          ephemeral_1h_input_tokens: 0,
        },
        service_tier: batch ? 'batch' : 'standard',
      },
    };
  };

  const batchJson = (b: BatchState) => {
    const ended = b.endedAt !== null;
    const count = (type: string) =>
      ended ? b.lines.filter((l) => l.result['type'] === type).length : 0;
    return {
      id: b.id,
      type: 'message_batch',
      processing_status: ended ? 'ended' : 'in_progress',
      request_counts: {
        processing: ended ? 0 : b.lines.length,
        succeeded: count('succeeded'),
        errored: count('errored'),
        canceled: 0,
        expired: 0,
      },
      created_at: b.createdAt,
      ended_at: b.endedAt,
      expires_at: new Date(Date.parse(b.createdAt) + 86_400_000).toISOString(),
      archived_at: null,
      cancel_initiated_at: null,
      results_url: ended ? `${baseUrl}/v1/messages/batches/${b.id}/results` : null,
    };
  };

  const createBatch = async (body: Record<string, unknown>, headers: RequestHeaders) => {
    const requests = Array.isArray(body['requests']) ? body['requests'] : [];
    if (requests.length === 0) return new HttpFailure(400, 'requests: at least one request');
    const lines: BatchState['lines'] = [];
    for (const item of requests as { custom_id?: unknown; params?: unknown }[]) {
      const customId = String(item.custom_id);
      const params = (item.params ?? {}) as Record<string, unknown>;
      stats.batchItems += 1;
      const invalid = invalidReason(params);
      const result = invalid
        ? new HttpFailure(400, invalid)
        : await answer(parseMessagesRequest(params, headers, customId), true);
      lines.push({ custom_id: customId, result: batchResult(result) });
    }
    stats.batches += 1;
    const state: BatchState = {
      id: `msgbatch_fake_${++ids}`,
      createdAt: new Date(now()).toISOString(),
      endedAt: null,
      pollsLeft: options.batchPollsBeforeEnd ?? 0,
      lines,
    };
    batches.set(state.id, state);
    return batchJson(state);
  };

  const route = async (req: IncomingMessage, body: unknown): Promise<unknown> => {
    const headers = checkHeaders(req, options.apiKey);
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const json = (body ?? {}) as Record<string, unknown>;
    if (req.method === 'POST' && path === '/v1/messages') {
      const invalid = invalidReason(json);
      if (invalid) return new HttpFailure(400, invalid);
      return answer(parseMessagesRequest(json, headers), false);
    }
    if (req.method === 'POST' && path === '/v1/messages/count_tokens') {
      stats.countTokens += 1;
      const split = splitTokens(String(json['model']), json);
      return { input_tokens: split.prefixTokens + split.restTokens };
    }
    if (req.method === 'POST' && path === '/v1/messages/batches') return createBatch(json, headers);
    const match = /^\/v1\/messages\/batches\/([^/]+)(\/results)?$/.exec(path);
    const batch = match?.[1] ? batches.get(match[1]) : undefined;
    if (req.method !== 'GET' || !match || !batch) return new HttpFailure(404, `no route ${path}`);
    if (match[2]) {
      if (batch.endedAt === null) return new HttpFailure(400, 'batch has not ended');
      return { jsonl: batch.lines.map((l) => JSON.stringify(l)).join('\n') + '\n' };
    }
    if (batch.endedAt === null && batch.pollsLeft-- <= 0)
      batch.endedAt = new Date(now()).toISOString();
    return batchJson(batch);
  };

  const server = createServer((req, res) => {
    stats.requests += 1;
    readJson(req)
      .then((body) => route(req, body))
      .catch((error: unknown) =>
        error instanceof HttpFailure ? error : new HttpFailure(500, String(error)),
      )
      .then((result) => {
        if (result instanceof HttpFailure) stats.errors += 1;
        send(res, result, `req_fake_${stats.requests}`);
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    script: (replies) => void queue.push(...replies),
    requests: () => [...received],
    stats: () => structuredClone(stats),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
