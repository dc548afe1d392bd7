import { z } from 'zod';

/**
 * The replays of a proposal's evidence conversations (preview mode): once against the live
 * configuration before the proposal is offered (its reproduction, the baseline) and once after
 * the apply (the verify result, compared with that baseline). One sentence each for every
 * surface that shows them (CLI, Slack, web, run and demo summaries).
 */

const JudgeSchema = z.enum(['rules', 'claude']).nullable();

export const BaselineVerdictSchema = z.object({
  conversationId: z.string(),
  /** Whether the failure happened again against the live configuration; null: not judged. */
  failedAtBaseline: z.boolean().nullable(),
  /** What decided it, or why the conversation was not replayed. */
  reason: z.string(),
  judge: JudgeSchema,
});
export type BaselineVerdict = z.infer<typeof BaselineVerdictSchema>;

export const ReproductionSchema = z.object({
  checkedAt: z.string(),
  /** Conversations whose failure happened again (k of `total`). */
  reproduced: z.number().int().min(0),
  /** Conversations replayed and judged. */
  total: z.number().int().min(0),
  details: z.array(BaselineVerdictSchema),
});
/** A finding's evidence replayed against the live configuration before anything is proposed. */
export type Reproduction = z.infer<typeof ReproductionSchema>;

/** How one replayed conversation compares with its baseline verdict. */
export const REPLAY_OUTCOMES = [
  'fixed',
  'still-failing',
  'newly-broken',
  'still-passing',
  'no-baseline',
  'not-replayed',
] as const;

export const ReplayDetailSchema = z.object({
  conversationId: z.string(),
  /** Whether the replay now handles the failure; null when it could not be replayed. */
  handled: z.boolean().nullable(),
  reason: z.string(),
  /** Shopper turns replayed. */
  turns: z.number().int().min(0),
  judge: JudgeSchema,
  /** Null when the baseline has no verdict for it (or there is no baseline). */
  failedAtBaseline: z.boolean().nullable().optional(),
  outcome: z.enum(REPLAY_OUTCOMES).optional(),
});
export type ReplayDetail = z.infer<typeof ReplayDetailSchema>;

export const ReplayResultSchema = z.object({
  /**
   * Against a baseline: conversations that failed at the baseline and pass now. Without one
   * (`against: 'none'`, and every result stored before baselines): replays judged handled.
   */
  fixed: z.number().int(),
  /** Against a baseline: conversations that failed at the baseline, judged now; else all judged. */
  total: z.number().int(),
  /** Absent on results stored before baselines, which were all 'none'. */
  against: z.enum(['baseline', 'none']).optional(),
  /** Passed at the baseline, fail now. */
  newlyBroken: z.number().int().optional(),
  /** Failed at the baseline, fail now. */
  stillFailing: z.number().int().optional(),
  /** Judged now, but with no verdict at the baseline: counted neither way. */
  baselineMissing: z.number().int().optional(),
  details: z.array(ReplayDetailSchema).optional(),
});
export type ReplayResult = z.infer<typeof ReplayResultSchema>;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Why nothing was judged: the reason the conversations share, or each one's. */
function notJudgedReason(details: readonly { reason: string }[]): string {
  const reasons = [...new Set(details.map((d) => d.reason))];
  return reasons.length === 0 ? 'no evidence conversations' : reasons.join('; ');
}

/** "Reproduces in 2 of 3 replays against the live configuration." or why it was not checked. */
export function describeReproduction(r: Reproduction): string {
  if (r.total === 0) return `Reproduction not checked: ${notJudgedReason(r.details)}.`;
  if (r.reproduced === 0) {
    return `Did not reproduce in 0 of ${plural(r.total, 'replay')} against the live configuration.`;
  }
  return `Reproduces in ${r.reproduced} of ${plural(r.total, 'replay')} against the live configuration.`;
}

/** The verify result, against the baseline when there was one, else labelled as without. */
export function describeReplay(r: ReplayResult): string {
  if (r.against !== 'baseline') {
    return `Replay: fixed ${r.fixed} of ${r.total} conversations (no baseline to compare with).`;
  }
  const parts = [
    `fixed ${r.fixed} of ${r.total} that failed at the baseline`,
    `${r.newlyBroken ?? 0} newly broken`,
  ];
  if (r.stillFailing) parts.push(`${r.stillFailing} still failing`);
  if (r.baselineMissing) parts.push(`${r.baselineMissing} without a baseline verdict`);
  return `Replay against the baseline: ${parts.join(', ')}.`;
}
