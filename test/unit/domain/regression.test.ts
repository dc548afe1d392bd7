import { describe, expect, it } from 'vitest';
import { formatProposal, formatProposalLine } from '../../../cli/format-proposal.js';
import { describeRegression, type RegressionResult } from '../../../src/domain/regression.js';
import { judgeNeutral } from '../../../src/loop/verify/replay-judge.js';
import { detailPage } from '../../../src/server/web/proposal-pages.js';
import { statusMessage } from '../../../src/slack/blocks.js';
import { makeProposal } from '../../integration/store/fixtures.js';

const AT = '2026-11-21T10:00:00.000Z';
const REGRESSED: RegressionResult = {
  checked: 4,
  passed: 2,
  regressions: [
    {
      caseId: 'rc_1',
      conversationId: 'c1',
      reason: 'turn 1: the reply still says it lacks the facts',
    },
    { conversationId: 'c9', reason: 'turn 2: the agent reports an error' },
  ],
  at: AT,
  revertProposalId: 'p_revert',
};
const applied = makeProposal({
  status: 'applied',
  result: { appliedAt: AT, regression: REGRESSED },
});

describe('describeRegression', () => {
  it('counts the regressions and names the drafted revert, or says why there is none', () => {
    expect(describeRegression(REGRESSED)).toBe(
      'Regression check: 2 regressions — 2 of 4 conversations that passed before fail now. Revert drafted: p_revert.',
    );
    const { revertProposalId: _, ...refused } = REGRESSED;
    expect(describeRegression({ ...refused, revertRefused: 'creates are not undone.' })).toContain(
      'No revert drafted: creates are not undone.',
    );
    expect(describeRegression({ checked: 3, passed: 3, regressions: [], at: AT })).toBe(
      'Regression check: no regressions (3 of 3 earlier fixes and successful conversations pass).',
    );
  });
});

describe('a regression on every surface', () => {
  it('the CLI lists it and shows each failing case', () => {
    expect(formatProposalLine(applied)).toContain('2 regressions');
    const shown = formatProposal(applied);
    expect(shown).toContain('Revert drafted: p_revert');
    expect(shown).toContain('[rc_1] turn 1: the reply still says it lacks the facts');
    expect(shown).toContain('[c9] turn 2: the agent reports an error');
  });

  it('the Slack status message says so', () => {
    const text = JSON.stringify(statusMessage(applied).blocks);
    expect(text).toContain(':warning: Regression check: 2 regressions');
  });

  it('the page lists the failing cases and links the revert', () => {
    const page = detailPage({
      who: 'web:alice',
      proposal: applied,
      permission: { kind: 'read-only', reason: 'test' },
    });
    expect(page).toContain('Regression check: 2 regressions');
    expect(page).toContain('href="/proposals/p_revert"');
    expect(page).toContain('<code>rc_1</code>');
  });
});

describe('judgeNeutral', () => {
  const replay = (reply: string, events: object[] = []) => ({
    shopperTurns: ['What are your store hours on Sunday?'],
    agentReplies: [reply],
    events: [[{ type: 'message', role: 'agent', content: reply }, ...events]] as never,
  });

  it('passes an answer, and fails an error, a reply without the facts or an unasked handoff', () => {
    expect(judgeNeutral(replay('We are open 10am to 6pm on Sunday.')).handled).toBe(true);
    expect(
      judgeNeutral(replay('Open 10 to 6.', [{ type: 'error', message: 'x' }])).reason,
    ).toContain('error');
    expect(judgeNeutral(replay("I'm not sure about that one.")).reason).toContain(
      'lacks the facts',
    );
    const handoff = { type: 'handoff', mode: 'hard', category: 'escalation-rule' };
    expect(judgeNeutral(replay('Let me get a teammate.', [handoff])).reason).toContain('unasked');
  });
});
