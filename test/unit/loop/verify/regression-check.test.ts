import { describe, expect, it } from 'vitest';
import { checkRegressions } from '../../../../src/loop/verify/regression-check.js';
import type { RegressionCase } from '../../../../src/store/regression-suite.js';
import { makeProposal } from '../../../integration/store/fixtures.js';

const NOW = new Date('2026-11-21T09:00:00.000Z');

/** A suite case that passed last time: a shopper asking a question the knowledge used to answer. */
const passingCase: RegressionCase = {
  id: 'case-1',
  accountId: 'acct',
  conversationId: 'c-1',
  fromProposalId: 'p_fix',
  addedAt: '2026-11-20T09:00:00.000Z',
  category: 'knowledge_gap',
  topic: 'gift wrapping',
  passing: 'The agent answers about gift wrapping without saying it lacks the facts.',
  skillId: null,
  skillName: null,
  channel: 'web-chat',
  shopperTurns: ['Do you gift wrap orders?'],
  lastResult: { passed: true, at: '2026-11-20T09:00:00.000Z', reason: 'answered' },
};

/** An agent that no longer knows: every reply admits it. */
const forgetfulClient = {
  responses: {
    create: () =>
      Promise.resolve({
        attributes: {
          events: [
            { type: 'message', content: "I'm not sure, sorry: you could check our website." },
          ],
        },
      }),
  },
};

const stores = {
  regressionSuite: {
    list: () => Promise.resolve([passingCase]),
    recordResult: () => Promise.resolve(true),
  },
  snapshots: { get: () => Promise.resolve(null) },
  diagnoses: { listWindow: () => Promise.resolve([]) },
};

describe('checkRegressions', () => {
  it('does not draft a revert of a revert: undoing it would re-apply what it undid', async () => {
    const revert = makeProposal({ id: 'p_revert', status: 'applied', revertOf: 'p_change' });
    const result = await checkRegressions({
      proposal: revert,
      client: forgetfulClient as never,
      stores: stores as never,
      now: NOW,
      // Drafting would need these; the check must refuse before it gets there.
      revert: { stores: {} as never, client: {} as never, now: () => NOW },
    });
    expect(result.regressions).toHaveLength(1);
    expect(result.revertProposalId).toBeUndefined();
    expect(result.revertRefused).toContain('reverts p_change');
  });
});
