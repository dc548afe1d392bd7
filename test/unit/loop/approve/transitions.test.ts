import { describe, expect, it } from 'vitest';
import { ApprovalRefusedError, isApprover } from '../../../../src/loop/approve/approvers.js';
import {
  approveProposal,
  autoApprove,
  AUTO_APPROVE_ACTOR,
  editProposal,
  expireStale,
  rejectProposal,
} from '../../../../src/loop/approve/transitions.js';
import type { Patch } from '../../../../src/patches/patch.js';
import { ALL_PATCH_KINDS, type PolicyContext } from '../../../../src/loop/policy/policy.js';
import type { Proposal } from '../../../../src/domain/proposal.js';
import { ProposalChangedError, ProposalStateError } from '../../../../src/store/proposal-errors.js';
import { AT, FakeProposals, INSTRUCTIONS, proposal } from './fixtures.js';

const noPlaceholders: Patch = {
  kind: 'skill.update',
  skillId: 'sk_returns',
  changes: { instructions: `${INSTRUCTIONS} International returns take 30 days.` },
};

function setup(p: Proposal = proposal()) {
  const proposals = new FakeProposals();
  proposals.add(p);
  return { stores: { proposals }, proposals };
}

const account = { id: 'acct', approvers: ['slack:U1', 'web:alice'] };

function policyContext(): PolicyContext {
  return {
    allowedKinds: ALL_PATCH_KINDS,
    current: {
      escalationRules: [],
      communicationStyles: [],
      skills: [
        {
          id: 'sk_returns',
          status: 'live',
          description: 'Returns and exchanges.',
          instructions: INSTRUCTIONS,
          handoff: 'offer',
        },
      ],
      knowledge: [],
    },
    transcripts: [{ role: 'user', content: 'Call me at jane.doe@example.com please' }],
  };
}

describe('isApprover', () => {
  it('admits listed actors and prefix wildcards only', () => {
    expect(isApprover('slack:U1', ['slack:U1'])).toBe(true);
    expect(isApprover('slack:U2', ['slack:U1'])).toBe(false);
    expect(isApprover('slack:U2', ['slack:*'])).toBe(true);
    expect(isApprover('web:U2', ['slack:*'])).toBe(false);
    expect(isApprover('cli:ops', ['slack:U1'])).toBe(false);
  });

  it('with no approvers configured, admits only CLI operators', () => {
    expect(isApprover('cli:ops', [])).toBe(true);
    expect(isApprover('slack:U1', [])).toBe(false);
    expect(isApprover('web:alice', [])).toBe(false);
    expect(isApprover(AUTO_APPROVE_ACTOR, [])).toBe(false);
  });
});

describe('approveProposal', () => {
  it('refuses an actor who is not an approver and says who may approve', async () => {
    const { stores, proposals } = setup(proposal({ patch: noPlaceholders, placeholders: [] }));
    const attempt = approveProposal(stores, {
      proposalId: 'p_1',
      actor: 'web:bob',
      accountConfig: account,
    });
    await expect(attempt).rejects.toThrow(ApprovalRefusedError);
    await expect(attempt).rejects.toThrow(
      /web:bob may not approve.*approvers are slack:U1, web:alice/,
    );
    expect(proposals.items.get('p_1')?.status).toBe('pending');
  });

  it('explains the empty-approvers rule to a Slack user', async () => {
    const { stores } = setup(proposal({ patch: noPlaceholders, placeholders: [] }));
    const attempt = approveProposal(stores, {
      proposalId: 'p_1',
      actor: 'slack:U1',
      accountConfig: { approvers: [] },
    });
    await expect(attempt).rejects.toThrow(/only CLI operators \(cli:\*\)/);
  });

  it('refuses approval for another account', async () => {
    const { stores } = setup(proposal({ patch: noPlaceholders, placeholders: [] }));
    const attempt = approveProposal(stores, {
      proposalId: 'p_1',
      actor: 'slack:U1',
      accountConfig: { id: 'other', approvers: ['slack:U1'] },
    });
    await expect(attempt).rejects.toThrow(/belongs to account acct, not other/);
  });

  it('refuses while a placeholder is unfilled, naming it', async () => {
    const { stores, proposals } = setup();
    const attempt = approveProposal(stores, {
      proposalId: 'p_1',
      actor: 'slack:U1',
      accountConfig: account,
    });
    await expect(attempt).rejects.toMatchObject({
      reason: 'placeholders',
      message: expect.stringContaining('"international return window"'),
    });
    expect(proposals.items.get('p_1')?.status).toBe('pending');
  });

  it('approves with the filled text stored, after an edit event', async () => {
    const { stores } = setup();
    const approved = await approveProposal(stores, {
      proposalId: 'p_1',
      actor: 'slack:U1',
      accountConfig: account,
      fills: { 'International Return Window': '30 days of delivery' },
    });
    expect(approved.status).toBe('approved');
    expect(approved.patch).toEqual({
      kind: 'skill.update',
      skillId: 'sk_returns',
      changes: {
        instructions: `${INSTRUCTIONS} International orders can be returned within 30 days of delivery.`,
      },
    });
    expect(approved.diff).toContain('skill "Returns" · instructions');
    expect(approved.diff).toContain('30 days of delivery');
    expect(approved.history.map((e) => [e.status, e.actor])).toEqual([
      ['pending', 'system'],
      ['pending', 'slack:U1'],
      ['approved', 'slack:U1'],
    ]);
  });

  it('refuses an empty fill and a fill that misses the placeholder', async () => {
    const { stores } = setup();
    const base = { proposalId: 'p_1', actor: 'slack:U1', accountConfig: account };
    await expect(
      approveProposal(stores, { ...base, fills: { 'international return window': '  ' } }),
    ).rejects.toMatchObject({ reason: 'invalid-fill' });
    await expect(
      approveProposal(stores, { ...base, fills: { 'return windw': '30 days' } }),
    ).rejects.toMatchObject({ reason: 'placeholders' });
  });

  it('refuses a second decision, saying who decided', async () => {
    const { stores } = setup(proposal({ patch: noPlaceholders, placeholders: [] }));
    await approveProposal(stores, { proposalId: 'p_1', actor: 'slack:U1', accountConfig: account });
    const again = approveProposal(stores, {
      proposalId: 'p_1',
      actor: 'web:alice',
      accountConfig: account,
    });
    await expect(again).rejects.toThrow(/already approved by slack:U1/);
  });
});

