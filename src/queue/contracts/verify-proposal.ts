import { z } from 'zod';
import { defineContract } from '../contract.js';
import { jobIdFrom } from '../job-id.js';

/** Replays an applied proposal's evidence conversations in preview mode: "fixed k of n". */
export const verifyProposalContract = defineContract({
  name: 'verify-proposal',
  queue: 'verify',
  payload: z.object({ accountId: z.string().min(1), proposalId: z.string().min(1) }),
});

/**
 * The job id of a proposal's verification: per apply. `appliedAt` is the proposal's
 * `result.appliedAt` as stored (the apply job's id when it has none), kept as a string.
 */
export function verifyJobId(proposalId: string, appliedAt: string): string {
  return jobIdFrom('verify', proposalId, appliedAt);
}
