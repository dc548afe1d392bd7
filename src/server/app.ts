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
import type { SuspiciousConversation } from './web/suspicious-page.js';
import { scrubPersonalData } from '../domain/scrub.js';
import { DAY_MS } from '../time.js';
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
    suspicious: (days) => suspiciousConversations(app, days),
    decisions: app.decisions,
    auth,
  });
  const { signingSecret } = app.config.slack;
  if (signingSecret) server.register(slackPlugin, { app, signingSecret });
  return server;
}

/** The configured accounts' diagnoses of the last `days` that carry a suspicion, newest first. */
async function suspiciousConversations(app: App, days: number): Promise<SuspiciousConversation[]> {
  const to = app.deps.now();
  const window = {
    from: new Date(to.getTime() - days * DAY_MS).toISOString(),
    to: to.toISOString(),
  };
  const found: SuspiciousConversation[] = [];
  for (const { id } of app.config.accounts) {
    for (const stored of await app.deps.stores.diagnoses.listWindow(id, window)) {
      const { suspicion, conversationId } = stored.diagnosis;
      if (!suspicion) continue;
      found.push({
        accountId: id,
        conversationId,
        reason: suspicion.reason,
        quote: scrubPersonalData(suspicion.evidence.quote).text,
        updatedAt: stored.conversationUpdatedAt,
      });
    }
  }
  return found.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}
