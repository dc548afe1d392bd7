import type { AgentConfigView } from '../../patches/agent-config.js';
import { placeholdersInPatch } from '../../domain/placeholders.js';
import type { Proposal } from '../../domain/proposal.js';
import { baselineFor, targetOf } from '../../patches/baseline.js';
import type { Patch, PatchKind } from '../../patches/patch.js';
import { renderPatchDiff } from '../../patches/render-diff.js';
import { proposalIdFrom } from '../../store/proposal-id.js';
import { checkPatch, toPolicyCurrent } from './policy.js';
import type { PolicyContext, PolicyLimits, PolicyViolation } from './policy.js';

/**
 * A patch becomes a proposal only here, and only through the policy: `admitPatch` checks the patch
 * in code, records the baseline it was drafted against (so apply can refuse a stale patch),
 * renders the diff, and gives it the deterministic id that makes re-drafting the same change a
 * no-op. Drafts (synthesize) and reverts (verify) both come through it; they only write the prose.
 */

/** The account's policy settings (the current config and transcripts are added per patch). */
export interface ProposalPolicy {
  allowedKinds: readonly PatchKind[];
  allowedUrls?: string[] | undefined;
  limits?: Partial<PolicyLimits> | undefined;
}

/** The policy context for one patch drafted against `view` from `transcripts`. */
export function policyContextFor(
  view: AgentConfigView,
  policy: ProposalPolicy,
  transcripts: readonly { role: string; content: string }[],
  topic?: string,
): PolicyContext {
  return {
    allowedKinds: policy.allowedKinds,
    current: toPolicyCurrent(view),
    transcripts: [...transcripts],
    ...(topic === undefined ? {} : { topic }),
    ...(policy.allowedUrls === undefined ? {} : { allowedUrls: policy.allowedUrls }),
    ...(policy.limits === undefined ? {} : { limits: policy.limits }),
  };
}

export interface AdmitInput {
  accountId: string;
  /** The patch as drafted, not yet checked. */
  patch: Patch;
  /** The configuration the patch was drafted against, read fresh. */
  view: AgentConfigView;
  policy: ProposalPolicy;
  /** The evidence conversations' messages (untrusted): what the policy keeps out of the patch. */
  transcripts: readonly { role: string; content: string }[];
  /** Set for a revert: the applied proposal it reverts and the audited values it must restore. */
  revert?: { of: string; restores: Record<string, unknown> };
  /** What a person reads, written by the caller (the title is cut to 200 characters). */
  prose: Pick<Proposal, 'title' | 'rationale' | 'expectedImpact' | 'finding'>;
  /** The first history entry: who drafted it, and how. */
  drafted: { actor: string; note: string };
  now: Date;
}

export type AdmitResult =
  { ok: true; proposal: Proposal } | { ok: false; violations: PolicyViolation[] };

/**
 * The pending proposal for a drafted patch, or the policy's violations. Nothing is stored: the
 * caller stores. The proposal holds the patch as the policy returned it (personal data scrubbed).
 */
export function admitPatch(input: AdmitInput): AdmitResult {
  const { view, revert, prose } = input;
  const context = policyContextFor(view, input.policy, input.transcripts, prose.finding.topic);
  const checked = checkPatch(
    input.patch,
    revert === undefined ? context : { ...context, revert: { restores: revert.restores } },
  );
  if (!checked.ok) return { ok: false, violations: checked.violations };
  const patch = checked.patch;
  const baseline = baselineFor(patch, view);
  const target = targetOf(patch, view);
  const at = input.now.toISOString();
  const proposal: Proposal = {
    id: proposalIdFrom(input.accountId, patch, baseline),
    accountId: input.accountId,
    status: 'pending',
    title: prose.title.slice(0, 200),
    rationale: prose.rationale,
    finding: prose.finding,
    patch,
    baseline,
    diff: renderPatchDiff(
      patch,
      baseline,
      target.name === undefined ? {} : { targetName: target.name },
    ),
    expectedImpact: prose.expectedImpact,
    placeholders: placeholdersInPatch(patch),
    revertOf: revert?.of ?? null,
    createdAt: at,
    updatedAt: at,
    history: [{ at, status: 'pending', ...input.drafted }],
    revision: 1,
    result: {},
    attribution: {},
  };
  return { ok: true, proposal };
}
