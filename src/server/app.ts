import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { App } from '../app.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import authPlugin, { type ServerAuth } from './plugins/auth.js';
import bullBoardPlugin from './plugins/bull-board.js';
import healthPlugin from './plugins/health.js';
import metricsPlugin, { metricsSources } from './plugins/metrics.js';
import proposalsWebPlugin from './plugins/proposals-web.js';
import { listSuspicious } from '../loop/diagnose/suspicious.js';
import slackPlugin from './plugins/slack.js';

export interface BuildServerOptions {
  app: App;
  auth: ServerAuth;
  logger: Logger;
  metrics: Metrics;
}

/**
 * The HTTP server: health, metrics, the queue dashboard and the proposals pages, all behind auth
 * except `/healthz`, and Slack's interactions endpoint (authenticated by Slack's signature) when
 * configured. Approvals from the web and from Slack go through the app's one decide service.
 * Not listening yet: the caller calls `listen` (or `inject` in tests) and `close`.
 */
export function buildServer(options: BuildServerOptions): FastifyInstance {
  const { app, auth, logger, metrics } = options;
  if (auth.tokens.length === 0 && auth.users.length === 0) {
    // An empty list would lock everyone out; refusing here beats a server nobody can use.
    throw new ConfigError(
      'The server needs at least one token or user (SERVER_TOKENS, SERVER_USERS)',
    );
  }
  metrics.watch(metricsSources(app));
  const loggerInstance: FastifyBaseLogger = logger;
  const server = Fastify({ loggerInstance });
  // Plugins load in order on `ready()`/`listen()`; auth first so its hook sees every route.
  server.register(authPlugin, { auth });
  server.register(healthPlugin, { app });
  server.register(metricsPlugin, { metrics });
  server.register(bullBoardPlugin, { queues: app.queues });
  server.register(proposalsWebPlugin, {
    proposals: app.deps.stores.proposals,
    suspicious: (days) =>
      listSuspicious(
        app.deps.stores.diagnoses,
        app.config.accounts.map((a) => a.id),
        { days, now: app.deps.now() },
      ),
    decisions: app.decisions,
    auth,
  });
  const { signingSecret } = app.config.slack;
  if (signingSecret) server.register(slackPlugin, { app, signingSecret });
  return server;
}