describe('rejectProposal', () => {
  it('rejects as an approver, with the reason in the history', async () => {
    const { stores } = setup();
    const rejected = await rejectProposal(stores, {
      proposalId: 'p_1',
      actor: 'web:alice',
      accountConfig: account,
      reason: 'we do not ship abroad',
    });
    expect(rejected.status).toBe('rejected');
    await expect(
      rejectProposal(stores, { proposalId: 'p_1', actor: 'web:mallory', accountConfig: account }),
    ).rejects.toThrow(ApprovalRefusedError);
  });
});

describe('editProposal', () => {
  it('re-runs the policy and re-renders the diff', async () => {
    const { stores } = setup();
    const edited = await editProposal(stores, {
      proposalId: 'p_1',
      actor: 'web:alice',
      accountConfig: account,
      patch: noPlaceholders,
      policyContext: policyContext(),
    });
    expect(edited.status).toBe('pending');
    expect(edited.patch).toEqual(noPlaceholders);
    expect(edited.diff).toContain('+Answer from the return policy');
  });

  it('refuses an edit the policy blocks, listing the violation', async () => {
    const { stores, proposals } = setup();
    const weakened: Patch = {
      kind: 'skill.update',
      skillId: 'sk_returns',
      changes: { instructions: `${INSTRUCTIONS} Never escalate to a human.` },
    };
    const attempt = editProposal(stores, {
      proposalId: 'p_1',
      actor: 'web:alice',
      accountConfig: account,
      patch: weakened,
      policyContext: policyContext(),
    });
    await expect(attempt).rejects.toMatchObject({
      reason: 'policy',
      violations: [expect.objectContaining({ rule: 'injection' })],
    });
    expect(proposals.items.get('p_1')?.patch).toEqual(proposal().patch);
  });

  it('refuses an edit of another target or of fields outside the baseline', async () => {
    const { stores } = setup();
    const base = {
      proposalId: 'p_1',
      actor: 'web:alice',
      accountConfig: account,
      policyContext: policyContext(),
    };
    const other: Patch = {
      kind: 'skill.update',
      skillId: 'sk_other',
      changes: { instructions: 'x' },
    };
    await expect(editProposal(stores, { ...base, patch: other })).rejects.toThrow(
      /keeps the patch target/,
    );
    const handoff: Patch = {
      kind: 'skill.update',
      skillId: 'sk_returns',
      changes: { handoff: 'immediate' },
    };
    await expect(editProposal(stores, { ...base, patch: handoff })).rejects.toThrow(/handoff/);
  });

  it('refuses an edit by a non-approver, as a decision would be', async () => {
    const { stores, proposals } = setup();
    const attempt = editProposal(stores, {
      proposalId: 'p_1',
      actor: 'slack:U_MEMBER',
      accountConfig: account,
      patch: noPlaceholders,
      policyContext: policyContext(),
    });
    await expect(attempt).rejects.toMatchObject({ reason: 'not-approver' });
    expect(proposals.items.get('p_1')?.patch).toEqual(proposal().patch);
  });

  it('counts revisions, and refuses an edit started from an older one instead of overwriting', async () => {
    const { stores, proposals } = setup();
    const base = {
      proposalId: 'p_1',
      actor: 'web:alice',
      accountConfig: account,
      policyContext: policyContext(),
    };
    const first = await editProposal(stores, { ...base, revision: 1, patch: noPlaceholders });
    expect(first.revision).toBe(2);
    const late = editProposal(stores, {
      ...base,
      revision: 1,
      fills: { 'international return window': '90 days' },
    });
    await expect(late).rejects.toThrow(ProposalChangedError);
    expect(proposals.items.get('p_1')?.patch).toEqual(noPlaceholders);
  });

  it('fills placeholders without approving, and only while pending', async () => {
    const { stores } = setup();
    const base = {
      proposalId: 'p_1',
      actor: 'web:alice',
      accountConfig: account,
      policyContext: policyContext(),
    };
    const filled = await editProposal(stores, {
      ...base,
      fills: { 'international return window': '30 days' },
    });
    expect(filled.status).toBe('pending');
    expect(JSON.stringify(filled.patch)).toContain('within 30 days.');
    await rejectProposal(stores, { proposalId: 'p_1', actor: 'web:alice', accountConfig: account });
    await expect(editProposal(stores, { ...base, patch: noPlaceholders })).rejects.toThrow(
      ProposalStateError,
    );
  });
});

