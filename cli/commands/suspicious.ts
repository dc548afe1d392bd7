import type { Command } from 'commander';
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { scrubPersonalData } from '../../src/domain/scrub.js';
import { createLogger } from '../../src/logger.js';
import { DAY_MS } from '../../src/time.js';
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
        const to = new Date();
        const from = new Date(to.getTime() - options.days * DAY_MS);
        const accounts = options.account ? [options.account] : config.accounts.map((a) => a.id);
        let found = 0;
        for (const accountId of accounts) {
          const stored = await app.deps.stores.diagnoses.listWindow(accountId, {
            from: from.toISOString(),
            to: to.toISOString(),
          });
          for (const { diagnosis } of stored) {
            if (!diagnosis.suspicion) continue;
            found += 1;
            const quote = scrubPersonalData(diagnosis.suspicion.evidence.quote).text;
            const entry = {
              accountId,
              conversationId: diagnosis.conversationId,
              reason: diagnosis.suspicion.reason,
              quote,
            };
            process.stdout.write(
              options.json
                ? `${JSON.stringify(entry)}\n`
                : `${accountId}  ${diagnosis.conversationId}\n  ${entry.reason}\n  "${quote}"\n`,
            );
          }
        }
        if (!options.json && found === 0) {
          process.stdout.write(`No suspicious conversations in the last ${options.days} days.\n`);
        }
      } finally {
        await app.close();
      }
    });
}
