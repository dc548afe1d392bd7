import { describe, expect, it } from 'vitest';
import type { AgentConfigView } from '../../../../src/patches/agent-config.js';
import { ApprovalRefusedError } from '../../../../src/loop/approve/approvers.js';
import { createDecisions, type DecideDeps } from '../../../../src/loop/approve/decide.js';
import { AUTO_APPROVE_ACTOR } from '../../../../src/loop/approve/transitions.js';
import { ALL_PATCH_KINDS } from '../../../../src/loop/policy/policy.js';
import type { Logger } from '../../../../src/logger.js';
import type { Patch } from '../../../../src/patches/patch.js';
import type { Proposal } from '../../../../src/domain/proposal.js';
import { applyJobId, notifyJobId, type Enqueue } from '../../../../src/queue/index.js';
import { AT, FakeProposals, INSTRUCTIONS, proposal } from './fixtures.js';

const noPlaceholders: Patch = {
  kind: 'skill.update',
  skillId: 'sk_returns',
  changes: { instructions: `${INSTRUCTIONS} International returns take 30 days.` },
};

const agentView: AgentConfigView = {
  readAt: AT,
  agent: {
    id: 'agent',
    tone: { preset: 'friendly', custom_instruction: null },
    escalationRules: [],
    communicationStyles: [],
    updatedAt: null,
    attributes: {},
  },
  skills: [
    {
      id: 'sk_returns',
      name: 'returns',
      displayName: 'Returns',
      description: 'Returns and exchanges.',
      instructions: INSTRUCTIONS,
      status: 'live',
      handoff: 'offer',
      toolIds: [],
      updatedAt: null,
      attributes: {},
    },
  ],
  knowledge: [],
};

interface Queued {
  job: string;
  proposalId: string;
  jobId: string | undefined;
}

/** The other side of a wrong skill, drafted with p_1 (see PairSchema). */
const companionPatch: Patch = {
  kind: 'skill.update',
  skillId: 'sk_shipping',
  changes: { description: 'Shipping. Does not handle Returns questions.' },
};

function setup(
  options: {
    patch?: Patch;
    notifications?: boolean;
    failNotify?: boolean;
    /** Stores p_2 as p_1's companion, with these fields. */
    companion?: Partial<Proposal>;
  } = {},
) {
  const proposals = new FakeProposals();
  const lead = proposal(options.patch ? { patch: options.patch, placeholders: [] } : {});
  if (options.companion === undefined) proposals.add(lead);
  else {
    proposals.add({ ...lead, pair: { proposalId: 'p_2', role: 'lead' } });
    proposals.add(
      proposal({
        id: 'p_2',
        patch: companionPatch,
        placeholders: [],
        pair: { proposalId: 'p_1', role: 'companion' },
        ...options.companion,
      }),
    );
  }
  const queued: Queued[] = [];
  const reads: string[] = [];
  const warnings: string[] = [];
  const enqueue: Enqueue = async (job, payload, enqueueOptions) => {
    if (options.failNotify && job.name === 'notify-proposal') throw new Error('Redis is down');
    const { proposalId } = payload as { proposalId: string };
    queued.push({ job: job.name, proposalId, jobId: enqueueOptions?.jobId });
    return { id: enqueueOptions?.jobId ?? '1', name: job.name, queue: job.queue };
  };
  const deps: DecideDeps = {
    stores: { proposals, snapshots: { get: async () => null } },
    enqueue,
    account: (id) => ({ id, approvers: ['slack:U1', 'web:alice'], allowedKinds: ALL_PATCH_KINDS }),
    readAgentConfig: async (id) => {
      reads.push(id);
      return agentView;
    },
    notifications: options.notifications ?? true,
    logger: { warn: (_fields: unknown, msg: string) => warnings.push(msg) } as unknown as Logger,
  };
  return { decisions: createDecisions(deps), proposals, queued, reads, warnings };
}

