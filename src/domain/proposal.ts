import { z } from 'zod';
import { FindingSchema } from './finding.js';
import { BaselineSchema, PatchSchema } from '../patches/patch.js';
import { ReplayResultSchema, ReproductionSchema } from './replay.js';
import { RegressionResultSchema } from './regression.js';

/**
 * A proposal: one patch with its reasons, waiting for (or past) a person's decision.
 *
 * Lifecycle:
 *   pending ─approve─► approved ─► applying ─► applied ─(revert drafted)─► reverted
 *      │                               ├──► conflict   (target changed since the baseline)
 *      ├─reject─► rejected             └──► failed     (the API refused; detail recorded)
 *      └─(ttl)──► expired
 */
export const PROPOSAL_STATUSES = [
  'pending',
  'approved',
  'rejected',
  'applying',
  'applied',
  'conflict',
  'failed',
  'reverted',
  'expired',
] as const;
export const ProposalStatusSchema = z.enum(PROPOSAL_STATUSES);
export type ProposalStatus = z.infer<typeof ProposalStatusSchema>;

/** Allowed transitions; anything else is refused by the store. */
export const PROPOSAL_TRANSITIONS: Record<ProposalStatus, readonly ProposalStatus[]> = {
  pending: ['approved', 'rejected', 'expired', 'pending'],
  // approved → approved records a hold behind another change's attribution window, or an
  // approver's "apply anyway" (src/domain/attribution.ts).
  approved: ['applying', 'approved'],
  applying: ['applied', 'conflict', 'failed'],
  // applied → applied records later results (replay, impact) without a new status.
  applied: ['reverted', 'applied'],
  rejected: [],
  conflict: [],
  failed: [],
  reverted: [],
  expired: [],
};

export const ProposalEventSchema = z.object({
  at: z.string(),
  status: ProposalStatusSchema,
  /** Who did it: an approver id (`slack:U123`, `web:alice`, `cli:ops`) or `system`. */
  actor: z.string(),
  note: z.string().optional(),
});
export type ProposalEvent = z.infer<typeof ProposalEventSchema>;

/** Attribution (src/domain/attribution.ts): one change per target while its impact is measured. */
export const AttributionSchema = z.object({
  /** Approved, and held until another proposal's attribution window on the same target closes. */
  waitingBehind: z.object({ proposalId: z.string(), until: z.string() }).optional(),
  /** An approver chose to apply it while another change's window on its target was open. */
  applyAnyway: z.object({ actor: z.string() }).optional(),
  /** Proposals whose attribution windows overlap this one's on the same target. */
  sharedWith: z.array(z.string()).optional(),
});
export type Attribution = z.infer<typeof AttributionSchema>;

/**
 * Two proposals decided together: a wrong skill's fix touches two skills' descriptions (the one
 * that took the conversations gives them up, the one that should have had them claims them). Each
 * is an ordinary proposal on its one target (its own baseline, lease, apply and revert), and each
 * half stands on its own if the other cannot be applied; a decision on either decides both.
 */
export const PairSchema = z.object({
  /** The other proposal of the pair. */
  proposalId: z.string().min(1),
  /** `lead`: the finding's own fix; `companion`: the other side, drafted with it. */
  role: z.enum(['lead', 'companion']),
});
export type Pair = z.infer<typeof PairSchema>;

export const ProposalSchema = z.object({
  id: z.string().min(1),
  accountId: z.string().min(1),
  status: ProposalStatusSchema,
  title: z.string().min(1).max(200),
  rationale: z.string().min(1),
  finding: FindingSchema,
  patch: PatchSchema,
  baseline: BaselineSchema,
  /** Human-readable unified diff of the patch against the baseline. */
  diff: z.string(),
  expectedImpact: z.string(),
  /** Placeholders such as `{{fill: international return window}}` still in the patch. */
  placeholders: z.array(z.string()),
  /** Id of the proposal this one reverts, for reverts. */
  revertOf: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  history: z.array(ProposalEventSchema),
  /**
   * Which version of the patch this is: 1 as drafted, one more with each edit (text or fills).
   * Slack buttons and web forms carry the revision the person was shown, and a decision on a
   * proposal that changed since is refused (see ProposalChangedError). Stored proposals from
   * before revisions were counted read as 1.
   */
  revision: z.number().int().min(1).default(1),
  /**
   * The evidence replayed against the live configuration before the proposal was offered: the
   * baseline verify compares with. Absent on reverts and proposals stored before it existed.
   */
  reproduction: ReproductionSchema.optional(),
  result: z
    .object({
      appliedAt: z.string().optional(),
      resourceId: z.string().optional(),
      error: z.string().optional(),
      replay: ReplayResultSchema.optional(),
      /** The regression check after the apply (src/loop/verify/regression-check.ts). */
      regression: RegressionResultSchema.optional(),
    })
    .default({}),
  attribution: AttributionSchema.default({}),
  /** Set when this proposal is decided together with another (see PairSchema). */
  pair: PairSchema.optional(),
});
export type Proposal = z.infer<typeof ProposalSchema>;

/** The sentence every door shows on a paired proposal, naming the other one. */
export function pairSentence(proposal: Pick<Proposal, 'pair'>): string | null {
  const { pair } = proposal;
  if (pair === undefined) return null;
  const side = pair.role === 'lead' ? 'the other skill’s side' : 'the change it goes with';
  return `Decided together with proposal ${pair.proposalId} (${side}): approving or rejecting one decides both. Each is applied to its own skill.`;
}
