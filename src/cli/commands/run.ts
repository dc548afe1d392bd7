import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { startApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../logger.js';
import { runCycle } from '../cycle.js';
import { createProgressLine } from '../progress.js';

interface RunOptions {
  account?: string;
  since?: number;
  days: number;
  worker: boolean;
  json: boolean;
}

/** `agent-trainer run`: one cycle now (pull → diagnose → reports → synthesize), with progress. */
export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('Run one training cycle now and show its progress until it ends')
    .option('--account <id>', 'the account to run (default: the only one configured)')
    .option(
      '--since <duration>',
      'pull conversations from this long ago, e.g. 24h or 7d',
      parseDuration,
    )
    .option('--days <n>', 'days of conversations to synthesize findings from', parsePositiveInt, 7)
    .option('--no-worker', 'do not run jobs here: leave them to running workers')
    .option('--json', 'print the summary as one JSON object', false)
    .action(async (options: RunOptions) => {
      const config = loadConfig();
      const accountId = options.account ?? onlyAccount(config.accounts.map((a) => a.id));
      const logger = createLogger({ level: options.json ? 'warn' : config.logLevel });
      const app = await startApp(config, { logger, workers: options.worker });
      const progress = createProgressLine(process.stderr, options.json);
      try {
        app.deps.account(accountId);
        const summary = await runCycle(app, {
          accountId,
          ...(options.since ? { since: new Date(Date.now() - options.since) } : {}),
          days: options.days,
          onProgress: (step, detail) => progress.update(`${step}: ${detail}`),
        });
        progress.done();
        process.stdout.write(
          options.json ? `${JSON.stringify(summary)}\n` : `${JSON.stringify(summary, null, 2)}\n`,
        );
      } finally {
        await app.close();
      }
    });
}

function onlyAccount(ids: string[]): string {
  if (ids.length === 1 && ids[0]) return ids[0];
  throw new InvalidArgumentError(
    `several accounts are configured; choose one with --account (${ids.join(', ')})`,
  );
}

/** `30m`, `24h`, `7d` → milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(m|h|d)$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError('use a number with m, h or d, e.g. 24h');
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}
