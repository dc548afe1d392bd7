import { proposalIdFrom } from '../../store/proposal-id.js';
import { type AgentConfigView } from '../../domain/agent-config.js';
import type { FailureCategory } from '../../domain/diagnosis.js';
import type { Finding } from '../../domain/finding.js';
import type { PatchKind } from '../../patches/patch.js';
import { placeholdersInPatch } from '../../domain/placeholders.js';
import { checkPatch, toPolicyCurrent } from '../policy/policy.js';
import type { PolicyContext, PolicyLimits, PolicyViolation } from '../policy/policy.js';
import type { Proposal } from '../../domain/proposal.js';
import { baselineFor, targetOf } from '../../patches/baseline.js';
import { renderPatchDiff } from '../../patches/render-diff.js';
import type { Draft } from './offline-drafter.js';
import { extractShopperNames, scrubPersonalData } from '../../domain/scrub.js';

/**
 * A draft becomes a proposal here, and only through the policy: `buildProposal` checks the patch
 * in code, records the baseline it was drafted against (so apply can refuse a stale patch),
 * renders the diff, and gives it the deterministic id that makes re-running a window a no-op.
 */

/** The account's policy settings (the current config and transcripts are added per draft). */
export interface ProposalPolicy {
  allowedKinds: readonly PatchKind[];
  allowedUrls?: string[] | undefined;
  limits?: Partial<PolicyLimits> | undefined;
}

export interface BuildProposalInput {
  accountId: string;
  finding: Finding;
  draft: Draft;
  /** The configuration the draft was made against, read fresh. */
  view: AgentConfigView;
  /** The evidence conversations' messages (untrusted): what the policy keeps out of the patch. */
  transcripts: readonly { role: string; content: string }[];
  policy: ProposalPolicy;
  now: Date;
}

export type BuildProposalResult =
  { ok: true; proposal: Proposal } | { ok: false; violations: PolicyViolation[]; draft: Draft };

/** The policy context for one draft. */
export function policyContextFor(
  view: AgentConfigView,
  policy: ProposalPolicy,
  transcripts: readonly { role: string; content: string }[],
): PolicyContext {
  return {
    allowedKinds: policy.allowedKinds,
    current: toPolicyCurrent(view),
    transcripts: [...transcripts],
    ...(policy.allowedUrls === undefined ? {} : { allowedUrls: policy.allowedUrls }),
    ...(policy.limits === undefined ? {} : { limits: policy.limits }),
  };
}

const CATEGORY_WORDS: Record<FailureCategory, string> = {
  knowledge_gap: 'the agent lacked the facts',
  wrong_skill: 'the wrong skill handled them',
  instruction_gap: "the skill's instructions did not cover them",
  tone: 'the tone did not fit',
  missed_escalation: 'the shopper needed a person and was not handed off',
  unnecessary_escalation: 'the agent handed off what it could have answered',
  tool_failure: 'a tool failed',
  other: 'of other problems',
};

function percent(share: number): string {
  const value = share * 100;
  return `${value >= 10 || value === 0 ? Math.round(value) : value.toFixed(1)}%`;
}

/** One sentence with the finding's numbers, e.g. "3 conversations about … (15% of the 20 …)". */
export function evidenceSummary(finding: Finding): string {
  const n = finding.conversationIds.length;
  const { shareOfWindow, windowConversations, resolutionRate, skillVolume } = finding.metrics;
  const extra = [
    resolutionRate === null ? null : `resolution rate ${percent(resolutionRate)}`,
    skillVolume === null ? null : `skill volume ${skillVolume}`,
  ].filter((part) => part !== null);
  const numbers = [
    `${percent(shareOfWindow)} of the ${windowConversations} diagnosed in the window`,
    ...extra,
  ].join('; ');
  return `${n} conversation${n === 1 ? '' : 's'} about "${finding.topic}" (${numbers}) failed because ${CATEGORY_WORDS[finding.category]}.`;
}

/**
 * Builds the proposal for a draft, or returns the policy's violations (nothing is stored either
 * way: the caller stores). Personal data is scrubbed from the prose and the finding's quotes too:
 * proposals are shown in Slack and on the web, where a shopper's details have no business.
 */
export function buildProposal(input: BuildProposalInput): BuildProposalResult {
  const { draft, view, finding } = input;
  const context = policyContextFor(view, input.policy, input.transcripts);
  const checked = checkPatch(draft.patch, context);
  if (!checked.ok) return { ok: false, violations: checked.violations, draft };
  const patch = checked.patch;
  const baseline = baselineFor(patch, view);
  const target = targetOf(patch, view);
  const names = extractShopperNames([...input.transcripts]);
  const scrub = (text: string): string => scrubPersonalData(text, { names }).text;
  const at = input.now.toISOString();
  const proposal: Proposal = {
    id: proposalIdFrom(input.accountId, patch, baseline),
    accountId: input.accountId,
    status: 'pending',
    title: scrub(draft.title).slice(0, 200),
    rationale: `${evidenceSummary(finding)} ${scrub(draft.rationale)}`,
    finding: {
      ...finding,
      evidence: finding.evidence.map((e) => ({ ...e, quote: scrub(e.quote) })),
    },
    patch,
    baseline,
    diff: renderPatchDiff(
      patch,
      baseline,
      target.name === undefined ? {} : { targetName: target.name },
    ),
    expectedImpact: scrub(draft.expectedImpact),
    placeholders: placeholdersInPatch(patch),
    revertOf: null,
    createdAt: at,
    updatedAt: at,
    history: [{ at, status: 'pending', actor: 'system', note: `drafted by ${draft.drafter}` }],
    result: {},
  };
  return { ok: true, proposal };
}
