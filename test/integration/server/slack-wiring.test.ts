import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApp, type App } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { silentLogger } from '../../../src/logger.js';
import { createMetrics } from '../../../src/metrics.js';
import { buildServer } from '../../../src/server/app.js';
import { slackInteraction } from '../../helpers/slack-signing.js';
import { pinnedProposal } from '../../../src/slack/blocks.js';
import { makeProposal } from '../store/fixtures.js';

const SECRET = 'wiring-signing-secret';

/**
 * The deployed server with SLACK_SIGNING_SECRET set: a signed Approve click from a configured
 * approver approves the proposal once and queues exactly one apply job.
 */
describe('server with Slack configured', () => {
  const prefix = `wiring-${randomUUID().slice(0, 8)}`;
  let app: App;
  let server: ReturnType<typeof buildServer>;

  beforeAll(async () => {
    const config = loadConfig({
      REDIS_URL: inject('redisUrl'),
      QUEUE_PREFIX: prefix,
      SLACK_SIGNING_SECRET: SECRET,
      APPROVERS: 'slack:U_LEAD',
    });
    app = await startApp(config, { logger: silentLogger });
    server = buildServer({
      app,
      auth: { tokens: ['machine-token-123456'], users: [] },
      logger: silentLogger,
      metrics: createMetrics({ defaultMetrics: false }),
    });
    await server.ready();
  });

  afterAll(async () => {
    await server?.close();
    await app?.close();
    const redis = new Redis(inject('redisUrl'));
    const keys = await redis.keys(`*${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('approves from a signed click and queues one apply', async () => {
    await app.deps.stores.proposals.create(makeProposal({ id: 'p_wired', accountId: 'default' }));
    const click = (nonce: string) =>
      server.inject(
        slackInteraction(SECRET, {
          type: 'block_actions',
          user: { id: 'U_LEAD' },
          trigger_id: `t-${nonce}`,
          actions: [
            {
              action_id: 'proposal_approve',
              value: pinnedProposal({ id: 'p_wired', revision: 1 }),
              action_ts: nonce,
            },
          ],
        }),
      );

    const [first, second] = [await click('1'), await click('2')];
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(200);
    const proposal = await app.deps.stores.proposals.get('p_wired');
    expect(proposal?.status).toBe('approved');
    expect(proposal?.history.filter((h) => h.status === 'approved')).toHaveLength(1);
    expect(proposal?.history.at(-1)?.actor).toBe('slack:U_LEAD');
    const jobs = await app.queues.apply.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.map((j) => j.data)).toEqual([{ accountId: 'default', proposalId: 'p_wired' }]);
  });

  it('still refuses an unsigned request', async () => {
    const response = await server.inject({
      method: 'POST',
      url: '/slack/interactions',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'payload=%7B%7D',
    });
    expect(response.statusCode).toBe(401);
  });
});
