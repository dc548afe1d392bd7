import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackNotifier } from '../../../src/slack/notifier.js';
import { silentLogger } from '../../../src/logger.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../fakes/slack-api.js';
import { makeProposal } from '../store/fixtures.js';

let slack: FakeSlackApi;

beforeAll(async () => {
  slack = await startFakeSlackApi();
});

afterAll(async () => {
  await slack.close();
});

beforeEach(() => {
  slack.calls.length = 0;
});

describe('createSlackNotifier', () => {
  it('posts a proposal, updates it and replies in its thread', async () => {
    const notifier = createSlackNotifier({
      token: 'xoxb-test',
      slackApiUrl: slack.apiUrl,
      logger: silentLogger,
    });
    const proposal = makeProposal({ id: 'p_post' });
    const posted = await notifier.postProposal('C9', proposal);
    expect(posted.channel).toBe('C9');
    expect(posted.ts).toMatch(/^1700000000\.\d+$/);
    const post = slack.callsOf('chat.postMessage')[0];
    expect(post?.token).toBe('xoxb-test');
    expect(JSON.stringify(post?.args['blocks'])).toContain('proposal_approve');

    await notifier.updateProposal(posted.channel, posted.ts, { ...proposal, status: 'rejected' });
    expect(slack.callsOf('chat.update')[0]?.args).toMatchObject({ channel: 'C9', ts: posted.ts });

    await notifier.reply(posted.channel, posted.ts, 'Applied.');
    expect(slack.callsOf('chat.postMessage')[1]?.args).toMatchObject({
      thread_ts: posted.ts,
      text: 'Applied.',
    });
  });

  it('surfaces a Slack platform error from a single call', async () => {
    const notifier = createSlackNotifier({
      token: 'xoxb-test',
      slackApiUrl: slack.apiUrl,
      logger: silentLogger,
    });
    slack.failNext('chat.postMessage', 'channel_not_found');
    await expect(notifier.postProposal('C404', makeProposal())).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1);
  });
});
