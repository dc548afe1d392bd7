import type { FastifyPluginAsync } from 'fastify';
import type { App } from '../../app.js';
import { slackInteractions } from './slack-interactions.js';

/**
 * Connects Slack's interactions endpoint to this deployment's decide service (approver lists,
 * apply jobs, edits checked against the agent's configuration read fresh, Slack updates).
 * Registered only with a signing secret.
 */
const slackPlugin: FastifyPluginAsync<{ app: App; signingSecret: string }> = async (
  server,
  { app, signingSecret },
) => {
  await server.register(slackInteractions, {
    decisions: app.decisions,
    proposals: app.deps.stores.proposals,
    signingSecret,
    redis: app.redis,
    keyPrefix: app.config.redis.prefix,
    ...(app.deps.slack ? { notifier: app.deps.slack } : {}),
    logger: app.deps.logger,
  });
};

export default slackPlugin;
