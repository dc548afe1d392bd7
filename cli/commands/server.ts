import type { Command } from 'commander';
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { buildServer } from '../../src/server/app.js';
import { parseServerAuth } from '../../src/server/settings.js';
import { untilStopSignal } from '../stop-signal.js';

interface ServerOptions {
  port: string;
  host: string;
}

/**
 * `agent-trainer server`: health, metrics and the queue dashboard over HTTP. Runs no workers (run
 * `agent-trainer worker` for those), so `/readyz` answers 503 here until the lead wires a combined
 * mode. Closes the server first, then the app, on SIGTERM or SIGINT.
 */
export function registerServerCommand(program: Command): void {
  program
    .command('server')
    .description('Serve /healthz, /readyz, /metrics and the /admin/queues dashboard')
    .option('--port <port>', 'port to listen on', '8080')
    .option('--host <host>', 'address to bind', '0.0.0.0')
    .action(async (options: ServerOptions) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) {
        throw new ConfigError(`--port must be a number from 0 to 65535, not "${options.port}"`);
      }
      const config = loadConfig();
      // Parsed before anything starts, so a missing setting fails fast with its fix.
      const auth = parseServerAuth(process.env);
      const logger = createLogger({
        level: config.logLevel,
        pretty: Boolean(process.stdout.isTTY),
      });
      const app = await startApp(config, { logger });
      const server = buildServer({ app, auth, logger, metrics: app.deps.metrics });
      try {
        await server.listen({ port, host: options.host });
      } catch (error) {
        await app.close();
        throw error;
      }
      await untilStopSignal(logger, 'stopping server');
      await server.close();
      await app.close();
      logger.info('server stopped');
    });
}
