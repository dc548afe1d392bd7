/**
 * List prices per model, in USD per million tokens. Cache writes (5-minute TTL) cost 1.25× the
 * input price, cache reads 0.1×, and everything in a Message Batch half price.
 *
 * The 4.x prices are Anthropic's published list prices. The 5.x ids are priced as their 4.x tier
 * (opus/sonnet/haiku) — an assumption to check against the pricing page; ids not listed here
 * (fable, mythos) cost `null` and the ledger warns, rather than inventing a number.
 */
export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
}

export type PriceTable = Readonly<Record<string, ModelPrice>>;

const OPUS: ModelPrice = { inputPerMTok: 5, outputPerMTok: 25 };
const SONNET: ModelPrice = { inputPerMTok: 3, outputPerMTok: 15 };
const HAIKU: ModelPrice = { inputPerMTok: 1, outputPerMTok: 5 };

export const DEFAULT_PRICES: PriceTable = {
  'claude-opus-5-5': OPUS,
  'claude-opus-5': OPUS,
  'claude-opus-4-8': OPUS,
  'claude-opus-4-7': OPUS,
  'claude-opus-4-6': OPUS,
  'claude-opus-4-5': OPUS,
  'claude-opus-4-5-20251101': OPUS,
  'claude-sonnet-5-5': SONNET,
  'claude-sonnet-5': SONNET,
  'claude-sonnet-4-6': SONNET,
  'claude-sonnet-4-5': SONNET,
  'claude-sonnet-4-5-20250929': SONNET,
  'claude-haiku-5-5': HAIKU,
  'claude-haiku-4-5': HAIKU,
  'claude-haiku-4-5-20251001': HAIKU,
};

export const CACHE_WRITE_MULTIPLIER = 1.25;
export const CACHE_READ_MULTIPLIER = 0.1;
export const BATCH_MULTIPLIER = 0.5;

/** Token counts of one or more calls, as the API reports them (input excludes cached parts). */
export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
}

/** Cost in USD of `tokens` on `model`, or null when the model has no price in `table`. */
export function costUsd(
  model: string,
  tokens: TokenCounts,
  options: { batch?: boolean; table?: PriceTable } = {},
): number | null {
  const price = (options.table ?? DEFAULT_PRICES)[model];
  if (!price) return null;
  const input =
    tokens.inputTokens +
    tokens.cacheWriteTokens * CACHE_WRITE_MULTIPLIER +
    tokens.cacheReadTokens * CACHE_READ_MULTIPLIER;
  const usd = (input * price.inputPerMTok + tokens.outputTokens * price.outputPerMTok) / 1_000_000;
  return options.batch ? usd * BATCH_MULTIPLIER : usd;
}
