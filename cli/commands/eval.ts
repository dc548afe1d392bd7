import type { Command } from 'commander';
import { loadConfig } from '../../src/config.js';
import { evaluateScenario } from '../../src/eval/evaluate.js';
import { formatEvaluation } from '../../src/eval/report.js';
import { generateDemoScenario, loadScenarioFile } from '../../src/sandbox/index.js';
import { createProgressLine } from '../progress.js';

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
      const scenario =
        options.scenario === 'demo' ? generateDemoScenario() : loadScenarioFile(options.scenario);
      if (scenario.patterns.length === 0 && !scenario.conversations.some((c) => c.labels.length)) {
        process.stderr.write(
          `agent-trainer: ${options.scenario} has no labels to score against (see docs/scenario-format.md, "Labels for evaluation")\n`,
        );
      }
      const progress = createProgressLine(process.stderr, options.json);
      const { run, score, diagnoser } = await evaluateScenario({
        config: loadConfig(),
        scenario,
        onProgress: (step, detail) => progress.update(`${step}: ${detail}`),
      });
      progress.done();
      if (options.json) {
        const out = { scenario: scenario.name, diagnoser, llmUsd: run.llmUsd, ...score };
        process.stdout.write(`${JSON.stringify(out)}\n`);
        return;
      }
      process.stdout.write(`${formatEvaluation(scenario.name, score, options.details)}\n`);
      process.stdout.write(
        `Diagnoser: ${diagnoser === 'claude' ? `Claude for ${run.byClaude} conversations (US$${run.llmUsd.toFixed(4)}), rules for the rest` : 'offline rules (no ANTHROPIC_API_KEY)'}; ${run.blocked.length} drafts refused by the policy\n`,
      );
    });
}
