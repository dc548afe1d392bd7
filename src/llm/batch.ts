import { setTimeout as sleep } from 'node:timers/promises';
import type {
  MessageBatchResult,
  MessageCreateParamsNonStreaming,
} from '@anthropic-ai/sdk/resources/messages';
import { ConfigError, isAppError, type AppError } from '../errors.js';
import type { ClientCore } from './client.js';
import { LlmApiError } from './errors.js';
import { buildParams, type StructuredRequest, type StructuredResult } from './structured.js';

/** A structured request inside a batch; `customId` matches the result to the request. */
export type BatchRequest<T> = StructuredRequest<T> & { customId: string };

export type BatchOutcome<T> =
  { ok: true; result: StructuredResult<T> } | { ok: false; error: AppError };

export interface CollectBatchOptions<T> {
  /** Time between status polls. @defaultValue 30000 */
  pollMs?: number;
  signal?: AbortSignal;
  /**
   * The submitted requests, when collecting in another process than the one that submitted
   * (schemas cannot be stored, so they are rebuilt from these). @defaultValue those remembered
   */
  requests?: readonly BatchRequest<T>[];
}

interface Built<T> {
  req: BatchRequest<T>;
  params: MessageCreateParamsNonStreaming;
  promptVersion: string;
}

// The API's rule for custom ids.
const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;
const RETRYABLE_ERROR_TYPES = new Set([
  'rate_limit_error',
  'overloaded_error',
  'api_error',
  'timeout_error',
]);

/** Batch submit/collect on top of the client's core. @internal */
export function createBatchOps(core: ClientCore) {
  // Submitted requests by batch id, so collect can validate answers with their schemas.
  const pending = new Map<string, Built<unknown>[]>();

  const build = <T>(requests: readonly BatchRequest<T>[]): Built<T>[] => {
    const seen = new Set<string>();
    return requests.map((req) => {
      if (!CUSTOM_ID.test(req.customId) || seen.has(req.customId)) {
        throw new ConfigError(
          `batch custom id "${req.customId}" must be unique and match ${CUSTOM_ID.source}`,
        );
      }
      seen.add(req.customId);
      return { req, ...buildParams(req, core.modelFor(req.stage)) };
    });
  };

  async function submitBatch<T>(requests: readonly BatchRequest<T>[]): Promise<string> {
    if (requests.length === 0) throw new ConfigError('a batch needs at least one request');
    for (const accountId of new Set(requests.map((r) => r.accountId))) {
      core.budget?.ensureCanSpend(accountId);
    }
    const built = build(requests);
    const stage = built[0]?.req.stage ?? 'diagnose';
    try {
      const batch = await core.anthropic.messages.batches.create({
        requests: built.map((b) => ({ custom_id: b.req.customId, params: b.params })),
      });
      pending.set(batch.id, built as Built<unknown>[]);
      core.logger.info({ batchId: batch.id, requests: built.length, stage }, 'llm batch submitted');
      return batch.id;
    } catch (error) {
      throw core.wrapError(error, stage);
    }
  }

  async function collectBatch<T>(
    id: string,
    options: CollectBatchOptions<T> = {},
  ): Promise<Map<string, BatchOutcome<T>>> {
    const built = options.requests
      ? build(options.requests)
      : (pending.get(id) as Built<T>[] | undefined);
    if (!built) {
      throw new ConfigError(
        `batch ${id} was not submitted by this client: pass its requests to collectBatch`,
      );
    }
    const stage = built[0]?.req.stage ?? 'diagnose';
    await waitForEnd(id, stage, options);
    const byId = new Map(built.map((b) => [b.req.customId, b]));
    const outcomes = new Map<string, BatchOutcome<T>>();
    try {
      for await (const line of await core.anthropic.messages.batches.results(id)) {
        const item = byId.get(line.custom_id);
        if (item) outcomes.set(line.custom_id, await settle(item, line.result, options));
      }
    } catch (error) {
      throw core.wrapError(error, stage);
    }
    for (const customId of byId.keys()) {
      if (!outcomes.has(customId)) {
        const error = new LlmApiError(`batch ${id} returned no result for ${customId}`, {
          retryable: true,
        });
        outcomes.set(customId, { ok: false, error });
      }
    }
    pending.delete(id);
    return outcomes;
  }

  async function waitForEnd<T>(
    id: string,
    stage: StructuredRequest<T>['stage'],
    options: CollectBatchOptions<T>,
  ) {
    for (;;) {
      let status: string;
      try {
        status = (await core.anthropic.messages.batches.retrieve(id)).processing_status;
      } catch (error) {
        throw core.wrapError(error, stage);
      }
      if (status === 'ended') return;
      await sleep(
        options.pollMs ?? 30_000,
        undefined,
        options.signal ? { signal: options.signal } : {},
      );
    }
  }

  async function settle<T>(
    item: Built<T>,
    result: MessageBatchResult,
    options: CollectBatchOptions<T>,
  ): Promise<BatchOutcome<T>> {
    if (result.type !== 'succeeded') return { ok: false, error: unsucceeded(result) };
    const usage = core.account(item.req as StructuredRequest<unknown>, result.message, true);
    try {
      const value = await core.finish(
        { ...item, answer: result.message, usage },
        options.signal ? { signal: options.signal } : {},
      );
      return { ok: true, result: value };
    } catch (error) {
      if (isAppError(error)) return { ok: false, error };
      throw error;
    }
  }

  return { submitBatch, collectBatch };
}

function unsucceeded(result: Exclude<MessageBatchResult, { type: 'succeeded' }>): LlmApiError {
  if (result.type === 'errored') {
    const type = result.error.error.type;
    return new LlmApiError(`batch request errored: ${type}: ${result.error.error.message}`, {
      retryable: RETRYABLE_ERROR_TYPES.has(type),
    });
  }
  return new LlmApiError(`batch request ${result.type}`, { retryable: true });
}
