import { describe, expect, it } from 'vitest';
import { jobs } from '../../../jobs/index.js';
import { RequestValidationError } from '../../../src/errors.js';
import { defineContract } from '../../../src/queue/contract.js';
import {
  JOB_CONTRACTS,
  applyJobId,
  diagnoseJobId,
  notifyJobId,
  planImpactCheck,
  verifyJobId,
} from '../../../src/queue/contracts/index.js';
import { z } from 'zod';
import { makeProposal } from '../../integration/store/fixtures.js';

/** Ids as the loop computed them before the contracts moved: Redis data depends on them. */
describe('job ids', () => {
  const approved = makeProposal({
    id: 'p_gold',
    status: 'approved',
    updatedAt: '2026-11-21T09:30:00.000Z',
    history: [
      { at: '2026-11-20T10:00:00.000Z', status: 'pending', actor: 'system' },
      { at: '2026-11-21T09:30:00.000Z', status: 'approved', actor: 'cli:ops' },
    ],
  });

  it('apply: per approval, else per update', () => {
    expect(applyJobId(approved)).toBe('apply--p_gold--2026_11_21T09_30_00.000Z_h662c5124cb910f5e');
    expect(applyJobId(makeProposal({ id: 'p:odd' }))).toBe(
      'apply--p_odd_hc2f3f1551cf3333c--2026_11_20T10_00_00.000Z_he07fb8097b7427d2',
    );
  });

  it('apply: a hold or an "apply anyway" after the approval is a new job, even in the same ms', () => {
    const at = '2026-11-21T09:30:00.000Z';
    const held = {
      ...approved,
      history: [...approved.history, { at, status: 'approved' as const, actor: 'system' }],
    };
    expect(applyJobId(held)).not.toBe(applyJobId(approved));
    expect(applyJobId(held)).toBe(applyJobId({ ...held, updatedAt: '2026-12-01T00:00:00.000Z' }));
  });

  it('notify: per state', () => {
    expect(notifyJobId(approved)).toBe(
      'notify--p_gold--2026_11_21T09_30_00.000Z_h662c5124cb910f5e--2',
    );
  });

  it('verify: per apply time as stored, or the apply job id', () => {
    expect(verifyJobId('p_gold', '2026-11-21T09:31:00.000Z')).toBe(
      'verify--p_gold--2026_11_21T09_31_00.000Z_h2f258ae45b2d9999',
    );
    expect(verifyJobId('p_gold', 'apply--p_gold--1763717400000')).toBe(
      'verify--p_gold--apply_p_gold_1763717400000_he19976c21f19b9e9',
    );
  });

  it('diagnose: per conversation versions', () => {
    const conversations = [
      { id: 'c2', updatedAt: '2026-11-20T10:00:00Z' },
      { id: 'c1', updatedAt: '2026-11-20T11:00:00Z' },
    ];
    expect(diagnoseJobId('acct_1', conversations)).toBe(
      'diagnose--acct_1--c2_2026_11_20T10_00_00Z_c1_2026_11_20T11_hb379bb9a3b988beb',
    );
  });

  it('impact-check: per apply, delayed until the window after it has passed', () => {
    const applied = makeProposal({
      id: 'p_gold',
      status: 'applied',
      result: { appliedAt: '2026-11-21T09:31:00.000Z' },
    });
    expect(
      planImpactCheck(applied, { afterDays: 7, now: new Date('2026-11-22T00:00:00.000Z') }),
    ).toEqual({
      job: 'impact-check',
      payload: { accountId: 'acct_1', proposalId: 'p_gold', windowDays: 7 },
      jobId: 'impact-check--p_gold--1795253460000',
      delayMs: 552_660_000,
      runAt: '2026-11-28T09:31:00.000Z',
    });
  });
});

describe('contracts', () => {
  it('have exactly one handler each in jobs/, with the same name, queue, schema and options', () => {
    expect(jobs.map((job) => job.name)).toEqual(JOB_CONTRACTS.map((contract) => contract.name));
    for (const contract of JOB_CONTRACTS) {
      const job = jobs.find((j) => j.name === contract.name);
      expect(job?.queue).toBe(contract.queue);
      expect(job?.payload).toBe(contract.payload);
      expect(job?.options).toBe(contract.options);
      expect(job?.schedule).toBe(contract.schedule);
    }
  });

  it('keep the job names the queues already hold', () => {
    expect(JOB_CONTRACTS.map((c) => `${c.queue}/${c.name}`)).toEqual([
      'pull/pull-conversations',
      'diagnose/diagnose-conversations',
      'pull/pull-reports',
      'synthesize/synthesize',
      'apply/apply-proposal',
      'verify/verify-proposal',
      'verify/regression-check',
      'verify/impact-check',
      'notify/notify-proposal',
    ]);
  });

  it('are frozen and kebab-case', () => {
    expect(JOB_CONTRACTS.every((c) => Object.isFrozen(c))).toBe(true);
    expect(() =>
      defineContract({ name: 'Not_Kebab', queue: 'pull', payload: z.object({}) }),
    ).toThrow(RequestValidationError);
  });
});