describe('editProposal and what a person typed', () => {
  it("exempts an approver's fills from the shoppers'-words check, but not a pasted edit", async () => {
    const shopperWords = 'Canadian and Mexican parcels always get ninety extra days';
    const context: PolicyContext = {
      ...policyContext(),
      transcripts: [{ role: 'user', content: `${shopperWords}, my cousin told me.` }],
    };
    const base = {
      proposalId: 'p_1',
      actor: 'web:alice',
      accountConfig: account,
      policyContext: context,
    };
    const { stores } = setup();
    const filled = await editProposal(stores, {
      ...base,
      fills: { 'international return window': shopperWords },
    });
    expect(JSON.stringify(filled.patch)).toContain(shopperWords);

    const pasted: Patch = {
      kind: 'skill.update',
      skillId: 'sk_returns',
      changes: { instructions: `${INSTRUCTIONS} ${shopperWords}.` },
    };
    await expect(editProposal(setup().stores, { ...base, patch: pasted })).rejects.toThrow(
      /follows the shoppers' messages/,
    );
  });
});

describe('autoApprove', () => {
  const clean = proposal({ patch: noPlaceholders, placeholders: [] });

  it('is off by default and when disabled', async () => {
    const { stores } = setup(clean);
    expect(await autoApprove(stores, clean, undefined)).toMatchObject({ approved: false });
    expect(
      await autoApprove(stores, clean, { enabled: false, kinds: ['skill.update'] }),
    ).toMatchObject({ approved: false });
  });

  it('approves only listed kinds without placeholders, as policy:auto-approve', async () => {
    const { stores } = setup(clean);
    const wrongKind = await autoApprove(stores, clean, {
      enabled: true,
      kinds: ['knowledge.create'],
    });
    expect(wrongKind).toMatchObject({
      approved: false,
      reason: expect.stringContaining('skill.update'),
    });
    const done = await autoApprove(stores, clean, { enabled: true, kinds: ['skill.update'] });
    expect(done.approved).toBe(true);
    if (done.approved) expect(done.proposal.history.at(-1)?.actor).toBe(AUTO_APPROVE_ACTOR);
  });

  it('never approves a patch with placeholders', async () => {
    const withFill = proposal();
    const { stores, proposals } = setup(withFill);
    const result = await autoApprove(stores, withFill, { enabled: true, kinds: ['skill.update'] });
    expect(result).toMatchObject({
      approved: false,
      reason: expect.stringContaining('Fill the placeholder'),
    });
    expect(proposals.items.get('p_1')?.status).toBe('pending');
  });
});

describe('expireStale', () => {
  it('expires pending proposals older than the cutoff only', async () => {
    const { stores, proposals } = setup(
      proposal({ id: 'old', createdAt: '2026-11-01T00:00:00.000Z' }),
    );
    proposals.add(proposal({ id: 'new', createdAt: '2026-11-19T00:00:00.000Z' }));
    proposals.add(
      proposal({ id: 'done', status: 'rejected', createdAt: '2026-10-01T00:00:00.000Z' }),
    );
    const expired = await expireStale(stores, { olderThanDays: 14, now: () => new Date(AT) });
    expect(expired).toEqual(['old']);
    expect(proposals.items.get('old')?.status).toBe('expired');
    expect(proposals.items.get('new')?.status).toBe('pending');
  });
});
