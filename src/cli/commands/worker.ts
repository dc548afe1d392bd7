import type { Command } from 'commander';
import { startApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../logger.js';

/**
 * `agent-trainer worker`: upserts every account's job schedulers and runs the job workers until
 * SIGTERM or SIGINT, then stops taking jobs, lets running ones finish, and closes in order. Any
 * number of workers may run against one Redis: schedules are upserted, not duplicated.
 */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('Run the scheduled training loop (job workers and schedules) until stopped')
    .action(async () => {
      const config = loadConfig();
      const logger = createLogger({
        level: config.logLevel,
        pretty: Boolean(process.stdout.isTTY),
      });
      const app = await startApp(config, { logger, workers: true, schedules: true });
      logger.info(
        { accounts: config.accounts.map((a) => a.id), llm: Boolean(config.llm.apiKey) },
        'worker started',
      );
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          logger.info({ signal }, 'stopping: finishing running jobs');
          resolve();
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
      await app.close();
      logger.info('worker stopped');
    });
}
