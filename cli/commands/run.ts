import { jobs } from '../../jobs/index.js';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { pino } from 'pino';
import { runCycle, type CycleSummary } from '../cycle.js';
import { parseDuration, positiveInt } from '../options.js';
import { createJsonProgress, createProgressLine } from '../progress.js';

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
    .option('--days <n>', 'days of conversations to synthesize findings from', positiveInt, 7)
    .option('--no-worker', 'do not run jobs here: leave them to running workers')
    .option(
      '--json',
      'print the summary as one JSON object (progress goes to stderr as JSON lines)',
      false,
    )
    .action(async (options: RunOptions) => {
      const config = loadConfig();
      const accountId = options.account ?? onlyAccount(config.accounts.map((a) => a.id));
      // Logs go to stderr so that stdout holds only the summary; LOG_LEVEL=info shows the jobs.
      const logger = createLogger(
        { level: process.env['LOG_LEVEL'] ?? 'warn' },
        pino.destination(2),
      );
      const app = await startApp(config, { logger, ...(options.worker ? { jobs } : {}) });
      const progress = createProgressLine(process.stderr, options.json);
      const jsonProgress = createJsonProgress(process.stderr);
      try {
        // An unknown account or a missing read key fails here, naming what to set, not in a job.
        app.deps.klaviyo(accountId, 'read');
        const summary = await runCycle(app, {
          accountId,
          ...(options.since ? { since: new Date(Date.now() - options.since) } : {}),
          days: options.days,
          onProgress: (step, detail, data) =>
            options.json ? jsonProgress(step, detail, data) : progress.update(`${step}: ${detail}`),
        });
        progress.done();
        process.stdout.write(
          options.json ? `${JSON.stringify(summary)}\n` : `${formatCycle(accountId, summary)}\n`,
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

function formatCycle(accountId: string, s: CycleSummary): string {
  const failures = Object.entries(s.byCategory)
    .sort((a, b) => b[1] - a[1])
    .map(([category, n]) => `${category.replace(/_/g, ' ')} ${n}`)
    .join(', ');
  return [
    `Cycle ${s.runId} for account ${accountId}`,
    `  pulled     ${s.pull.listed} listed, ${s.pull.fetched} fetched, ${s.pull.unchanged} unchanged, ${s.pull.open} still open${s.pull.deferred ? `, ${s.pull.deferred} left for the next runs (over PULL_MAX_CONVERSATIONS; failures were fetched first)` : ''}`,
    `  diagnosed  ${s.diagnosed}${failures ? ` (failures: ${failures})` : ''}${s.alreadyDiagnosed ? `; ${s.alreadyDiagnosed} already diagnosed by an overlapping run` : ''}`,
    ...(s.suspicious > 0
      ? [
          `  suspicious ${s.suspicious} conversation(s) tried to instruct the loop; kept out of findings (agent-trainer suspicious)`,
        ]
      : []),
    `  proposals  ${s.findings} findings, ${s.proposals.length} proposals (${s.created.length} new), ${s.blocked} blocked by the policy`,
    ...(s.reproduced.length > 0
      ? [
          `  reproduced ${s.reproduced.map((r) => `${r.proposalId} ${r.total === 0 ? 'not checked' : `${r.reproduced} of ${r.total}`}`).join(', ')} (replays against the live configuration)`,
        ]
      : []),
    ...s.unreproduced.map((u) => `  not proposed "${u.topic}": ${u.reason}`),
    ...s.rejected.map((r) => `  not proposed "${r.topic}": ${r.reason}`),
    ...s.held.map(
      (h) =>
        `  held       "${h.title}" waits behind ${h.behind}, which changes the same field; drafted again once it is decided`,
    ),
    ...(s.llm.inputTokens > 0
      ? [
          `  claude     ${s.llm.inputTokens} input / ${s.llm.outputTokens} output tokens, $${s.llm.usd.toFixed(4)}`,
        ]
      : []),
    s.proposals.length > 0 ? '  next: agent-trainer proposals list' : '',
  ]
    .filter(Boolean)
    .join('\n');
}
