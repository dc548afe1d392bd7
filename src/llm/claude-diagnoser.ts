import type { z } from 'zod';
import { isAppError, type AppError } from '../errors.js';
import { DiagnosisSchema, type Diagnosis, type EvidenceQuote } from '../domain/diagnosis.js';
import { squash } from '../domain/text.js';
import { renderAgentContext, type AgentContext } from './agent-context.js';
import type { BatchRequest } from './batch.js';
import type { LlmClient } from './client.js';
import { LlmBudgetExceededError, LlmOutputError } from './errors.js';
import { neutralizeFences, renderTranscript, type TranscriptSource } from './fence.js';
import type { StructuredRequest, StructuredResult } from './structured.js';
import { addUsage, ZERO_USAGE, type LlmUsage } from './types.js';
import type { ConversationSnapshot } from '../domain/snapshot.js';

export const DIAGNOSE_PROMPT = 'diagnose-conversation.v2';
const TOOL_NAME = 'record_diagnosis';

/**
 * What Claude fills in. The conversation id and `diagnoser` are set in code, not trusted from the
 * model; a failure must name its category.
 */
export const ClaudeDiagnosisSchema = DiagnosisSchema.omit({
  diagnoser: true,
  conversationId: true,
  // The rules' mark for a guessed category; Claude names the category it reads.
  tentative: true,
}).refine((d) => d.outcome !== 'failure' || d.category !== null, {
  message: 'category is required when outcome is "failure"',
  path: ['category'],
});
type ClaudeDiagnosis = z.infer<typeof ClaudeDiagnosisSchema>;

export interface DiagnoseInput {
  accountId: string;
  runId: string;
  agentContext: AgentContext;
  conversations: readonly ConversationSnapshot[];
  /** `batch` uses the Message Batches API (half price, slower). @defaultValue 'direct' */
  mode?: 'direct' | 'batch';
  /** Calls in flight after the first (which runs alone to write the cache). @defaultValue 4 */
  concurrency?: number;
  /** Batch status poll interval. @defaultValue 30000 */
  pollMs?: number;
  signal?: AbortSignal;
}

export interface DiagnoseOutput {
  diagnoses: Diagnosis[];
  /** Conversations left undiagnosed, with why (the rules diagnoser covers them). */
  failures: { conversationId: string; error: AppError }[];
  usage: LlmUsage;
  promptVersion: string;
  /** Why calls stopped before the end, if they did. */
  stoppedBy: 'budget' | 'api_error' | null;
}

/**
 * Diagnoses conversations with Claude, one call per conversation. The agent's configuration goes
 * into the cached system prefix (identical for every call of the run); each transcript goes,
 * fenced, into the user message. An invalid answer costs one conversation; a budget stop or an
 * API failure stops the remaining calls, which are returned as failures.
 */
export async function diagnoseWithClaude(
  llm: LlmClient,
  input: DiagnoseInput,
): Promise<DiagnoseOutput> {
  const cached = renderAgentContext(input.agentContext);
  const skillIds = new Set(input.agentContext.skills.map((s) => s.id));
  const requests = input.conversations.map((snapshot, i) => ({
    snapshot,
    req: {
      customId: `c${i}`,
      stage: 'diagnose',
      system: { cached },
      prompt: { name: DIAGNOSE_PROMPT, vars: { transcript: renderTranscript(source(snapshot)) } },
      output: ClaudeDiagnosisSchema,
      toolName: TOOL_NAME,
      toolDescription: 'Record the diagnosis of the conversation.',
      maxTokens: 1024,
      accountId: input.accountId,
      runId: input.runId,
    } satisfies BatchRequest<ClaudeDiagnosis>,
  }));
  const out: DiagnoseOutput = {
    diagnoses: [],
    failures: [],
    usage: ZERO_USAGE,
    promptVersion: DIAGNOSE_PROMPT,
    stoppedBy: null,
  };
  const settle = (snapshot: ConversationSnapshot, result: StructuredResult<ClaudeDiagnosis>) => {
    out.usage = addUsage(out.usage, result.usage);
    out.promptVersion = result.promptVersion;
    out.diagnoses.push(toDiagnosis(snapshot, result.value, skillIds));
  };
  const fail = (snapshot: ConversationSnapshot, error: AppError, stops: boolean) => {
    out.failures.push({ conversationId: snapshot.conversation.id, error });
    if (stops && out.stoppedBy === null) {
      out.stoppedBy = error instanceof LlmBudgetExceededError ? 'budget' : 'api_error';
    }
  };
  if (input.mode === 'batch') await runBatch(llm, requests, input, settle, fail);
  else await runDirect(llm, requests, input, settle, fail);
  // Calls finish in any order; results follow the input order so that runs are reproducible.
  const order = new Map(input.conversations.map((c, i) => [c.conversation.id, i]));
  const rank = (id: string) => order.get(id) ?? 0;
  out.diagnoses.sort((a, b) => rank(a.conversationId) - rank(b.conversationId));
  out.failures.sort((a, b) => rank(a.conversationId) - rank(b.conversationId));
  return out;
}

