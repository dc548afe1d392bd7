import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createDeps } from '../../../src/deps.js';
import { silentLogger } from '../../../src/logger.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../fakes/slack-api.js';
import { testRedis } from '../queue/redis-helpers.js';
import { makeProposal } from '../store/fixtures.js';

/**
 * SERVER_PUBLIC_URL reaches Slack: with it, the messages the deps' notifier posts and updates link
 * to the proposal's page and its account's overview; without it, they link nowhere.
 */
describe('Slack messages link to the web pages when SERVER_PUBLIC_URL is set', () => {
  let slack: FakeSlackApi;
  const redis = testRedis();

  beforeAll(async () => {
    slack = await startFakeSlackApi();
  });
  afterEach(() => {
    slack.calls.length = 0;
  });
  afterAll(async () => {
    await slack.close();
    redis.disconnect();
  });

  /** The blocks the notifier posts for a proposal and then updates it with, as JSON. */
  async function sent(env: Record<string, string>): Promise<string[]> {
    const config = loadConfig({
      REDIS_URL: inject('redisUrl'),
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_API_URL: slack.apiUrl,
      ...env,
    });
    const notifier = createDeps(config, { redis, logger: silentLogger }).slack;
    const proposal = makeProposal({ id: 'p/1 x', accountId: 'store-a' });
    const posted = await notifier?.postProposal('C1', proposal);
    await notifier?.updateProposal('C1', posted?.ts ?? '', {
      ...proposal,
      status: 'applied',
      result: { appliedAt: '2026-11-21T10:00:00.000Z' },
    });
    return [...slack.callsOf('chat.postMessage'), ...slack.callsOf('chat.update')].map((c) =>
      JSON.stringify(c.args['blocks']),
    );
  }

  it('links the proposal page and the overview, encoded, in the post and the update', async () => {
    const messages = await sent({ SERVER_PUBLIC_URL: 'https://trainer.example.com/' });
    expect(messages).toHaveLength(2);
    for (const blocks of messages) {
      expect(blocks).toContain(
        '<https://trainer.example.com/proposals/p%2F1%20x|Open the proposal>',
      );
      expect(blocks).toContain('<https://trainer.example.com/?account=store-a|Account overview>');
    }
  });

  it('links nowhere without it', async () => {
    const messages = await sent({});
    expect(messages).toHaveLength(2);
    for (const blocks of messages) expect(blocks).not.toMatch(/https:|Open the proposal|overview/);
  });
});
