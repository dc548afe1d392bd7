import { describe, expect, it } from 'vitest';
import {
  PROPOSAL_ACTIONS,
  SLACK_LIMITS,
  pinnedProposal,
  proposalMessage,
  readPinnedProposal,
  statusMessage,
  type SlackMessage,
} from '../../../src/slack/blocks.js';
import { editModal, readEditSubmission } from '../../../src/slack/edit-modal.js';
import type { Proposal } from '../../../src/domain/proposal.js';
import { makeProposal } from '../../integration/store/fixtures.js';

/** Every text in the blocks, wherever it sits. */
function texts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(texts);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, v]) =>
      key === 'text' && typeof v === 'string' ? [v] : texts(v),
    );
  }
  return [];
}

function sectionTexts(message: SlackMessage): string[] {
  return message.blocks.flatMap((b) =>
    b.type === 'section' && 'text' in b && b.text !== undefined ? [b.text.text] : [],
  );
}

function withEvidence(quotes: string[]): Proposal {
  const base = makeProposal();
  return makeProposal({
    finding: {
      ...base.finding,
      evidence: quotes.map((quote, i) => ({ conversationId: `c${i}`, messageId: `m${i}`, quote })),
    },
  });
}

describe('proposalMessage', () => {
  it('says that a paired proposal is decided with the other one, and names it', () => {
    const paired = proposalMessage(
      makeProposal({ pair: { proposalId: 'p_other', role: 'companion' } }),
    );
    const line = sectionTexts(paired).find((t) => t.startsWith('*Paired.*'));
    expect(line).toContain('proposal p_other');
    expect(line).toContain('approving or rejecting one decides both');
    expect(sectionTexts(proposalMessage(makeProposal())).some((t) => t.includes('Paired'))).toBe(
      false,
    );
  });

  it('cuts a 20k-character diff to Slack limits and links the full page', () => {
    const diff = Array.from({ length: 400 }, (_, i) => `+ line ${i} ${'x'.repeat(40)}`).join('\n');
    expect(diff.length).toBeGreaterThan(20_000);
    const message = proposalMessage(makeProposal({ diff }), {
      webUrl: 'https://trainer.example/p/p_1',
    });
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    for (const text of sectionTexts(message)) {
      expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    }
    const diffSection = sectionTexts(message).find((t) => t.startsWith('```'));
    expect(diffSection).toContain('+ line 0');
    expect(diffSection).not.toContain('+ line 399');
    expect(diffSection).toContain('<https://trainer.example/p/p_1|See the full diff>');
    expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
  });

  it('keeps a short diff whole in a code block', () => {
    const message = proposalMessage(makeProposal({ diff: '+ Returns take 30 days.' }));
    expect(sectionTexts(message)).toContain('```+ Returns take 30 days.```');
  });

  it('cuts a long title to the header limit', () => {
    const message = proposalMessage(makeProposal({ title: 'T'.repeat(200) }));
    const header = message.blocks[0];
    expect(header?.type).toBe('header');
    expect(texts(header)[0]?.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
  });

  it('scrubs personal data from at most three quotes and names their conversations', () => {
    const message = proposalMessage(
      withEvidence([
        'Mail me at jane.doe@example.com please',
        'My order #104233 never came',
        'Call 415-555-0199 now',
        'A fourth quote',
      ]),
    );
    const all = texts(message.blocks).join('\n');
    expect(all).not.toContain('jane.doe@example.com');
    expect(all).not.toContain('104233');
    expect(all).not.toContain('555-0199');
    expect(all).toContain('[email]');
    expect(all).toContain('`c0`');
    expect(all).toContain('`c2`');
    expect(all).not.toContain('A fourth quote');
  });

  it('shows the finding counts and metrics', () => {
    const all = texts(proposalMessage(makeProposal()).blocks).join('\n');
    expect(all).toContain('2 conversations (10.0% of 20 in the window)');
    expect(all).toContain('resolution rate 50.0%');
  });

  it('has Approve, Reject and Edit buttons valued with the proposal id and its revision', () => {
    const actions = proposalMessage(makeProposal({ id: 'p_42', revision: 3 })).blocks.find(
      (b) => b.type === 'actions',
    );
    const elements = actions && 'elements' in actions ? actions.elements : [];
    expect(elements.map((e) => ('action_id' in e ? e.action_id : undefined))).toEqual([
      PROPOSAL_ACTIONS.approve,
      PROPOSAL_ACTIONS.reject,
      PROPOSAL_ACTIONS.edit,
    ]);
    for (const e of elements) {
      const value = 'value' in e ? (e.value ?? '') : '';
      expect(readPinnedProposal(value)).toEqual({ id: 'p_42', revision: 3 });
    }
  });

  it('reads a bare id from a message posted before revisions as revision 0 (matches none)', () => {
    expect(readPinnedProposal('p_42')).toEqual({ id: 'p_42', revision: 0 });
    expect(readPinnedProposal('{"id":"p_42"}')).toEqual({ id: '{"id":"p_42"}', revision: 0 });
  });
});

describe('statusMessage', () => {
  it('says who approved, the apply outcome and the replay, without buttons', () => {
    const at = '2026-11-21T10:00:00.000Z';
    const base = makeProposal();
    const message = statusMessage(
      makeProposal({
        status: 'applied',
        history: [
          ...base.history,
          { at, status: 'approved', actor: 'slack:U1' },
          { at, status: 'applying', actor: 'system' },
          { at, status: 'applied', actor: 'system' },
        ],
        result: { appliedAt: at, replay: { fixed: 3, total: 4 } },
      }),
    );
    const all = texts(message.blocks).join('\n');
    expect(all).toContain('*Approved* by <@U1>');
    expect(all).toContain(`Applied at ${at}`);
    expect(all).toContain('Replay: fixed 3 of 4');
    expect(message.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('shows the reproduction on the proposal, and the replay against that baseline after it', () => {
    const reproduction = {
      checkedAt: '2026-11-21T09:00:00.000Z',
      reproduced: 2,
      total: 3,
      details: [],
    };
    const pending = texts(proposalMessage(makeProposal({ reproduction })).blocks).join('\n');
    expect(pending).toContain('Reproduces in 2 of 3 replays against the live configuration.');
    const applied = statusMessage(
      makeProposal({
        status: 'applied',
        reproduction,
        result: {
          replay: { against: 'baseline', fixed: 1, total: 2, newlyBroken: 1, stillFailing: 1 },
        },
      }),
    );
    const all = texts(applied.blocks).join('\n');
    expect(all).toContain('Reproduces in 2 of 3');
    expect(all).toContain(
      'Replay against the baseline: fixed 1 of 2 that failed at the baseline, 1 newly broken, 1 still failing.',
    );
  });

  it('shows a proposal waiting behind another change with the date, and an Apply anyway button', () => {
    const at = '2026-11-21T10:00:00.000Z';
    const base = makeProposal();
    const waiting = makeProposal({
      status: 'approved',
      history: [
        ...base.history,
        { at, status: 'approved', actor: 'slack:U1' },
        { at, status: 'approved', actor: 'system', note: 'waits behind p_first' },
      ],
      attribution: { waitingBehind: { proposalId: 'p_first', until: '2026-11-28T10:00:00.000Z' } },
    });
    const message = statusMessage(waiting);
    const all = texts(message.blocks).join('\n');
    expect(all).toContain('*Approved* by <@U1>');
    expect(all).toContain('Waiting behind p_first until 2026-11-28T10:00:00.000Z');
    const buttons = message.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
    expect(buttons).toEqual([
      expect.objectContaining({
        action_id: PROPOSAL_ACTIONS.applyAnyway,
        value: pinnedProposal(waiting),
      }),
    ]);

    const anyway = makeProposal({
      ...waiting,
      attribution: { ...waiting.attribution, applyAnyway: { actor: 'slack:U1' } },
    });
    expect(statusMessage(anyway).blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('reports a conflict', () => {
    const all = texts(statusMessage(makeProposal({ status: 'conflict' })).blocks).join('\n');
    expect(all).toContain('conflict');
  });
});

describe('editModal', () => {
  const proposal = makeProposal({
    patch: {
      kind: 'knowledge.create',
      snippet: {
        title: 'International returns',
        content: 'Returns from abroad take {{fill: international return window}}.',
      },
    },
    placeholders: ['international return window'],
  });

  it('prefills the snippet content and asks for each placeholder', () => {
    const view = editModal(proposal);
    expect(view.callback_id).toBe('proposal_edit');
    expect(readPinnedProposal(view.private_metadata ?? '')).toEqual({
      id: proposal.id,
      revision: proposal.revision,
    });
    const all = texts(view.blocks).join('\n');
    expect(JSON.stringify(view.blocks)).toContain(
      '"initial_value":"Returns from abroad take {{fill: international return window}}."',
    );
    expect(all).toContain('Fill: international return window');
  });

  it('reads back an edited text and the fills', () => {
    const submission = readEditSubmission(proposal, {
      edit_text: {
        value: { value: 'Returns from abroad take {{fill: international return window}}!' },
      },
      fill_0: { value: { value: ' 45 days ' } },
    });
    expect(submission.fills).toEqual({ 'international return window': '45 days' });
    expect(submission.patch).toMatchObject({
      snippet: { content: 'Returns from abroad take {{fill: international return window}}!' },
    });
  });

  it('reads an unchanged text as no patch', () => {
    const text = 'Returns from abroad take {{fill: international return window}}.';
    const submission = readEditSubmission(proposal, { edit_text: { value: { value: text } } });
    expect(submission).toEqual({ patch: null, fills: {} });
  });
});
