import { Anthropic } from '@anthropic-ai/sdk';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import { ConfigError } from '../src/errors.js';
import { LlmOutputError, TokenLedger, type LlmClient } from '../src/llm/index.js';
import { buildParams, tokensOf, validateAnswer } from '../src/llm/structured.js';
import type { LlmStage } from '../src/llm/types.js';

/**
 * The naive baseline's Claude client for `npm run bench:llm`: the product's request (same prompt
 * file, same agent-context rendering, same tool schema, built by the product's `buildParams`)
 * with every `cache_control` marker removed, one `messages.create` per call, no batching and no
 * repair. Handing it to the product's `diagnoseWithClaude` keeps the answer handling identical,
 * so the two sides differ only in strategy (triage, caching, batching), not in prompt text.
 */

export interface NaiveLlmClientOptions {
  apiKey: string;
  baseURL: string;
  models: Record<LlmStage, string>;
}

/** The same params without cache breakpoints: the text (and so the token count) is unchanged. */
export function withoutCacheControl(
  params: MessageCreateParamsNonStreaming,
): MessageCreateParamsNonStreaming {
  const system = Array.isArray(params.system)
    ? params.system.map(({ cache_control: _drop, ...block }) => block)
    : params.system;
  return { ...params, ...(system === undefined ? {} : { system }) };
}

/** An `LlmClient` that sends every call uncached and never batches. */
export function createNaiveLlmClient(options: NaiveLlmClientOptions): LlmClient {
  const ledger = new TokenLedger();
  const anthropic = new Anthropic({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    maxRetries: 0,
    timeout: 30_000,
    logLevel: 'warn',
  });
  const noBatch = () => {
    throw new ConfigError('the naive baseline does not use the Message Batches API');
  };
  return {
    models: { ...options.models },
    ledger,
    async structured(req, callOptions = {}) {
      const model = options.models[req.stage];
      const { params, promptVersion } = buildParams(req, model);
      const answer = await anthropic.messages.create(
        withoutCacheControl(params),
        callOptions.signal ? { signal: callOptions.signal } : undefined,
      );
      const usage = ledger.record({
        accountId: req.accountId,
        runId: req.runId,
        stage: req.stage,
        model,
        tokens: tokensOf(answer.usage),
      });
      const checked = validateAnswer(answer, req.toolName, req.output);
      if (!checked.ok) throw new LlmOutputError(`naive ${req.stage} answer`, checked.issues);
      return { value: checked.value, usage, model, promptVersion };
    },
    submitBatch: async () => noBatch(),
    collectBatch: async () => noBatch(),
  };
}
