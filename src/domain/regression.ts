import { z } from 'zod';

/**
 * The regression check of an applied proposal: after the apply, the account's regression suite
 * (conversations earlier fixes were verified on) and recent successful conversations of the
 * touched skill are replayed; one that passed before and fails now is a regression.
 */

export const RegressionSchema = z.object({
  /** A suite case's id; absent for a sampled successful conversation. */
  caseId: z.string().optional(),
  conversationId: z.string(),
  /** What failed in the replay. */
  reason: z.string(),
});
export type Regression = z.infer<typeof RegressionSchema>;

export const RegressionResultSchema = z.object({
  /** Conversations replayed and judged (suite cases and successful conversations). */
  checked: z.number().int().min(0),
  passed: z.number().int().min(0),
  regressions: z.array(RegressionSchema),
  at: z.string(),
  /** The revert drafted because of the regressions, as a new pending proposal. */
  revertProposalId: z.string().optional(),
  /** Why no revert could be drafted (e.g. the change created something). */
  revertRefused: z.string().optional(),
});
export type RegressionResult = z.infer<typeof RegressionResultSchema>;

/** One line for every surface (CLI, Slack, web): the count, and the revert when there is one. */
export function describeRegression(result: RegressionResult): string {
  const n = result.regressions.length;
  if (n === 0) {
    return `Regression check: no regressions (${result.passed} of ${result.checked} earlier fixes and successful conversations pass).`;
  }
  const revert =
    result.revertProposalId !== undefined
      ? ` Revert drafted: ${result.revertProposalId}.`
      : result.revertRefused !== undefined
        ? ` No revert drafted: ${result.revertRefused}`
        : '';
  return `Regression check: ${n} regression${n === 1 ? '' : 's'} — ${n} of ${result.checked} conversations that passed before fail now.${revert}`;
}
