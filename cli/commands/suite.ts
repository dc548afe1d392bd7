import type { Command } from 'commander';
import { startApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { AppError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import type { RegressionCase } from '../../src/store/regression-suite.js';

interface SuiteOptions {
  account?: string;
  json: boolean;
}

/**
 * `agent-trainer suite list|show|remove`: the regression suite each verified fix grows (the
 * conversations it fixed, replayed after every later apply), for a person to read and curate.
 */
export function registerSuiteCommand(program: Command): void {
  const suite = program
    .command('suite')
    .description('Read and curate the regression suite replayed after every apply');
  suite
    .command('list')
    .description('List the suite cases, oldest first')
    .option('--account <id>', 'the account (default: every configured account)')
    .option('--json', 'print one JSON object per case', false)
    .action((options: SuiteOptions) =>
      withApp(async (app, accounts) => {
        const cases = (
          await Promise.all(
            accountsOf(accounts, options).map((a) => app.deps.stores.regressionSuite.list(a)),
          )
        ).flat();
        if (options.json) {
          for (const c of cases) process.stdout.write(`${JSON.stringify(c)}\n`);
        } else {
          process.stdout.write(
            cases.length === 0 ? 'The regression suite is empty.\n' : cases.map(caseLine).join(''),
          );
        }
      }),
    );
  suite
    .command('show <caseId>')
    .description('Show one case: its shopper turns, what passing means, its last result')
    .option('--account <id>', 'the account (default: every configured account)')
    .option('--json', 'print JSON', false)
    .action((caseId: string, options: SuiteOptions) =>
      withApp(async (app, accounts) => {
        const found = await mustFind(app, accountsOf(accounts, options), caseId);
        process.stdout.write(
          options.json ? `${JSON.stringify(found)}\n` : `${formatCase(found)}\n`,
        );
      }),
    );
  suite
    .command('remove <caseId>')
    .description('Remove a case from the suite (later applies stop replaying it)')
    .option('--account <id>', 'the account (default: every configured account)')
    .action((caseId: string, options: Omit<SuiteOptions, 'json'>) =>
      withApp(async (app, accounts) => {
        const found = await mustFind(
          app,
          accountsOf(accounts, { ...options, json: false }),
          caseId,
        );
        await app.deps.stores.regressionSuite.remove(found.accountId, found.id);
        process.stdout.write(`Removed ${found.id} (conversation ${found.conversationId}).\n`);
      }),
    );
}

function accountsOf(configured: readonly string[], options: SuiteOptions): string[] {
  return options.account ? [options.account] : [...configured];
}

async function mustFind(
  app: App,
  accounts: readonly string[],
  caseId: string,
): Promise<RegressionCase> {
  for (const account of accounts) {
    const found = await app.deps.stores.regressionSuite.get(account, caseId);
    if (found !== null) return found;
  }
  throw new AppError(
    `No suite case ${caseId} in account ${accounts.join(', ')}; see \`agent-trainer suite list\``,
    { code: 'suite_case_not_found', retryable: false },
  );
}

function lastResultOf(c: RegressionCase): string {
  if (c.lastResult === null) return 'not checked yet';
  return `${c.lastResult.passed ? 'passed' : 'FAILED'} ${c.lastResult.at}`;
}

function caseLine(c: RegressionCase): string {
  return `${c.id}  ${c.accountId}  ${c.category.replace(/_/g, ' ')} · "${c.topic}"  from ${c.fromProposalId}  ${lastResultOf(c)}\n`;
}

function formatCase(c: RegressionCase): string {
  const skill = c.skillId === null ? '' : ` · skill ${c.skillName ?? c.skillId}`;
  return [
    `${c.id} · account ${c.accountId} · conversation ${c.conversationId}`,
    `  added ${c.addedAt} from proposal ${c.fromProposalId}${skill}${c.channel === null ? '' : ` · ${c.channel}`}`,
    '',
    `Judged as: ${c.category.replace(/_/g, ' ')} · topic "${c.topic}"`,
    `Passing means: ${c.passing}`,
    `Last result: ${lastResultOf(c)}${c.lastResult === null ? '' : ` — ${c.lastResult.reason}`}`,
    '',
    'Shopper turns (personal data removed):',
    ...c.shopperTurns.map((t, i) => `  ${i + 1}. ${t}`),
  ].join('\n');
}

async function withApp(work: (app: App, accounts: readonly string[]) => Promise<void>) {
  const config = loadConfig();
  const app = await startApp(config, { logger: createLogger({ level: 'error' }) });
  try {
    await work(
      app,
      config.accounts.map((a) => a.id),
    );
  } finally {
    await app.close();
  }
}
