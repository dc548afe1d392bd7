import type { LlmStage } from './types.js';

/**
 * Suggested models per stage, for config to default to: diagnosis runs once per conversation, so
 * it gets the small model; drafting runs a few times per run and needs the strongest reasoning.
 */
export const DEFAULT_LLM_MODELS: Readonly<Record<LlmStage, string>> = {
  diagnose: 'claude-haiku-5-5',
  draft: 'claude-sonnet-5-5',
  judge: 'claude-haiku-5-5',
};
