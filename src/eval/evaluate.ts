import { randomUUID } from 'node:crypto';
import { sandboxConfig, type Config } from '../config.js';
import { createDeps } from '../deps.js';
import { ensureRedis } from '../local-redis.js';
import { createLogger } from '../logger.js';
import { ALL_PATCH_KINDS } from '../loop/policy/policy.js';
import { ConfigError } from '../errors.js';
import { PATCH_KIND_NAMES } from '../patches/patch.js';
import { createRedisConnection } from '../redis.js';
import { SANDBOX_KEYS, startSandbox, type Scenario } from '../sandbox/index.js';
import { purgeAccount } from '../store/index.js';
import { DAY_MS } from '../time.js';
import { prepareScenario, runEvaluation, scenarioWindow, type EvalRun } from './run.js';
import { scoreEvaluation, type EvalScore } from './score.js';

const EVAL_ACCOUNT = 'eval';

export interface EvaluateOptions {
  /** Redis, Claude and its budget come from here; the account is the evaluation's own. */
  config: Config;
  scenario: Scenario;
  onProgress?: (step: string, detail: string) => void;
}

export interface Evaluation {
  run: EvalRun;
  score: EvalScore;
  /** `claude` when the config has an Anthropic key, else `rules`. */
  diagnoser: 'claude' | 'rules';
}

/**
 * Evaluates the loop's judgement on a labelled scenario: serves it from an embedded sandbox (no
 * rate limits), runs the stages against it under a Redis prefix of its own, scores the result
 * against the labels, and removes its keys. Uses the Redis of `config` or starts a throwaway one.
 */
export async function evaluateScenario(options: EvaluateOptions): Promise<Evaluation> {
  assertKnownKinds(options.scenario);
  const now = new Date();
  const scenario = prepareScenario(options.scenario, now);
  const redis = await ensureRedis(options.config.redis.url);
  const sandbox = await startSandbox({ port: 0, scenario, rateLimits: 'off', indexingDelayMs: 0 });
  const config = evalConfig(options.config, redis.url, sandbox.url, scenario, now);
  const connection = createRedisConnection(config.redis, { name: 'agent-trainer-eval' });
  try {
    const deps = createDeps(config, {
      redis: connection,
      logger: createLogger({ level: 'error' }),
      rateLimits: 'off',
    });
    const run = await runEvaluation({
      deps,
      accountId: EVAL_ACCOUNT,
      scenario,
      runId: `eval-${randomUUID().slice(0, 8)}`,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    return { run, score: scoreEvaluation(run), diagnoser: config.llm.apiKey ? 'claude' : 'rules' };
  } finally {
    await purgeAccount(connection, EVAL_ACCOUNT, { prefix: config.redis.prefix }).catch(() => {});
    connection.disconnect();
    await sandbox.close();
    await redis.stop();
  }
}

/**
 * A pattern that expects a patch kind no patch has could never be scored right: say which, and
 * what the kinds are, before anything runs.
 */
function assertKnownKinds(scenario: Scenario): void {
  for (const pattern of scenario.patterns) {
    const unknown = pattern.expectedKinds.filter(
      (k) => !(PATCH_KIND_NAMES as string[]).includes(k),
    );
    if (unknown.length > 0) {
      throw new ConfigError(
        `pattern "${pattern.id}" of scenario "${scenario.name}" expects ${unknown.map((k) => `"${k}"`).join(', ')}, which is no patch kind; use ${PATCH_KIND_NAMES.join(', ')} (docs/scenario-format.md)`,
      );
    }
  }
}

/**
 * One account on the sandbox, under a prefix of its own so that nothing else is touched, keeping
 * transcripts and diagnoses for as long as the scenario spans: a store written over six weeks is
 * scored whole, not its last 30 days.
 */
function evalConfig(
  base: Config,
  redisUrl: string,
  sandboxUrl: string,
  scenario: Scenario,
  now: Date,
): Config {
  const { from } = scenarioWindow(scenario, now);
  const spanDays = Math.ceil((now.getTime() - from.getTime()) / DAY_MS) + 1;
  const config = sandboxConfig(base, {
    accountId: EVAL_ACCOUNT,
    name: 'evaluation (sandbox)',
    sandboxUrl,
    keys: SANDBOX_KEYS,
    redisUrl,
    approvers: [],
    allowedKinds: ALL_PATCH_KINDS,
    prefix: `${base.redis.prefix}-eval-${randomUUID().slice(0, 8)}`,
  });
  return {
    ...config,
    pull: { ...config.pull, retentionDays: Math.max(config.pull.retentionDays, spanDays) },
  };
}
