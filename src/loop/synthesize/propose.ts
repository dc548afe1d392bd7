import type { AgentConfigView } from '../../patches/agent-config.js';
import type { Finding } from '../../domain/finding.js';
import type { Proposal, ProposalStatus } from '../../domain/proposal.js';
import { describeReproduction } from '../../domain/replay.js';
import { describeError } from '../../errors.js';
import {
  addUsage,
  draftPatchWithClaude,
  LlmBudgetExceededError,
  toAgentContext,
  targetConfigFor,
  type LlmUsage,
} from '../../llm/index.js';
import type { Logger } from '../../logger.js';
import { findingTranscripts } from '../policy/evidence.js';
import type { PolicyViolation } from '../policy/policy.js';
import { buildProposal } from './build-proposal.js';
import { targetOf } from '../../domain/attribution.js';
import { heldBehind } from './held-behind.js';
import { rejectionReasonsFor, type Rejection } from './rejections.js';
import { draftByRulesWithReason, type Draft } from './offline-drafter.js';
import type { SynthesizeInput, SynthesizeResult } from './synthesize.js';

/**
 * One finding's proposal: Claude's draft when configured, else (or when Claude fails or the
 * policy blocks its draft) the rules draft; built and policy-checked against the evidence
 * transcripts, its evidence replayed against the live configuration, then stored unless the same
 * patch already stands or was decided, or the failure no longer happens.
 */

/** Statuses of a proposal that still stands: a finding that has one is not drafted again. */
export const STANDING: readonly ProposalStatus[] = ['pending', 'approved', 'applying', 'applied'];
/** What a run has done so far; `synthesize` turns it into the result. */
export interface RunState extends Omit<SynthesizeResult, 'findings' | 'usage'> {
  usage: LlmUsage;
  /** Why Claude is not asked any more this run (its budget ran out), or null. */
  claudeOff: string | null;
  seen: Set<string>;
}

/** One synthesis run: its input, the agent config read at its start, and its state. */
export interface Run {
  input: SynthesizeInput;
  view: AgentConfigView;
  log: Logger;
  now: () => Date;
  state: RunState;
  /** The account's recent rejections, shown to Claude's drafter for the same target. */
  rejections: readonly Rejection[];
}

/** Claude's draft, or why there is none (the caller falls back to the rules). */
async function draftWithClaude(run: Run, finding: Finding): Promise<Draft | string> {
  const { input, state } = run;
  const llm = input.llm;
  if (llm === undefined) return 'no LLM configured';
  if (state.claudeOff !== null) return state.claudeOff;
  try {
    llm.budget?.ensureCanSpend(input.accountId);
    const out = await draftPatchWithClaude(llm.client, {
      accountId: input.accountId,
      runId: input.runId,
      agentContext: toAgentContext(run.view),
      finding,
      targetConfig: targetConfigFor(run.view, finding),
      rejections: rejectionReasonsFor(finding, run.rejections),
      ...(input.signal === undefined ? {} : { signal: input.signal }),
    });
    state.usage = addUsage(state.usage, out.usage);
    const { patch, title, rationale, expectedImpact, companion } = out;
    return {
      patch,
      title,
      rationale,
      expectedImpact,
      drafter: 'claude',
      // Only a wrong skill has another side; a companion on anything else is not asked for.
      ...(companion === undefined || finding.category !== 'wrong_skill' ? {} : { companion }),
    };
  } catch (error) {
    // A cancelled run stops; it does not carry on with the rules.
    if (input.signal?.aborted) throw error;
    const reason = `Claude could not draft it (${describeError(error)})`;
    if (error instanceof LlmBudgetExceededError) state.claudeOff = reason;
    run.log.warn({ findingId: finding.id, err: describeError(error) }, 'claude draft failed');
    return reason;
  }
}

/**
 * The new proposal with its reproduction, or null when no judged replay failed: then the finding
 * is not proposed, and is kept among the unreproduced with the reason. A proposal already stored
 * (standing or decided) is taken as it is, and replays nothing.
 */
async function withReproduction(
  run: Run,
  finding: Finding,
  proposal: Proposal,
): Promise<Proposal | null> {
  const { input, state } = run;
  if (input.reproduce === undefined) return proposal;
  if ((await input.stores.proposals.get(proposal.id)) !== null) return proposal;
  const reproduction = await input.reproduce(finding);
  if (reproduction.total > 0 && reproduction.reproduced === 0) {
    const reason = describeReproduction(reproduction);
    state.skipped.push({ findingId: finding.id, reason });
    state.unreproduced.push({ findingId: finding.id, reproduction });
    run.log.info({ findingId: finding.id, total: reproduction.total }, 'did not reproduce');
    return null;
  }
  return { ...proposal, reproduction };
}

/**
 * The companion to store with `lead`, both linked, or null when it must wait: already drafted in
 * this run, held behind an undecided proposal on the same field, or stored already. The lead
 * then goes alone (it stands on its own) and a later run drafts the other side again.
 */