interface Item {
  snapshot: ConversationSnapshot;
  req: StructuredRequest<ClaudeDiagnosis> & { customId: string };
}
type Settle = (s: ConversationSnapshot, r: StructuredResult<ClaudeDiagnosis>) => void;
type Fail = (s: ConversationSnapshot, e: AppError, stops: boolean) => void;

async function runDirect(
  llm: LlmClient,
  items: readonly Item[],
  input: DiagnoseInput,
  settle: Settle,
  fail: Fail,
): Promise<void> {
  // Once the budget or the API fails, the remaining conversations are not sent.
  let stopError: AppError | undefined;
  const one = async (item: Item) => {
    if (stopError) return fail(item.snapshot, stopError, true);
    try {
      settle(item.snapshot, await llm.structured(item.req, signalOf(input)));
    } catch (error) {
      if (!isAppError(error)) throw error;
      const stops = !(error instanceof LlmOutputError);
      if (stops) stopError ??= error;
      fail(item.snapshot, error, stops);
    }
  };
  const [first, ...rest] = items;
  if (!first) return;
  // The first call writes the cache; the others then read it instead of all writing it at once.
  await one(first);
  let next = 0;
  const worker = async () => {
    while (next < rest.length) {
      const item = rest[next++];
      if (item) await one(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, input.concurrency ?? 4) }, worker));
}

async function runBatch(
  llm: LlmClient,
  items: readonly Item[],
  input: DiagnoseInput,
  settle: Settle,
  fail: Fail,
): Promise<void> {
  if (items.length === 0) return;
  let outcomes;
  try {
    const id = await llm.submitBatch(items.map((i) => i.req));
    outcomes = await llm.collectBatch<ClaudeDiagnosis>(id, {
      ...(input.pollMs !== undefined ? { pollMs: input.pollMs } : {}),
      ...signalOf(input),
    });
  } catch (error) {
    if (!isAppError(error)) throw error;
    for (const item of items) fail(item.snapshot, error, true);
    return;
  }
  for (const item of items) {
    const outcome = outcomes.get(item.req.customId);
    if (outcome?.ok) settle(item.snapshot, outcome.result);
    // One errored request does not stop the others: they were already answered.
    else if (outcome) fail(item.snapshot, outcome.error, false);
  }
}

/**
 * The domain diagnosis: ids set in code, skill ids the configuration does not have dropped, and
 * evidence kept only when it quotes an existing message verbatim (whitespace aside).
 */
function toDiagnosis(
  snapshot: ConversationSnapshot,
  value: ClaudeDiagnosis,
  skillIds: ReadonlySet<string>,
): Diagnosis {
  const contents = new Map(snapshot.messages.map((m) => [m.id, m.attributes.content]));
  const evidence = value.evidence.filter((e: EvidenceQuote) => {
    const content = contents.get(e.messageId);
    if (content === undefined) return false;
    const quote = squash(e.quote);
    return squash(content).includes(quote) || squash(neutralizeFences(content)).includes(quote);
  });
  return DiagnosisSchema.parse({
    ...value,
    conversationId: snapshot.conversation.id,
    skillId: value.skillId !== null && skillIds.has(value.skillId) ? value.skillId : null,
    tookSkillId:
      value.tookSkillId != null && skillIds.has(value.tookSkillId) ? value.tookSkillId : null,
    evidence,
    diagnoser: 'claude',
  });
}

function source(snapshot: ConversationSnapshot): TranscriptSource {
  return snapshot;
}

function signalOf(input: { signal?: AbortSignal }): { signal?: AbortSignal } {
  return input.signal ? { signal: input.signal } : {};
}
