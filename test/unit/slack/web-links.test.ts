import { describe, expect, it } from 'vitest';
import { proposalMessage, statusMessage, type SlackMessage } from '../../../src/slack/blocks.js';
import { makeProposal } from '../../integration/store/fixtures.js';

const LINKS = {
  webUrl: 'https://trainer.example.com/proposals/p_1',
  overviewUrl: 'https://trainer.example.com/?account=acct_1',
};

/** Every mrkdwn text of the message's sections and context blocks. */
const texts = (message: SlackMessage): string[] =>
  message.blocks.flatMap((b) => {
    if (b.type === 'context') return b.elements.flatMap((e) => ('text' in e ? [e.text] : []));
    return b.type === 'section' && b.text !== undefined ? [b.text.text] : [];
  });
const PAGE = '<https://trainer.example.com/proposals/p_1|Open the proposal>';
const OVERVIEW = '<https://trainer.example.com/?account=acct_1|Account overview>';

describe('Slack links to the web pages', () => {
  const pending = makeProposal();
  const applied = makeProposal({
    status: 'applied',
    result: { appliedAt: '2026-11-21T10:00:00.000Z', replay: { fixed: 2, total: 3 } },
  });

  it.each([
    ['the approval request', proposalMessage(pending, LINKS)],
    ['the status update', statusMessage(applied, LINKS)],
  ])('%s links to the proposal and the account overview, once each', (_, message) => {
    const all = texts(message).join('\n');
    expect(all.split(PAGE)).toHaveLength(2);
    expect(all.split(OVERVIEW)).toHaveLength(2);
  });

  it.each([
    ['the approval request', proposalMessage(pending)],
    ['the status update', statusMessage(applied)],
  ])('%s has no links without a public URL', (_, message) => {
    expect(JSON.stringify(message.blocks)).not.toMatch(/https?:|Open the proposal|overview/);
  });
});
