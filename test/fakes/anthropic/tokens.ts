import { createHash } from 'node:crypto';

/**
 * Deterministic token accounting for the fake Anthropic server. A request is cut into segments in
 * the order the real API builds its cache prefix (tools → system → messages); each segment costs
 * ceil(chars / 4) tokens. The prefix is every segment up to and including the last one marked
 * with `cache_control` (or all of them with a top-level `cache_control`).
 */

export interface Segment {
  text: string;
  cacheBreakpoint: boolean;
}

export interface TokenSplit {
  /** Tokens of the cacheable prefix (0 when nothing is marked). */
  prefixTokens: number;
  /** Tokens after the prefix. */
  restTokens: number;
  /** Cache key: model + the prefix's exact text. Undefined when nothing is marked. */
  prefixKey: string | undefined;
}

export function countTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The block without its cache marker, so marking a block does not change its token count. */
function stripCache(block: Json): { text: string; marked: boolean } {
  const { cache_control: cache, ...rest } = block;
  return { text: JSON.stringify(rest), marked: cache !== undefined && cache !== null };
}

/** Cuts a Messages API body into ordered segments. */
export function segmentsOf(body: Json): Segment[] {
  const segments: Segment[] = [];
  for (const tool of Array.isArray(body['tools']) ? body['tools'] : []) {
    if (!isObject(tool)) continue;
    const { text, marked } = stripCache(tool);
    segments.push({ text: `tool:${text}`, cacheBreakpoint: marked });
  }
  const system = body['system'];
  if (typeof system === 'string')
    segments.push({ text: `system:${system}`, cacheBreakpoint: false });
  for (const block of Array.isArray(system) ? system : []) {
    if (!isObject(block)) continue;
    const marked = block['cache_control'] !== undefined && block['cache_control'] !== null;
    segments.push({ text: `system:${String(block['text'] ?? '')}`, cacheBreakpoint: marked });
  }
  for (const message of Array.isArray(body['messages']) ? body['messages'] : []) {
    if (!isObject(message)) continue;
    const role = String(message['role']);
    const content = message['content'];
    if (typeof content === 'string') {
      segments.push({ text: `${role}:${content}`, cacheBreakpoint: false });
      continue;
    }
    for (const block of Array.isArray(content) ? content : []) {
      if (!isObject(block)) continue;
      const { text, marked } = stripCache(block);
      segments.push({ text: `${role}:${text}`, cacheBreakpoint: marked });
    }
  }
  const last = segments.at(-1);
  if (body['cache_control'] && last) last.cacheBreakpoint = true;
  return segments;
}

/** Splits a request's input tokens into the cacheable prefix and the rest. */
export function splitTokens(model: string, body: Json): TokenSplit {
  const segments = segmentsOf(body);
  let end = -1;
  segments.forEach((s, i) => {
    if (s.cacheBreakpoint) end = i;
  });
  const tokens = segments.map((s) => countTokens(s.text));
  const total = tokens.reduce((a, b) => a + b, 0);
  if (end < 0) return { prefixTokens: 0, restTokens: total, prefixKey: undefined };
  const prefixTokens = tokens.slice(0, end + 1).reduce((a, b) => a + b, 0);
  const prefixKey = createHash('sha256')
    .update(model)
    .update('\u0000')
    .update(JSON.stringify(segments.slice(0, end + 1).map((s) => s.text)))
    .digest('hex');
  return { prefixTokens, restTokens: total - prefixTokens, prefixKey };
}

/** Usage as the real API reports it, given whether the prefix was read from the cache. */
export interface CacheOutcome {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  hit: boolean;
  wrote: boolean;
}

/** A prompt cache with a sliding TTL (each read refreshes it, as the real cache does). */
export class PromptCache {
  private readonly entries = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly minTokens: number,
    private readonly now: () => number,
  ) {}

  apply(split: TokenSplit): CacheOutcome {
    const none = { cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
    if (!split.prefixKey || split.prefixTokens < this.minTokens) {
      const input = split.prefixTokens + split.restTokens;
      return { input_tokens: input, ...none, hit: false, wrote: false };
    }
    const now = this.now();
    const expiresAt = this.entries.get(split.prefixKey);
    this.entries.set(split.prefixKey, now + this.ttlMs);
    if (expiresAt !== undefined && expiresAt > now) {
      return {
        input_tokens: split.restTokens,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: split.prefixTokens,
        hit: true,
        wrote: false,
      };
    }
    return {
      input_tokens: split.restTokens,
      cache_creation_input_tokens: split.prefixTokens,
      cache_read_input_tokens: 0,
      hit: false,
      wrote: true,
    };
  }
}
