import type { FailureCategory } from '../../domain/diagnosis.js';
import type { Finding } from '../../domain/finding.js';
import type { AgentConfigView } from '../../patches/agent-config.js';
import type { Proposal } from '../../domain/proposal.js';
import { extractShopperNames, scrubPersonalData } from '../../domain/scrub.js';
import { percent } from '../../domain/format.js';
import { admitPatch, type ProposalPolicy } from '../policy/admit.js';
import type { PolicyViolation } from '../policy/policy.js';
import type { Draft } from './offline-drafter.js';

// synthesize.ts takes the account's policy in this shape.
export type { ProposalPolicy } from '../policy/admit.js';

/**
 * A draft becomes a proposal through the policy's `admitPatch` (src/loop/policy/admit.ts), the one
 * constructor of proposals. What is synthesize's own is the prose: the rationale opens with the
 * finding's numbers (`evidenceSummary`), and shoppers' personal data is scrubbed from the prose
 * and the finding's quotes, since proposals are shown in Slack and on the web.
 */

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

/** Whole percentages from 10% up, one decimal below: "15%", "2.5%". */
const roundedPercent = (ratio: number): string =>
  percent(ratio, { digits: ratio * 100 >= 10 || ratio === 0 ? 0 : 1 });

/** One sentence with the finding's numbers, e.g. "3 conversations about … (15% of the 20 …)". */
export function evidenceSummary(finding: Finding): string {
  const n = finding.conversationIds.length;
  const { shareOfWindow, windowConversations, pendingConversations, resolutionRate, skillVolume } =
    finding.metrics;
  const extra = [
    resolutionRate === null ? null : `resolution rate ${roundedPercent(resolutionRate)}`,
    skillVolume === null ? null : `skill volume ${skillVolume}`,
  ].filter((part) => part !== null);
  const numbers = [
    pendingConversations
      ? `${roundedPercent(shareOfWindow)} of the ${windowConversations} diagnosed so far, failures first (${pendingConversations} more in the window not fetched yet)`
      : `${roundedPercent(shareOfWindow)} of the ${windowConversations} diagnosed in the window`,
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
  const { draft, finding } = input;
  const names = extractShopperNames([...input.transcripts]);
  const scrub = (text: string): string => scrubPersonalData(text, { names }).text;
  const admitted = admitPatch({
    accountId: input.accountId,
    patch: draft.patch,
    view: input.view,
    policy: input.policy,
    transcripts: input.transcripts,
    prose: {
      title: scrub(draft.title),
      rationale: `${evidenceSummary(finding)} ${scrub(draft.rationale)}`,
      expectedImpact: scrub(draft.expectedImpact),
      finding: {
        ...finding,
        evidence: finding.evidence.map((e) => ({ ...e, quote: scrub(e.quote) })),
      },
    },
    drafted: { actor: 'system', note: `drafted by ${draft.drafter}` },
    now: input.now,
  });
  return admitted.ok ? admitted : { ...admitted, draft };
}
