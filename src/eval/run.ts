import type { Deps } from '../deps.js';
import type { Diagnosis } from '../domain/diagnosis.js';
import type { Finding } from '../domain/finding.js';
import type { Proposal } from '../domain/proposal.js';
import type { AgentConfigView } from '../patches/agent-config.js';
import { diagnoseStored } from '../loop/diagnose/diagnose-stored.js';
import { ALL_PATCH_KINDS, type PolicyViolation } from '../loop/policy/policy.js';
import { pullIncremental } from '../loop/pull/pull-conversations.js';
import { synthesize } from '../loop/synthesize/synthesize.js';
import type { Scenario } from '../sandbox/index.js';
import { DAY_MS, MINUTE_MS } from '../time.js';
import type { LabelledConversation, PlantedPattern } from './score.js';

/**
 * Runs the loop's judgement on a labelled store: the real pull (through the Klaviyo client, from
 * a sandbox serving the store), the diagnose stage and the synthesis stage with the policy, as the
 * jobs run them — rules offline, Claude when `deps.llm` is set. Nothing is approved or applied.
 */

export interface EvalRunInput {
  deps: Deps;
  accountId: string;
  /** As prepared by `prepareScenario` (every conversation has an id; dates end before `now`). */
  scenario: Scenario;
  runId: string;
  onProgress?: (step: 'pull' | 'diagnose' | 'synthesize', detail: string) => void;
}

export interface EvalRun {
  conversations: LabelledConversation[];
  patterns: PlantedPattern[];
  diagnoses: Diagnosis[];
  findings: Finding[];
  proposals: Proposal[];
  /** The store's configuration the proposals were drafted against. */
  config: AgentConfigView;
  /** Drafts the policy refused. */
  blocked: { findingId: string; violations: PolicyViolation[] }[];
  /** Findings with no proposal, and why. */
  skipped: { findingId: string; reason: string }[];
  /** Diagnoses made by Claude (0 offline). */
  byClaude: number;
  llmUsd: number;
}

/**
 * A stored scenario is fixed in time; the loop reads windows that end now. This copy moves every
 * timestamp by the same amount so the newest message is a minute old (gaps between them kept),
 * and gives each conversation without an id a stable one, so labels can be matched to diagnoses.
 */
export function prepareScenario(scenario: Scenario, now: Date): Scenario {
  const times = scenario.conversations.flatMap((c) => [
    Date.parse(c.created_at),
    ...(c.updated_at ? [Date.parse(c.updated_at)] : []),
    ...c.messages.map((m) => Date.parse(m.created_at)),
  ]);
  const shift = times.length === 0 ? 0 : now.getTime() - MINUTE_MS - Math.max(...times);
  const moved = (iso: string) => new Date(Date.parse(iso) + shift).toISOString();
  return {
    ...scenario,
    conversations: scenario.conversations.map((c, index) => ({
      ...c,
      id: c.id ?? `conversation-${index + 1}`,
      created_at: moved(c.created_at),
      ...(c.updated_at ? { updated_at: moved(c.updated_at) } : {}),
      messages: c.messages.map((m) => ({ ...m, created_at: moved(m.created_at) })),
    })),
  };
}

/** The window that holds every conversation of a prepared scenario. */
export function scenarioWindow(scenario: Scenario, now: Date): { from: Date; to: Date } {
  const first = Math.min(...scenario.conversations.map((c) => Date.parse(c.created_at)));
  const from = Number.isFinite(first) ? first - MINUTE_MS : now.getTime() - DAY_MS;
  return { from: new Date(from), to: now };
}

export async function runEvaluation(input: EvalRunInput): Promise<EvalRun> {
  const { deps, accountId, scenario, runId } = input;
  const now = deps.now();
  const window = scenarioWindow(scenario, now);
  const client = deps.klaviyo(accountId, 'read');

  const changed: { id: string }[] = [];
  await pullIncremental({
    accountId,
    client,
    checkpoints: deps.stores.checkpoints,
    snapshots: deps.stores.snapshots,
    runId,
    since: window.from,
    overlapMinutes: 0,
    now: deps.now,
    handOff: async (versions) => {
      changed.push(...versions);
    },
    onProgress: (p) => input.onProgress?.('pull', `${p.listed} listed, ${p.fetched} fetched`),
  });
  // What the conversations are diagnosed and the drafts written against (nothing is applied),
  // also for scoring which resource each proposal touches.
  const config = await deps.agentConfig(accountId);
  const diagnosed = await diagnoseStored({
    accountId,
    runId,
    conversationIds: changed.map((c) => c.id),
    view: config,
    stores: deps.stores,
    llm: deps.llm
      ? { client: deps.llm, batch: false, successSample: deps.config.llm.successSample }
      : undefined,
    now: deps.now(),
    onProgress: (p) => input.onProgress?.('diagnose', `${p.diagnosed} of ${changed.length}`),
  });

  const synthesized = await synthesize({
    accountId,
    runId,
    client,
    stores: deps.stores,
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    policy: { allowedKinds: ALL_PATCH_KINDS },
    llm: deps.llm ? { client: deps.llm } : undefined,
    // Every finding is drafted: the evaluation asks what each pattern would produce.
    maxProposals: Number.MAX_SAFE_INTEGER,
    now: deps.now,
  });
  input.onProgress?.('synthesize', `${synthesized.findings.length} findings`);

  const stored = await deps.stores.diagnoses.listWindow(accountId, {
    from: window.from.toISOString(),
    to: window.to.toISOString(),
  });
  const spend = await deps.stores.llmSpend.run(accountId, runId);
  return {
    // Open conversations are not diagnosed until they end, so they are not scored either.
    conversations: scenario.conversations
      .filter((c) => c.status !== 'open')
      .map((c) => ({ id: c.id ?? '', labels: c.labels })),
    patterns: scenario.patterns,
    diagnoses: stored.map((s) => s.diagnosis),
    findings: synthesized.findings,
    proposals: synthesized.proposals,
    config,
    blocked: synthesized.blocked,
    skipped: synthesized.skipped,
    byClaude: diagnosed.byDiagnoser.claude,
    llmUsd: spend.total.costUsd,
  };
}
