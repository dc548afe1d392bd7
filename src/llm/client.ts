import { Anthropic } from '@anthropic-ai/sdk';
import type {
  Message,
  MessageCreateParamsNonStreaming,
} from '@anthropic-ai/sdk/resources/messages';
import { ConfigError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import { toLlmApiError } from './api-errors.js';
import {
  createBatchOps,
  type BatchOutcome,
  type BatchRequest,
  type CollectBatchOptions,
} from './batch.js';
import { keyFingerprint, LlmOutputError } from './errors.js';
import { TokenLedger, type BudgetGuard } from './ledger.js';
import {
  buildParams,
  repairParams,
  tokensOf,
  validateAnswer,
  type StructuredRequest,
  type StructuredResult,
} from './structured.js';
import { addUsage, type LlmStage, type LlmUsage } from './types.js';

export const DEFAULT_ANTHROPIC_BASE_URL = 'https://api.anthropic.com';

export interface LlmClientOptions {
  apiKey: string;
  /** @defaultValue DEFAULT_ANTHROPIC_BASE_URL (the SDK's env fallback is deliberately not used) */
  baseURL?: string;
  /** The model of each stage. */
  models: Record<LlmStage, string>;
  /** Retries of transient failures (429, 529, 5xx, connection) by the SDK. @defaultValue 2 */
  maxRetries?: number;
  /** Per-attempt timeout. @defaultValue 120000 */
  timeoutMs?: number;
  logger?: Logger;
  /** Where usage is recorded. @defaultValue the budget's ledger, or a new one */
  ledger?: TokenLedger;
  /** Refuses calls for accounts past their budget (it must share the client's ledger). */
  budget?: BudgetGuard;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/** The only way jobs talk to Claude (they never import the SDK). */
export interface LlmClient {
  readonly models: Readonly<Record<LlmStage, string>>;
  readonly ledger: TokenLedger;
  /** One forced-tool call validated by `output`, with one repair attempt. */
  structured<T>(req: StructuredRequest<T>, options?: CallOptions): Promise<StructuredResult<T>>;
  /** Submits requests to the Message Batches API (half price, asynchronous); returns its id. */
  submitBatch<T>(requests: readonly BatchRequest<T>[]): Promise<string>;
  /** Waits for a batch to end and returns each request's outcome by custom id. */
  collectBatch<T>(
    id: string,
    options?: CollectBatchOptions<T>,
  ): Promise<Map<string, BatchOutcome<T>>>;
}

/** What the batch module shares with the client. @internal */
export interface ClientCore {
  anthropic: Anthropic;
  logger: Logger;
  budget: BudgetGuard | undefined;
  modelFor(stage: LlmStage): string;
  /** Maps an SDK error to an AppError for this stage's model. */
  wrapError(error: unknown, stage: LlmStage): unknown;
  /** Records an answer's usage in the ledger and logs the call (never its text). */
  account(req: StructuredRequest<unknown>, message: Message, batch: boolean): LlmUsage;
  /** Validates an answer; on failure makes the one repair call, then throws LlmOutputError. */
  finish<T>(call: FinishInput<T>, options?: CallOptions): Promise<StructuredResult<T>>;
}

export interface FinishInput<T> {
  req: StructuredRequest<T>;
  params: MessageCreateParamsNonStreaming;
  promptVersion: string;
  answer: Message;
  usage: LlmUsage;
}

/** Builds the Claude client from explicit options (keys and models come from config). */
export function createLlmClient(options: LlmClientOptions): LlmClient {
  if (!options.apiKey) {
    throw new ConfigError('ANTHROPIC_API_KEY is empty: set it, or run without the LLM');
  }
  if (options.ledger && options.budget && options.budget.ledger !== options.ledger) {
    throw new ConfigError('the LLM budget guard must read the same ledger the client records into');
  }
  const logger = options.logger ?? silentLogger;
  const maxRetries = options.maxRetries ?? 2;
  const ledger = options.ledger ?? options.budget?.ledger ?? new TokenLedger({ logger });
  const fingerprint = keyFingerprint(options.apiKey);
  const anthropic = new Anthropic({
    apiKey: options.apiKey,
    baseURL: options.baseURL ?? DEFAULT_ANTHROPIC_BASE_URL,
    maxRetries,
    timeout: options.timeoutMs ?? 120_000,
    logLevel: 'warn',
    // Only the SDK's message: its extra arguments may carry request details.
    logger: {
      error: (message) => logger.error({ source: 'anthropic-sdk' }, message),
      warn: (message) => logger.warn({ source: 'anthropic-sdk' }, message),
      info: (message) => logger.info({ source: 'anthropic-sdk' }, message),
      debug: (message) => logger.debug({ source: 'anthropic-sdk' }, message),
    },
  });

  const core: ClientCore = {
    anthropic,
    logger,
    budget: options.budget,
    modelFor: (stage) => options.models[stage],
    wrapError: (error, stage) =>
      toLlmApiError(error, {
        model: options.models[stage],
        stage,
        keyFingerprint: fingerprint,
        attempts: maxRetries + 1,
      }),
    account(req, message, batch) {
      const model = modelOf(message, options.models[req.stage]);
      const usage = ledger.record({
        accountId: req.accountId,
        runId: req.runId,
        stage: req.stage,
        model,
        tokens: tokensOf(message.usage),
        batch,
      });
      logger.info(
        {
          stage: req.stage,
          model,
          accountId: req.accountId,
          runId: req.runId,
          batch,
          ...usage,
        },
        'llm call',
      );
      return usage;
    },
    finish: (input, callOptions) => finish(core, input, callOptions),
  };
  const batchOps = createBatchOps(core);

  return {
    models: { ...options.models },
    ledger,
    async structured(req, callOptions = {}) {
      core.budget?.ensureCanSpend(req.accountId);
      const { params, promptVersion } = buildParams(req, core.modelFor(req.stage));
      const { answer, usage } = await sendHeld(core, params, req, callOptions);
      return core.finish({ req, params, promptVersion, answer, usage }, callOptions);
    },
    submitBatch: batchOps.submitBatch,
    collectBatch: batchOps.collectBatch,
  };
}

/**
 * `send`, then the answer's usage recorded, with the most the call can cost held from the
 * account's budget meanwhile (every token of the request at the input price, plus `max_tokens`
 * of output): calls in flight together, in any process, cannot overshoot the budget. The hold is
 * released only after the usage is recorded (and has reached the shared store).
 */
async function sendHeld<T>(
  core: ClientCore,
  params: MessageCreateParamsNonStreaming,
  req: StructuredRequest<T>,
  options: CallOptions,
): Promise<{ answer: Message; usage: LlmUsage }> {
  const { budget } = core;
  const call = async () => {
    const answer = await send(core, params, req, options);
    return { answer, usage: core.account(req, answer, false) };
  };
  if (budget === undefined) return call();
  const { system, messages, tools } = params;
  const inputTokens = Math.ceil(JSON.stringify({ system, messages, tools }).length / 4);
  const most = budget.ledger.costOf(params.model, {
    inputTokens,
    outputTokens: params.max_tokens,
    cacheWriteTokens: 0,
    cacheReadTokens: 0,
  });
  const hold = await budget.reserve(req.accountId, most ?? 0);
  try {
    return await call();
  } finally {
    await hold.release();
  }
}

async function send<T>(
  core: ClientCore,
  params: MessageCreateParamsNonStreaming,
  req: StructuredRequest<T>,
  options: CallOptions,
): Promise<Message> {
  try {
    return await core.anthropic.messages.create(
      params,
      options.signal ? { signal: options.signal } : undefined,
    );
  } catch (error) {
    throw core.wrapError(error, req.stage);
  }
}

async function finish<T>(
  core: ClientCore,
  input: FinishInput<T>,
  options: CallOptions = {},
): Promise<StructuredResult<T>> {
  const { req, params, promptVersion } = input;
  const done = (value: T, usage: LlmUsage, model: string): StructuredResult<T> => ({
    value,
    usage,
    model,
    promptVersion,
  });
  const first = validateAnswer(input.answer, req.toolName, req.output);
  if (first.ok) return done(first.value, input.usage, modelOf(input.answer, params.model));

  core.logger.warn(
    { stage: req.stage, promptVersion, accountId: req.accountId, issues: first.issues },
    'invalid structured answer: one repair attempt',
  );
  core.budget?.ensureCanSpend(req.accountId);
  const repair = repairParams(params, input.answer, req.toolName, first.issues);
  const { answer, usage: repaired } = await sendHeld(core, repair, req, options);
  const usage = addUsage(input.usage, repaired);
  const second = validateAnswer(answer, req.toolName, req.output);
  if (second.ok) return done(second.value, usage, modelOf(answer, params.model));
  throw new LlmOutputError(`Claude's ${req.stage} answer (${promptVersion})`, second.issues);
}

/** The model that answered; a malformed answer falls back to the one asked for. */
function modelOf(message: Message, requested: string): string {
  return typeof message.model === 'string' ? message.model : requested;
}
