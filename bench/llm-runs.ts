import { DEFAULT_MODELS } from '../src/config.js';
import { createLlmClient, diagnoseWithClaude, type TokenCounts } from '../src/llm/index.js';
import { diagnoseSnapshots } from '../src/loop/diagnose/diagnose.js';
import type { Diagnosis } from '../src/domain/diagnosis.js';
import { splitTokens } from '../test/fakes/anthropic/tokens.js';
import { startFakeAnthropic, type FakeAnthropicStats } from '../test/fakes/anthropic-server.js';
import { rulesResponder, type LlmBenchDemo } from './llm-demo.js';
import { createNaiveLlmClient } from './llm-naive-client.js';

/**
 * The strategies `npm run bench:llm` compares. Each run gets a fresh fake Anthropic server (empty
 * cache, zeroed counters) that answers every conversation with its rules diagnosis.
 */

export const ACCOUNT_ID = 'demo';
/** The config default (`LLM_SUCCESS_SAMPLE`). */
export const SUCCESS_SAMPLE = 0.05;
export const MODEL = DEFAULT_MODELS.diagnose;
const KEY = 'sk-ant-bench-llm-0000';

export interface RunResult {
  name: string;
  /** Every Claude call went through the Message Batches API (half price). */
  batch: boolean;
  minCacheableTokens: number;
  /** The fake server's counters: the token figures of the table. */
  stats: FakeAnthropicStats;
  sentToClaude: number;
  /** What the product's ledger recorded (checked against the fake's counters). */
  ledger: TokenCounts & { costUsd: number | null };
  diagnoses: Diagnosis[];
  /** Tokens of the cacheable prefix (tools + system) of the first request, by the fake's count. */
  prefixTokens: number;
  wallSeconds: number;
}

async function withFake(
  demo: LlmBenchDemo,
  minCacheableTokens: number,
  run: (baseURL: string) => Promise<Omit<RunResult, 'stats' | 'prefixTokens' | 'wallSeconds'>>,
): Promise<RunResult> {
  const { respond, unknown } = rulesResponder(demo.rulesDiagnoses);
  const fake = await startFakeAnthropic({ respond, minCacheableTokens });
  try {
    const started = performance.now();
    const result = await run(fake.url);
    const wallSeconds = (performance.now() - started) / 1000;
    if (unknown.length > 0) {
      throw new Error(`the fake got transcripts it could not match: ${unknown.join(', ')}`);
    }
    const first = fake.requests()[0];
    // Every request is the same prefix (tools + system) with a cache breakpoint or none; count
    // the prefix as if marked, so the naive row shows what it would have been too.
    const prefixTokens = first
      ? splitTokens(first.model, {
          tools: first.body['tools'],
          system: first.body['system'],
          messages: [],
          cache_control: { type: 'ephemeral' },
        }).prefixTokens
      : 0;
    return { ...result, stats: fake.stats(), prefixTokens, wallSeconds };
  } finally {
    await fake.close();
  }
}

/** One uncached `messages` call per conversation, every conversation, the product's prompt. */
export function runNaive(demo: LlmBenchDemo, minCacheableTokens: number): Promise<RunResult> {
  return withFake(demo, minCacheableTokens, async (baseURL) => {
    const client = createNaiveLlmClient({ apiKey: KEY, baseURL, models: { ...DEFAULT_MODELS } });
    const out = await diagnoseWithClaude(client, {
      accountId: ACCOUNT_ID,
      runId: 'bench-llm-naive',
      agentContext: demo.agentContext,
      conversations: demo.snapshots,
      mode: 'direct',
    });
    if (out.failures.length > 0) {
      throw new Error(`naive run: ${out.failures.length} conversations were not diagnosed`);
    }
    return {
      name: 'naive: every conversation, one call each, no cache, no batch',
      batch: false,
      minCacheableTokens,
      sentToClaude: demo.snapshots.length,
      ledger: client.ledger.totals(),
      diagnoses: out.diagnoses,
    };
  });
}

export interface OursOptions {
  name: string;
  mode: 'direct' | 'batch';
  minCacheableTokens: number;
  /**
   * False swaps in the naive client (no cache breakpoint; direct mode only), to show what triage
   * alone saves. @defaultValue true
   */
  cache?: boolean;
}

/** The product path: `diagnoseSnapshots` with triage, the cached prefix, and `mode`. */
export function runOurs(demo: LlmBenchDemo, options: OursOptions): Promise<RunResult> {
  const { name, mode, minCacheableTokens } = options;
  return withFake(demo, minCacheableTokens, async (baseURL) => {
    const models = { ...DEFAULT_MODELS };
    const client =
      options.cache === false
        ? createNaiveLlmClient({ apiKey: KEY, baseURL, models })
        : createLlmClient({ apiKey: KEY, baseURL, models, maxRetries: 0, timeoutMs: 30_000 });
    const stored = new Map<string, Diagnosis>();
    const summary = await diagnoseSnapshots({
      accountId: ACCOUNT_ID,
      runId: `bench-llm-${mode}`,
      snapshots: demo.snapshots,
      context: demo.rulesContext,
      // In memory: the bench measures tokens, and needs no Redis.
      stores: {
        diagnoses: {
          has: async (_account, id, updatedAt) => stored.has(`${id}\u0000${updatedAt}`),
          put: async (_account, record) => {
            const key = `${record.conversationId}\u0000${record.conversationUpdatedAt}`;
            if (stored.has(key)) return 'exists';
            stored.set(key, record.diagnosis);
            return 'stored';
          },
        },
      },
      llm: {
        client,
        agentContext: demo.agentContext,
        mode,
        successSample: SUCCESS_SAMPLE,
        // The fake ends a batch at once; the default 30 s poll would only add waiting.
        pollMs: 20,
      },
    });
    if (summary.claudeFailures > 0 || summary.stoppedBy) {
      throw new Error(`${name}: Claude failed on ${summary.claudeFailures} conversations`);
    }
    return {
      name,
      batch: mode === 'batch',
      minCacheableTokens,
      sentToClaude: summary.sentToClaude,
      ledger: client.ledger.totals(),
      diagnoses: [...stored.values()],
    };
  });
}
