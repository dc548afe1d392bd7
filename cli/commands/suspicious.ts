import type { Command } from 'commander';
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { listSuspicious } from '../../src/loop/diagnose/suspicious.js';
import { createLogger } from '../../src/logger.js';
import { positiveInt } from '../options.js';

interface SuspiciousOptions {
  account?: string;
  days: number;
  json: boolean;
}

/**
 * `agent-trainer suspicious`: conversations whose shopper messages tried to instruct whoever
 * reviews or trains the agent. They never feed a finding; a person should read them.
 */
export function registerSuspiciousCommand(program: Command): void {
  program
    .command('suspicious')
    .description('List conversations that tried to instruct the loop (kept out of findings)')
    .option('--account <id>', 'the account (default: every configured account)')
    .option('--days <n>', 'how many days back', positiveInt, 30)
    .option('--json', 'print one JSON object per conversation', false)
    .action(async (options: SuspiciousOptions) => {
      const config = loadConfig();
      const app = await startApp(config, { logger: createLogger({ level: 'warn' }) });
      try {
        const accounts = options.account ? [options.account] : config.accounts.map((a) => a.id);
        const found = await listSuspicious(app.deps.stores.diagnoses, accounts, {
          days: options.days,
          now: new Date(),
        });
        for (const entry of found) {
          process.stdout.write(
            options.json
              ? `${JSON.stringify(entry)}\n`
              : `${entry.accountId}  ${entry.conversationId}\n  ${entry.reason}\n  "${entry.quote}"\n`,
          );
        }
        if (!options.json && found.length === 0) {
          process.stdout.write(`No suspicious conversations in the last ${options.days} days.\n`);
        }
      } finally {
        await app.close();
      }
    });
}
