import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { loadConfig, type AccountConfig, type Config } from '../../src/config.js';
import { createDeps } from '../../src/deps.js';
import { formatEvaluation } from '../../src/eval/report.js';
import { prepareScenario, runEvaluation } from '../../src/eval/run.js';
import { scoreEvaluation } from '../../src/eval/score.js';
import { ensureRedis } from '../../src/local-redis.js';
import { createLogger } from '../../src/logger.js';
import { ALL_PATCH_KINDS } from '../../src/loop/policy/policy.js';
import { createRedisConnection } from '../../src/redis.js';
import {
  generateDemoScenario,
  loadScenarioFile,
  SANDBOX_KEYS,
  startSandbox,
  type Scenario,
} from '../../src/sandbox/index.js';
import { purgeAccount } from '../../src/store/index.js';
import { createProgressLine } from '../progress.js';

const EVAL_ACCOUNT = 'eval';

interface EvalOptions {
  scenario: string;
  json: boolean;
  details: boolean;
}

/**
 * `agent-trainer eval --scenario FILE`: runs the loop's judgement (pull, diagnose, synthesize with
 * the policy; rules offline, Claude when ANTHROPIC_API_KEY is set) on a labelled store served by
 * the embedded sandbox, and scores it against the store's labels. How to measure a rule or prompt
 * change before shipping it. Uses its own Redis keys and removes them afterwards.
 */
export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description('Score diagnosis and drafting against a labelled scenario file')
    .requiredOption('--scenario <file>', 'a labelled scenario file, or "demo" for the demo store')
    .option('--json', 'print the scores as one JSON object', false)
    .option('--details', 'list every conversation whose diagnosis disagrees with its label', false)
    .action(async (options: EvalOptions) => {
      await runEvalCommand(options);
    });
}

async function runEvalCommand(options: EvalOptions): Promise<void> {
  const loaded: Scenario =
    options.scenario === 'demo' ? generateDemoScenario() : loadScenarioFile(options.scenario);
  if (loaded.patterns.length === 0 && !loaded.conversations.some((c) => c.labels.length > 0)) {
    process.stderr.write(
      `agent-trainer: ${options.scenario} has no labels to score against (see docs/scenario-format.md, "Labels for evaluation")\n`,
    );
  }
  const now = new Date();
  const scenario = prepareScenario(loaded, now);
  const base = loadConfig();
  const redis = await ensureRedis(base.redis.url);
  const sandbox = await startSandbox({ port: 0, scenario, rateLimits: 'off', indexingDelayMs: 0 });
  const config = evalConfig(base, redis.url, sandbox.url);
  const connection = createRedisConnection(config.redis, { name: 'agent-trainer-eval' });
  const logger = createLogger({ level: 'error' });
  const progress = createProgressLine(process.stderr, options.json);
  try {
    const deps = createDeps(config, { redis: connection, logger, rateLimits: 'off' });
    const run = await runEvaluation({
      deps,
      accountId: EVAL_ACCOUNT,
      scenario,
      runId: `eval-${randomUUID().slice(0, 8)}`,
      onProgress: (step, detail) => progress.update(`${step}: ${detail}`),
    });
    progress.done();
    const score = scoreEvaluation(run);
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({ scenario: loaded.name, llm: config.llm.apiKey ? 'claude' : 'rules', llmUsd: run.llmUsd, ...score })}\n`,
      );
    } else {
      process.stdout.write(`${formatEvaluation(loaded.name, score, options.details)}\n`);
      process.stdout.write(
        `Diagnoser: ${config.llm.apiKey ? `Claude for ${run.byClaude} conversations (US$${run.llmUsd.toFixed(4)}), rules for the rest` : 'offline rules (no ANTHROPIC_API_KEY)'}; ${run.blocked.length} drafts refused by the policy\n`,
      );
    }
  } finally {
    await purgeAccount(connection, EVAL_ACCOUNT, { prefix: config.redis.prefix }).catch(() => {});
    connection.disconnect();
    await sandbox.close();
    await redis.stop();
  }
}

/** One account on the sandbox, under a prefix of its own so that nothing else is touched. */
function evalConfig(base: Config, redisUrl: string, sandboxUrl: string): Config {
  const account: AccountConfig = {
    id: EVAL_ACCOUNT,
    name: 'evaluation (sandbox)',
    baseUrl: sandboxUrl,
    readKey: SANDBOX_KEYS.read,
    writeKey: SANDBOX_KEYS.write,
    schedules: base.accounts[0]?.schedules ?? ({} as AccountConfig['schedules']),
    approvers: [],
    allowedKinds: ALL_PATCH_KINDS,
    autoApprove: { enabled: false, kinds: [] },
    slackChannel: undefined,
    llmBudgetUsd: base.accounts[0]?.llmBudgetUsd ?? 5,
  };
  return {
    ...base,
    accounts: [account],
    redis: {
      ...base.redis,
      url: redisUrl,
      cluster: false,
      prefix: `${base.redis.prefix}-eval-${randomUUID().slice(0, 8)}`,
    },
  };
}
