import type { TokenCounts } from './prices.js';

/** The steps of the loop that call Claude; each has its own model setting. */
export type LlmStage = 'diagnose' | 'draft' | 'judge';

export const LLM_STAGES: readonly LlmStage[] = ['diagnose', 'draft', 'judge'];

/** Tokens and cost of one or more calls. `costUsd` is null when no call had a known price. */
export interface LlmUsage extends TokenCounts {
  calls: number;
  costUsd: number | null;
}

export const ZERO_USAGE: LlmUsage = {
  calls: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheWriteTokens: 0,
  cacheReadTokens: 0,
  costUsd: null,
};

/** Adds two usages; a null cost counts as unknown, not as zero, unless the other side is known. */
export function addUsage(a: LlmUsage, b: LlmUsage): LlmUsage {
  return {
    calls: a.calls + b.calls,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    costUsd: a.costUsd === null && b.costUsd === null ? null : (a.costUsd ?? 0) + (b.costUsd ?? 0),
  };
}
