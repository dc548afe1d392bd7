import fastifyHelmet from '@fastify/helmet';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { App } from '../app.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import authPlugin, { type ServerAuth } from './plugins/auth.js';
import bullBoardPlugin from './plugins/bull-board.js';
import errorsPlugin, { frameworkError } from './plugins/errors.js';
import healthPlugin from './plugins/health.js';
import metricsPlugin, { metricsSources } from './plugins/metrics.js';
import apiV1Plugin from './plugins/api-v1.js';
import proposalsWebPlugin from './plugins/proposals-web.js';
import overviewWebPlugin from './plugins/overview-web.js';
import { skillNamesFrom } from './web/trend.js';
import { listSuspicious } from '../loop/diagnose/suspicious.js';
import slackPlugin from './plugins/slack.js';
import { createSignInThrottle } from './sign-in-throttle.js';

export interface BuildServerOptions {
  app: App;
  auth: ServerAuth;
  logger: Logger;
  metrics: Metrics;
}

/**
 * The pages' security headers, the default for every route: nothing may frame them (an Approve
 * button clickjacked), no scripts, forms post only here. The dashboard sets its own CSP.
 */
const PAGE_HELMET = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'none'"],
      styleSrc: ["'unsafe-inline'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
  },
  frameguard: { action: 'deny' as const },
};

/**
 * The HTTP server: health, metrics, the queue dashboard and the proposals pages, all behind auth
 * except `/healthz`, and Slack's interactions endpoint (authenticated by Slack's signature) when
 * configured. Approvals from the web and from Slack go through the app's one decide service.
 * Every route carries helmet's headers; failed sign-ins are throttled per client address in
 * Redis; requests, headers and idle connections have timeouts (`config.server`).
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
  const limits = app.config.server;
  const server = Fastify({
    loggerInstance,
    frameworkErrors: frameworkError,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // The address throttled sign-ins are counted by: the peer, or the given proxy hop's client.
    ...(limits.trustProxyHops > 0
      ? { trustProxy: (_address: string, hop: number) => hop < limits.trustProxyHops }
      : {}),
  });
  // Fastify has no option for it; Node's http server does (slow-header clients are cut off).
  server.server.headersTimeout = limits.headersTimeoutMs;
  // Plugins load in order on `ready()`/`listen()`: errors and headers first so even a refused
  // request gets them, then auth so its hook sees every route.
  server.register(errorsPlugin);
  server.register(fastifyHelmet, PAGE_HELMET);
  server.register(authPlugin, {
    auth,
    throttle: createSignInThrottle({
      redis: app.redis,
      keyPrefix: app.config.redis.prefix,
      attempts: limits.signInAttempts,
      windowSeconds: limits.signInWindowSeconds,
    }),
  });
  server.register(healthPlugin, { app });
  server.register(metricsPlugin, { metrics });
  server.register(bullBoardPlugin, { queues: app.queues, admins: auth.admins ?? [] });
  server.register(apiV1Plugin, {
    proposals: app.deps.stores.proposals,
    heldDrafts: app.deps.stores.heldDrafts,
    findings: app.deps.stores.findings,
    accounts: app.config.accounts.map((a) => a.id),
  });
  server.register(proposalsWebPlugin, {
    proposals: app.deps.stores.proposals,
    heldDrafts: app.deps.stores.heldDrafts,
    snapshots: app.deps.stores.snapshots,
    reports: app.deps.stores.reports,
    skillNames: skillNamesFrom(
      app.deps.agentConfig,
      app.config.accounts.map((a) => a.id),
      logger,
    ),
    now: app.deps.now,
    accounts: app.config.accounts.map((a) => a.id),
    suspicious: (days) =>
      listSuspicious(
        app.deps.stores.diagnoses,
        app.config.accounts.map((a) => a.id),
        { days, now: app.deps.now() },
      ),
    decisions: app.decisions,
    auth,
  });
  server.register(overviewWebPlugin, {
    proposals: app.deps.stores.proposals,
    reports: app.deps.stores.reports,
    findings: app.deps.stores.findings,
    accounts: app.config.accounts.map((a) => a.id),
    now: app.deps.now,
  });
  const { signingSecret } = app.config.slack;
  if (signingSecret) server.register(slackPlugin, { app, signingSecret });
  return server;
}
