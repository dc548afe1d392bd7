import { z } from 'zod';
import { defineContract } from '../contract.js';
import { jobIdFrom } from '../job-id.js';

/**
 * After an apply is verified: replays the account's regression suite and recent successful
 * conversations of the touched skill; a regression drafts a revert.
 */
export const regressionCheckContract = defineContract({
  name: 'regression-check',
  queue: 'verify',
  payload: z.object({ accountId: z.string().min(1), proposalId: z.string().min(1) }),
});

/** The job id of a proposal's regression check: per apply, like its verification. */
export function regressionCheckJobId(proposalId: string, appliedAt: string): string {
  return jobIdFrom('regression-check', proposalId, appliedAt);
}
