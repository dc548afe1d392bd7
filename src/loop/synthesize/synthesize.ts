import { ZERO_USAGE, type BudgetGuard, type LlmClient, type LlmUsage } from '../../llm/index.js';
import { silentLogger, type Logger } from '../../logger.js';
import type { Stores } from '../../store/index.js';
import {
  readAgentConfig,
  type AgentConfigReader,
  type AgentConfigView,
} from '../../patches/agent-config.js';
import type { Finding } from '../../domain/finding.js';
import type { Reproduction } from '../../domain/replay.js';
import { SKILL_VALUES_REPORT_KIND, VALUES_REPORT_KIND } from '../../domain/reports.js';
import { groupFindings, titleTopics } from './findings.js';
import { contentTokens } from '../../domain/text.js';
import { metricsFromReports, type WindowMetrics } from './window-metrics.js';
import type { PolicyViolation } from '../policy/policy.js';
import type { ProposalPolicy } from './build-proposal.js';
import type { Proposal } from '../../domain/proposal.js';
import type { HeldDraft } from './held-behind.js';
import {
  DEFAULT_REJECTION_MEMORY,
  recentRejections,
  stillRejected,
  type RejectionMemory,
} from './rejections.js';
import { proposeFor, STANDING, type Run, type RunState } from './propose.js';

/**
 * The synthesis stage of the loop: the window's diagnoses become ranked findings, the top ones
 * get a drafted patch (Claude when configured, else — or when Claude fails or is blocked — the
 * rules), and each draft that passes the policy is stored as a pending proposal. Re-running a
 * window stores nothing new: findings and rules drafts are deterministic, proposal ids come from
 * patch and baseline, and a finding that already has an open proposal is not drafted again.
 */

export interface SynthesizeLlm {
  client: LlmClient;
  /** Checked before each draft call; once spent, the rest of the run uses the rules. */
  budget?: BudgetGuard | undefined;
}

export interface SynthesizeInput {
  accountId: string;
  runId: string;
  /** A read-only Klaviyo client is enough. */
  client: AgentConfigReader;
  stores: Pick<
    Stores,
    'diagnoses' | 'reports' | 'proposals' | 'snapshots' | 'heldDrafts' | 'findings' | 'checkpoints'
  >;
  /** Conversations created in `[from, to)` (ISO). */
  window: { from: string; to: string };
  policy: ProposalPolicy;
  /** Without it the rules drafter runs alone, so the loop works offline. */
  llm?: SynthesizeLlm | undefined;
  /**
   * Replays a finding's evidence against the live configuration before its new proposal is
   * stored (the verify stage's reproducer, which the job passes in). Without it proposals carry
   * no reproduction.
   */
  reproduce?: ((finding: Finding) => Promise<Reproduction>) | undefined;
  /** Proposals (new or standing) per run. @defaultValue 5 */
  maxProposals?: number | undefined;
  /** Conversations a finding needs. @defaultValue 2 */
  minCount?: number | undefined;
  /** How long a rejection holds a finding back. @defaultValue DEFAULT_REJECTION_MEMORY */
  rejections?: RejectionMemory | undefined;
  logger?: Logger | undefined;
  /** @defaultValue () => new Date() */
  now?: (() => Date) | undefined;
  signal?: AbortSignal | undefined;
}

export interface SynthesizeResult {
  /** Every finding of the window, ranked (including those not drafted). */
  findings: Finding[];
  /**
   * Proposals for this run's findings: created now, or standing from an earlier run; a pair's
   * companion follows its lead (and the run's limit counts the pair once).
   */
  proposals: Proposal[];
  /** Ids of the proposals this run created. */
  created: string[];
  /** Findings whose draft the policy refused. */
  blocked: { findingId: string; violations: PolicyViolation[] }[];
  /** Findings with no proposal, and why. */
  skipped: { findingId: string; reason: string }[];
  /** Drafts held behind an undecided proposal on the same field (also among `skipped`). */
  held: HeldDraft[];
  /**
   * Findings not proposed because no replay against the live configuration failed (also among
   * `skipped`); kept in the findings record for a person to see.
   */
  unreproduced: UnreproducedFinding[];
  /**
   * Findings held back by a recent rejection of the same finding or topic (also among `skipped`):
   * quiet until the rejection memory ends or their volume grows.
   */
  rejected: { findingId: string; reason: string }[];
  /** Findings whose Claude draft failed or was blocked, so the rules drafted instead. */
  fallbacks: { findingId: string; reason: string }[];
  /** Claude's tokens and cost, when `llm` was given. */
  usage?: LlmUsage;
}

export interface UnreproducedFinding {
  findingId: string;
  reproduction: Reproduction;
}

/** The window metrics from the latest report points; none stored gives nulls. */
async function readMetrics(input: SynthesizeInput, view: AgentConfigView): Promise<WindowMetrics> {
  const { reports } = input.stores;
  const [values, skillValues] = await Promise.all([
    reports.latest(input.accountId, VALUES_REPORT_KIND),
    reports.latest(input.accountId, SKILL_VALUES_REPORT_KIND),
  ]);
  const skills = view.skills.map((s) => ({ id: s.id, names: [s.name, s.displayName] }));
  return metricsFromReports(values?.data, skillValues?.data, skills);
}

/**
 * Standing proposals by finding id. An applied one counts only if it was applied after the
 * window began: its fix postdates (some of) these failures, and verify measures it.
 */
