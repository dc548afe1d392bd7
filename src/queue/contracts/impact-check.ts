import { z } from 'zod';
import type { Proposal } from '../../domain/proposal.js';
import { AppError } from '../../errors.js';
import { defineContract } from '../contract.js';
import { jobIdFrom } from '../job-id.js';

/**
 * Some days after an apply, compares the resolution rate in equal windows before and after it.
 * Enqueue it as `planImpactCheck` says: a deterministic id and a delay.
 */
export const impactCheckContract = defineContract({
  name: 'impact-check',
  queue: 'verify',
  payload: z.object({
    accountId: z.string().min(1),
    proposalId: z.string().min(1),
    /** Days compared on each side of the apply. */
    windowDays: z.number().int().min(1),
  }),
});

export type ImpactCheckPayload = z.infer<typeof impactCheckContract.payload>;

export interface ImpactCheckPlan {
  /** The job to enqueue. */
  job: 'impact-check';
  payload: ImpactCheckPayload;
  /** Deterministic: planning twice enqueues one job. */
  jobId: string;
  /** Milliseconds from `now` until the check may run. */
  delayMs: number;
  runAt: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The delayed job that checks the impact `afterDays` after the apply, comparing `afterDays`
 * before with `afterDays` after (equal windows). Throws for a proposal that is not applied.
 */
export function planImpactCheck(
  proposal: Pick<Proposal, 'id' | 'accountId' | 'status' | 'result'>,
  options: { afterDays: number; now?: Date },
): ImpactCheckPlan {
  const appliedAt = Date.parse(proposal.result.appliedAt ?? '');
  if (proposal.status !== 'applied' || Number.isNaN(appliedAt)) {
    throw new AppError(
      `Proposal ${proposal.id} is ${proposal.status}; only an applied proposal gets an impact check.`,
      {
        code: 'proposal_state_conflict',
        retryable: false,
      },
    );
  }
  const days = Math.max(1, Math.round(options.afterDays));
  const runAt = appliedAt + days * DAY_MS;
  const now = (options.now ?? new Date()).getTime();
  return {
    job: 'impact-check',
    payload: { accountId: proposal.accountId, proposalId: proposal.id, windowDays: days },
    // The apply time keeps the id unique if the same proposal id is applied again later.
    jobId: jobIdFrom('impact-check', proposal.id, new Date(appliedAt)),
    delayMs: Math.max(0, runAt - now),
    runAt: new Date(runAt).toISOString(),
  };
}