async function pairable(run: Run, lead: Proposal, companion: Proposal): Promise<Proposal | null> {
  if (run.state.seen.has(companion.id)) return null;
  // A pair is two resources; one resource changes once per attribution window.
  if (targetOf(companion) === targetOf(lead)) {
    run.log.warn({ findingId: lead.finding.id }, 'companion on the same target dropped');
    return null;
  }
  const held = await heldBehind(run.input.stores.proposals, companion);
  if (held !== null) {
    run.log.info({ findingId: lead.finding.id, reason: held.reason }, 'companion held back');
    return null;
  }
  // Stored already (alone, or with another lead): pairing it now would link one side only.
  const existing = await run.input.stores.proposals.get(companion.id);
  return existing === null || existing.pair?.proposalId === lead.id ? companion : null;
}

/**
 * Stores a proposal (and the companion drafted with it, linked as a pair) unless this run or a
 * decided one already has the same patch.
 */
async function store(
  run: Run,
  finding: Finding,
  proposal: Proposal,
  companion: Proposal | null = null,
): Promise<void> {
  const { state } = run;
  if (state.seen.has(proposal.id)) {
    const reason = `Same patch as proposal ${proposal.id}, drafted for another finding in this run.`;
    state.skipped.push({ findingId: finding.id, reason });
    return;
  }
  state.seen.add(proposal.id);
  const held = await heldBehind(run.input.stores.proposals, proposal);
  if (held !== null) {
    state.held.push(held);
    await run.input.stores.heldDrafts.record(held.behind, {
      findingId: held.findingId,
      title: held.title,
      reason: held.reason,
      at: run.now().toISOString(),
    });
    state.skipped.push({ findingId: finding.id, reason: held.reason });
    run.log.info(
      { findingId: finding.id, reason: held.reason },
      'draft held behind another proposal',
    );
    return;
  }
  const reproduced = await withReproduction(run, finding, proposal);
  if (reproduced === null) return;
  const other = companion === null ? null : await pairable(run, reproduced, companion);
  const lead: Proposal =
    other === null ? reproduced : { ...reproduced, pair: { proposalId: other.id, role: 'lead' } };
  const { proposal: stored, created } = await run.input.stores.proposals.create(lead);
  if (!STANDING.includes(stored.status)) {
    const reason = `The same patch was already proposed and is ${stored.status} (proposal ${stored.id}).`;
    state.skipped.push({ findingId: finding.id, reason });
    return;
  }
  state.proposals.push(stored);
  if (created) state.created.push(stored.id);
  if (other === null || stored.pair?.proposalId !== other.id) return;
  // The same evidence backs both halves, so the lead's replay stands for its companion.
  const paired: Proposal = {
    ...other,
    ...(reproduced.reproduction === undefined ? {} : { reproduction: reproduced.reproduction }),
    pair: { proposalId: stored.id, role: 'companion' },
  };
  state.seen.add(paired.id);
  const second = await run.input.stores.proposals.create(paired);
  if (!STANDING.includes(second.proposal.status)) return;
  state.proposals.push(second.proposal);
  if (second.created) state.created.push(second.proposal.id);
}

const rulesOf = (violations: readonly PolicyViolation[]): string =>
  [...new Set(violations.map((v) => v.rule))].join(', ');

/** Drafts, checks and stores the proposal for one finding, recording what happened. */
export async function proposeFor(run: Run, finding: Finding): Promise<void> {
  const { input, state } = run;
  const transcripts = await findingTranscripts(input.stores.snapshots, input.accountId, finding);
  const build = (draft: Draft) =>
    buildProposal({
      accountId: input.accountId,
      finding,
      draft,
      view: run.view,
      transcripts,
      policy: input.policy,
      now: run.now(),
    });

  let claudeBlock: PolicyViolation[] | null = null;
  let fallback: string | null = null;
  if (input.llm !== undefined) {
    const claude = await draftWithClaude(run, finding);
    if (typeof claude === 'string') {
      fallback = claude;
    } else {
      const built = build(claude);
      if (built.ok) {
        return store(run, finding, built.proposal, companionOf(run, finding, claude, build));
      }
      claudeBlock = built.violations;
      fallback = `The policy blocked Claude's draft (${rulesOf(built.violations)})`;
      run.log.warn({ findingId: finding.id, rules: rulesOf(built.violations) }, 'draft blocked');
    }
  }
  const rules = draftByRulesWithReason(finding, run.view);
  if (fallback !== null) state.fallbacks.push({ findingId: finding.id, reason: fallback });
  if (rules.draft === null) {
    if (claudeBlock !== null)
      state.blocked.push({ findingId: finding.id, violations: claudeBlock });
    else state.skipped.push({ findingId: finding.id, reason: rules.reason });
    return;
  }
  const built = build(rules.draft);
  if (!built.ok) {
    state.blocked.push({ findingId: finding.id, violations: built.violations });
    return;
  }
  await store(run, finding, built.proposal, companionOf(run, finding, rules.draft, build));
}

/** The companion drafted alongside `draft`, built as a proposal; null when the policy refuses it. */
function companionOf(
  run: Run,
  finding: Finding,
  draft: Draft,
  build: (draft: Draft) => ReturnType<typeof buildProposal>,
): Proposal | null {
  if (draft.companion === undefined) return null;
  const built = build({ ...draft.companion, drafter: draft.drafter });
  if (built.ok) return built.proposal;
  run.log.warn(
    { findingId: finding.id, rules: rulesOf(built.violations) },
    'companion draft blocked; the proposal goes alone',
  );
  return null;
}