async function standingByFinding(input: SynthesizeInput): Promise<Map<string, Proposal>> {
  const list = await input.stores.proposals.list({
    accountId: input.accountId,
    status: STANDING,
    limit: 5000,
  });
  const byFinding = new Map<string, Proposal>();
  for (const proposal of [...list].reverse()) {
    // A companion shares its lead's finding and stands with it (see `withStanding`).
    if (proposal.pair?.role === 'companion') continue;
    const appliedAt = proposal.result.appliedAt ?? proposal.updatedAt;
    if (proposal.status === 'applied' && Date.parse(appliedAt) < Date.parse(input.window.from)) {
      continue;
    }
    byFinding.set(proposal.finding.id, proposal); // newest last, so newest wins
  }
  return byFinding;
}

/** Adds a standing proposal to the run's, with its standing companion when it has one. */
async function withStanding(
  input: SynthesizeInput,
  state: RunState,
  proposal: Proposal,
): Promise<void> {
  state.seen.add(proposal.id);
  state.proposals.push(proposal);
  if (proposal.pair?.role !== 'lead') return;
  const companion = await input.stores.proposals.get(proposal.pair.proposalId);
  if (companion === null || !STANDING.includes(companion.status)) return;
  state.seen.add(companion.id);
  state.proposals.push(companion);
}

/** Every word the configuration uses: what its skills, knowledge and rules already name. */
function configVocabulary(view: AgentConfigView): Set<string> {
  const texts = [
    ...view.skills.flatMap((s) => [s.name.replace(/_/g, ' '), s.displayName, s.description]),
    ...view.knowledge.flatMap((k) => [k.title ?? '', k.url ?? '', k.content ?? '']),
    ...view.agent.escalationRules.flatMap((r) => [r.title, r.description]),
  ];
  return contentTokens(texts.join('\n'));
}

/** Each snippet's title as the topics that name it (as the knowledge drafter finds it again). */
function snippetTopics(view: AgentConfigView): Set<string> {
  return new Set(
    view.knowledge.flatMap((k) =>
      k.sourceType === 'snippet' && k.title !== null ? titleTopics(k.title) : [],
    ),
  );
}

/** Replaces the account's latest findings (what the API and the pages read). */
async function keepLatest(
  input: SynthesizeInput,
  findings: Finding[],
  unreproduced: UnreproducedFinding[],
  at: Date,
): Promise<void> {
  await input.stores.findings.replace(input.accountId, {
    runId: input.runId,
    at: at.toISOString(),
    window: input.window,
    findings,
    unreproduced,
  });
}

/** Runs synthesis for one account and window. */
export async function synthesize(input: SynthesizeInput): Promise<SynthesizeResult> {
  const now = input.now ?? (() => new Date());
  const log = (input.logger ?? silentLogger).child({
    stage: 'synthesize',
    accountId: input.accountId,
    runId: input.runId,
  });
  const state: RunState = {
    proposals: [],
    created: [],
    blocked: [],
    skipped: [],
    held: [],
    unreproduced: [],
    rejected: [],
    fallbacks: [],
    usage: ZERO_USAGE,
    claudeOff: null,
    seen: new Set(),
  };
  const finish = (findings: Finding[]): SynthesizeResult => {
    const { proposals, created, blocked, skipped, held, unreproduced, rejected, fallbacks } = state;
    const lists = { proposals, created, blocked, skipped, held, unreproduced, rejected, fallbacks };
    return input.llm === undefined
      ? { findings, ...lists }
      : { findings, ...lists, usage: state.usage };
  };

  const stored = await input.stores.diagnoses.listWindow(input.accountId, input.window);
  if (stored.length === 0) {
    log.info({ diagnoses: 0 }, 'nothing diagnosed in the window');
    await keepLatest(input, [], [], now());
    return finish([]);
  }
  const view = await readAgentConfig(input.client, { now });
  const findings = groupFindings({
    accountId: input.accountId,
    diagnoses: stored.map((d) => d.diagnosis),
    windowConversations: stored.length,
    pendingConversations: (await input.stores.checkpoints.get(input.accountId))?.pending,
    metrics: await readMetrics(input, view),
    minCount: input.minCount,
    vocabulary: configVocabulary(view),
    snippetTopics: snippetTopics(view),
  });
  const standing = await standingByFinding(input);
  const memory = input.rejections ?? DEFAULT_REJECTION_MEMORY;
  const rejections = await recentRejections(input.stores.proposals, input.accountId, now(), memory);
  const run: Run = { input, view, log, now, state, rejections };
  const maxProposals = input.maxProposals ?? 5;

  for (const finding of findings) {
    input.signal?.throwIfAborted();
    if (state.proposals.filter((p) => p.pair?.role !== 'companion').length >= maxProposals) {
      const reason = `Over this run's limit of ${maxProposals} proposals; ranked lower.`;
      state.skipped.push({ findingId: finding.id, reason });
      continue;
    }
    const existing = standing.get(finding.id);
    if (existing !== undefined && !state.seen.has(existing.id)) {
      await withStanding(input, state, existing);
      continue;
    }
    const rejected = stillRejected(finding, rejections, memory);
    if (rejected !== null) {
      state.skipped.push({ findingId: finding.id, reason: rejected });
      state.rejected.push({ findingId: finding.id, reason: rejected });
      continue;
    }
    await proposeFor(run, finding);
  }

  const result = finish(findings);
  await keepLatest(input, findings, state.unreproduced, now());
  log.info(
    {
      diagnoses: stored.length,
      findings: findings.length,
      proposals: result.proposals.length,
      created: result.created.length,
      blocked: result.blocked.length,
      skipped: result.skipped.length,
      unreproduced: result.unreproduced.length,
      fallbacks: result.fallbacks.length,
      ...(result.usage === undefined ? {} : { llmCalls: result.usage.calls }),
    },
    'synthesized',
  );
  return result;
}