describe('the decide service', () => {
  it('approves, then queues the apply, then the Slack update of the approved state', async () => {
    const { decisions, queued } = setup({ patch: noPlaceholders });
    const { proposal: approved, applyJob } = await decisions.approve({
      proposalId: 'p_1',
      actor: 'slack:U1',
    });
    expect(approved.status).toBe('approved');
    expect(applyJob.id).toBe(applyJobId(approved));
    expect(queued).toEqual([
      { job: 'apply-proposal', proposalId: 'p_1', jobId: applyJobId(approved) },
      { job: 'notify-proposal', proposalId: 'p_1', jobId: notifyJobId(approved) },
    ]);
  });

  it('stores fills before approving', async () => {
    const { decisions } = setup();
    const { proposal: approved } = await decisions.approve({
      proposalId: 'p_1',
      actor: 'web:alice',
      fills: { 'international return window': '30 days' },
    });
    expect(approved.patch).toMatchObject({
      changes: { instructions: expect.stringContaining('within 30 days.') },
    });
  });

  it('queues nothing when the approval is refused', async () => {
    const { decisions, queued } = setup({ patch: noPlaceholders });
    await expect(decisions.approve({ proposalId: 'p_1', actor: 'slack:U9' })).rejects.toThrow(
      ApprovalRefusedError,
    );
    expect(queued).toEqual([]);
  });

  it('queues no Slack update without Slack', async () => {
    const { decisions, queued } = setup({ patch: noPlaceholders, notifications: false });
    await decisions.approve({ proposalId: 'p_1', actor: 'slack:U1' });
    expect(queued.map((q) => q.job)).toEqual(['apply-proposal']);
  });

  it('keeps the decision when its Slack update cannot be queued, and logs it', async () => {
    const { decisions, proposals, warnings } = setup({ patch: noPlaceholders, failNotify: true });
    await decisions.reject({ proposalId: 'p_1', actor: 'slack:U1', reason: 'not now' });
    expect((await proposals.get('p_1'))?.status).toBe('rejected');
    expect(warnings).toEqual(['could not queue the Slack update']);
  });

  it('approving either proposal of a pair approves both and queues both applies', async () => {
    for (const [first, second] of [
      ['p_1', 'p_2'],
      ['p_2', 'p_1'],
    ] as const) {
      const { decisions, proposals, queued } = setup({ patch: noPlaceholders, companion: {} });
      const { proposal: approved, alongside } = await decisions.approve({
        proposalId: first,
        actor: 'slack:U1',
        revision: 1,
      });
      expect(approved.status).toBe('approved');
      expect(alongside?.id).toBe(second);
      const other = await proposals.get(second);
      expect(other?.status).toBe('approved');
      expect(other?.history.at(-1)).toMatchObject({
        actor: 'slack:U1',
        note: `approved with ${first}`,
      });
      expect(queued.filter((q) => q.job === 'apply-proposal').map((q) => q.proposalId)).toEqual([
        first,
        second,
      ]);
      expect(queued.filter((q) => q.job === 'notify-proposal')).toHaveLength(2);
    }
  });

  it('rejecting one proposal of a pair rejects the other, with the reason', async () => {
    const { decisions, proposals, queued } = setup({ companion: {} });
    await decisions.reject({ proposalId: 'p_2', actor: 'web:alice', reason: 'wrong skill' });
    expect((await proposals.get('p_1'))?.status).toBe('rejected');
    expect((await proposals.get('p_1'))?.history.at(-1)?.note).toBe(
      'rejected with p_2: wrong skill',
    );
    expect(queued.map((q) => q.job)).toEqual(['notify-proposal', 'notify-proposal']);
  });

  it('a pair whose other half cannot be approved keeps the first approval, and logs why', async () => {
    // The other half still has a placeholder: approving it unseen-filled is refused.
    const { decisions, proposals, queued, warnings } = setup({
      patch: noPlaceholders,
      companion: { patch: proposal().patch, placeholders: ['international return window'] },
    });
    const { proposal: approved, alongside } = await decisions.approve({
      proposalId: 'p_1',
      actor: 'slack:U1',
    });
    expect(approved.status).toBe('approved');
    expect(alongside).toBeUndefined();
    expect((await proposals.get('p_2'))?.status).toBe('pending');
    expect(warnings).toEqual(['could not decide the paired proposal with it']);
    expect(queued.filter((q) => q.job === 'apply-proposal').map((q) => q.proposalId)).toEqual([
      'p_1',
    ]);
  });

  it('a pair whose other half was decided already leaves it as it is', async () => {
    const { decisions, proposals, queued } = setup({
      patch: noPlaceholders,
      companion: { status: 'rejected' },
    });
    await decisions.approve({ proposalId: 'p_1', actor: 'slack:U1' });
    expect((await proposals.get('p_2'))?.status).toBe('rejected');
    expect(queued.map((q) => q.proposalId)).toEqual(['p_1', 'p_1']);
  });

  it('rejects and queues only the Slack update', async () => {
    const { decisions, queued } = setup();
    const rejected = await decisions.reject({ proposalId: 'p_1', actor: 'web:alice' });
    expect(rejected.status).toBe('rejected');
    expect(queued.map((q) => q.job)).toEqual(['notify-proposal']);
  });

  it('checks an edit against the agent read fresh, and notifies only a real change', async () => {
    const { decisions, queued, reads } = setup();
    const unchanged = await decisions.edit({
      proposalId: 'p_1',
      actor: 'slack:U1',
      note: 'edited in Slack',
      patch: null,
      fills: {},
    });
    expect(unchanged).toBeNull();
    expect(queued).toEqual([]);
    const edited = await decisions.edit({
      proposalId: 'p_1',
      actor: 'slack:U1',
      note: 'edited in Slack',
      patch: null,
      fills: { 'international return window': '30 days' },
    });
    expect(edited?.status).toBe('pending');
    expect(reads).toEqual(['acct', 'acct']);
    expect(queued.map((q) => q.job)).toEqual(['notify-proposal']);
  });

  it('refuses an edit by a non-approver before reading the agent, changing nothing', async () => {
    const { decisions, queued, reads, proposals } = setup();
    const attempt = decisions.edit({
      proposalId: 'p_1',
      actor: 'slack:U2',
      note: 'edited in Slack',
      patch: null,
      fills: { 'international return window': '365 days' },
    });
    await expect(attempt).rejects.toThrow(/slack:U2 may not edit proposals of account acct/);
    expect(reads).toEqual([]);
    expect(queued).toEqual([]);
    expect((await proposals.get('p_1'))?.revision).toBe(1);
  });

  it('refuses an approval of a revision older than the stored one, showing the new one', async () => {
    const { decisions, queued, proposals } = setup();
    const edited = await decisions.edit({
      proposalId: 'p_1',
      actor: 'web:alice',
      patch: null,
      fills: { 'international return window': '30 days' },
    });
    expect(edited?.revision).toBe(2);
    const stale = decisions.approve({ proposalId: 'p_1', actor: 'slack:U1', revision: 1 });
    await expect(stale).rejects.toMatchObject({
      code: 'proposal_changed',
      current: expect.objectContaining({ revision: 2 }),
      message: expect.stringMatching(/shown revision 1, it is now revision 2.*web:alice/),
    });
    expect((await proposals.get('p_1'))?.status).toBe('pending');
    expect(queued.map((q) => q.job)).toEqual(['notify-proposal']);
    const fresh = await decisions.approve({ proposalId: 'p_1', actor: 'slack:U1', revision: 2 });
    expect(fresh.proposal.status).toBe('approved');
  });

  it('auto-approves a covered kind like a person: apply, then Slack', async () => {
    const { decisions, queued, proposals } = setup({ patch: noPlaceholders });
    const pending = await proposals.get('p_1');
    if (!pending) throw new Error('missing');
    const decision = await decisions.autoApprove(pending, {
      enabled: true,
      kinds: ['skill.update'],
    });
    expect(decision.approved).toBe(true);
    expect((await proposals.get('p_1'))?.history.at(-1)?.actor).toBe(AUTO_APPROVE_ACTOR);
    expect(queued.map((q) => q.job)).toEqual(['apply-proposal', 'notify-proposal']);
  });

  it('queues nothing when auto-approve does not cover the proposal', async () => {
    const { decisions, queued, proposals } = setup({ patch: noPlaceholders });
    const pending = await proposals.get('p_1');
    if (!pending) throw new Error('missing');
    const decision = await decisions.autoApprove(pending, { enabled: true, kinds: [] });
    expect(decision.approved).toBe(false);
    expect(queued).toEqual([]);
  });
});
