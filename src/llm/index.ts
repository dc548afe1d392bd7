/**
 * The Claude layer. Jobs import from here and never from `@anthropic-ai/sdk` directly.
 */
export {
  renderAgentContext,
  targetConfigFor,
  toAgentContext,
  type AgentContext,
} from './agent-context.js';
export type { AgentContextGuidance, AgentContextSkill } from './agent-context.js';
export type { BatchOutcome, BatchRequest, CollectBatchOptions } from './batch.js';
export {
  createLlmClient,
  DEFAULT_ANTHROPIC_BASE_URL,
  type CallOptions,
  type LlmClient,
  type LlmClientOptions,
} from './client.js';
export {
  ClaudeDiagnosisSchema,
  DIAGNOSE_PROMPT,
  diagnoseWithClaude,
  type DiagnoseInput,
  type DiagnoseOutput,
} from './claude-diagnoser.js';
export {
  ClaudeDraftSchema,
  DRAFT_PROMPT,
  draftPatchWithClaude,
  type DraftInput,
  type DraftOutput,
} from './claude-drafter.js';
export {
  ClaudeVerdictSchema,
  JUDGE_PROMPT,
  judgeReplayWithClaude,
  type JudgeInput,
  type JudgeOutput,
} from './claude-judge.js';
export {
  keyFingerprint,
  LlmApiError,
  LlmBudgetExceededError,
  LlmOutputError,
  type LlmErrorCode,
} from './errors.js';
export { neutralizeFences, renderTranscript, type TranscriptSource } from './fence.js';
export {
  BudgetGuard,
  TokenLedger,
  type BudgetGuardOptions,
  type BudgetPeriod,
  type LedgerEntry,
  type LedgerRecord,
  type SharedSpend,
  type SpendRecord,
  type TokenLedgerData,
  type TokenLedgerOptions,
} from './ledger.js';
export {
  costUsd,
  DEFAULT_PRICES,
  type ModelPrice,
  type PriceTable,
  type TokenCounts,
} from './prices.js';
export { loadPrompt, type LoadedPrompt, type LoadPromptOptions } from './prompts.js';
export { scrubPersonalData } from './render-finding.js';
export type { StructuredRequest, StructuredResult } from './structured.js';
export { addUsage, LLM_STAGES, ZERO_USAGE, type LlmStage, type LlmUsage } from './types.js';
export { DEFAULT_LLM_MODELS } from './models.js';
