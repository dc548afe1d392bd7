import type { Proposal } from '../../domain/proposal.js';
import type { Regression, RegressionResult } from '../../domain/regression.js';
import { CHANNELS, type KlaviyoClient } from '../../klaviyo/index.js';
import { silentLogger, type Logger } from '../../logger.js';
import type { DiagnosisStore } from '../../store/diagnoses.js';
import type { RegressionCase, RegressionSuiteStore } from '../../store/regression-suite.js';
import type { SnapshotStore } from '../../store/snapshots.js';
import { DAY_MS } from '../../time.js';
import { judgeNeutral, judgeReplay, type Replay, type ReplayVerdict } from './replay-judge.js';
import { draftRevert, RevertRefusedError, type DraftRevertInput } from './revert.js';
import { channelOf, replayTurns, shopperTurnsOf, type Channel } from './verify.js';

/**
 * After every apply: replay the account's regression suite (conversations earlier fixes were
 * verified on) and a sample of recent successful conversations of the touched skill, in preview
 * mode, within a budget of preview turns. A case that passed before (its last result; for a
 * successful conversation, its original success) and fails now is a regression, and a revert of
 * the change is drafted. Judged by the rules (replay-judge.ts): deterministic, and free on every
 * apply.
 */

/** Preview turns (customer-agent-responses calls) one check may spend, by default. */
export const DEFAULT_REGRESSION_BUDGET = 40;
/** Recent successful conversations of the touched skill replayed per check, by default. */
export const DEFAULT_SUCCESS_SAMPLE = 5;
/** How far back successful conversations are sampled from. */
const SUCCESS_LOOKBACK_DAYS = 14;

export interface RegressionCheckInput {
  /** The applied proposal whose change is checked. */
  proposal: Proposal;
  /** The write key's client (running a turn needs `agents:write`), paced by the shared limiter. */
  client: Pick<KlaviyoClient, 'responses'>;
  stores: {
    regressionSuite: Pick<RegressionSuiteStore, 'list' | 'recordResult'>;
    snapshots: Pick<SnapshotStore, 'get'>;
    diagnoses: Pick<DiagnosisStore, 'listWindow'>;
  };
  now: Date;
  /** @defaultValue DEFAULT_REGRESSION_BUDGET (40) */
  budget?: number;
  /** @defaultValue DEFAULT_SUCCESS_SAMPLE (5) */
  successSample?: number;
  /** Drafts the revert when there are regressions; without it, none is drafted. */
  revert?: Omit<DraftRevertInput, 'proposal' | 'reason'>;
  logger?: Logger;
  signal?: AbortSignal;
}

/** One conversation to replay: a suite case or a recent success. */
interface Probe {
  conversationId: string;
  turns: readonly string[];
  channel: Channel | undefined;
  judge: (replay: Replay) => ReplayVerdict;
  /** Passed at its last check (a case), or went well originally (a success). */
  passedBefore: boolean;
  /** Set for a suite case, whose result is recorded. */
  case?: RegressionCase;
}

const asChannel = (value: string | null): Channel | undefined => CHANNELS.find((c) => c === value);

/** The skill the change touches: the patch's own, else the finding's (null: every skill). */
function touchedSkill(proposal: Proposal): string | null {
  const { patch } = proposal;
  return 'skillId' in patch && typeof patch.skillId === 'string'
    ? patch.skillId
    : proposal.finding.skillId;
}

/**
 * The account's cases, least recently checked first (so successive checks rotate through a suite
 * larger than the budget), without the proposal's own (its verify just replayed them) and without
 * those of the proposal it reverts (failing them again is the point).
 */
async function suiteProbes(input: RegressionCheckInput): Promise<Probe[]> {
  const { proposal } = input;
  const cases = await input.stores.regressionSuite.list(proposal.accountId);
  return cases
    .filter((c) => c.fromProposalId !== proposal.id && c.fromProposalId !== proposal.revertOf)
    .sort((a, b) => (a.lastResult?.at ?? '').localeCompare(b.lastResult?.at ?? ''))
    .map((c) => ({
      conversationId: c.conversationId,
      turns: c.shopperTurns,
      channel: asChannel(c.channel),
      judge: (replay) => judgeReplay(c.category, replay, { topic: c.topic }),
      passedBefore: c.lastResult?.passed === true,
      case: c,
    }));
}

/** Recent conversations of the touched skill diagnosed as successes, newest first. */
async function successProbes(input: RegressionCheckInput): Promise<Probe[]> {
  const { proposal, now } = input;
  const sample = input.successSample ?? DEFAULT_SUCCESS_SAMPLE;
  if (sample === 0) return [];
  const skill = touchedSkill(proposal);
  const evidence = new Set(proposal.finding.conversationIds);
  const window = {
    from: new Date(now.getTime() - SUCCESS_LOOKBACK_DAYS * DAY_MS).toISOString(),
    to: now.toISOString(),
  };
  const successes = (await input.stores.diagnoses.listWindow(proposal.accountId, window))
    .filter(
      (d) =>
        d.diagnosis.outcome === 'success' &&
        d.diagnosis.suspicion === undefined &&
        !evidence.has(d.conversationId) &&
        (skill === null || d.diagnosis.skillId === skill),
    )
    .reverse();
  const probes: Probe[] = [];
  for (const d of successes) {
    if (probes.length >= sample) break;
    const snapshot = await input.stores.snapshots.get(proposal.accountId, d.conversationId);
    const turns = snapshot === null ? [] : shopperTurnsOf(snapshot);
    if (snapshot === null || turns.length === 0) continue;
    probes.push({
      conversationId: d.conversationId,
      turns,
      channel: channelOf(snapshot),
      judge: judgeNeutral,
      passedBefore: true,
    });
  }
  return probes;
}

/** Suite cases and successes taken in turn, so neither starves the other of the budget. */
function interleave<T>(a: readonly T[], b: readonly T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    if (i < a.length) out.push(a[i] as T);
    if (i < b.length) out.push(b[i] as T);
  }
  return out;
}

async function draftRevertOf(
  input: RegressionCheckInput,
  regressions: readonly Regression[],
): Promise<Pick<RegressionResult, 'revertProposalId' | 'revertRefused'>> {
  if (input.revert === undefined || regressions.length === 0) return {};
  if (input.proposal.revertOf !== null) {
    // Undoing a revert re-applies what it undid, which may be the cause: a person decides.
    return {
      revertRefused: `This change reverts ${input.proposal.revertOf}; undoing it would re-apply that change, so a person should decide.`,
    };
  }
  try {
    const drafted = await draftRevert({
      ...input.revert,
      proposal: input.proposal,
      reason: `the regression check found ${regressions.length} conversation${regressions.length === 1 ? '' : 's'} that passed before and fail since this change.`,
    });
    return { revertProposalId: drafted.id };
  } catch (error) {
    if (error instanceof RevertRefusedError) return { revertRefused: error.message };
    throw error;
  }
}

/** Replays within the budget, records each case's result and returns the proposal's result. */
export async function checkRegressions(input: RegressionCheckInput): Promise<RegressionResult> {
  const { proposal } = input;
  const log = (input.logger ?? silentLogger).child({ proposalId: proposal.id });
  const at = input.now.toISOString();
  const probes = interleave(await suiteProbes(input), await successProbes(input));
  let remaining = input.budget ?? DEFAULT_REGRESSION_BUDGET;
  let checked = 0;
  let passed = 0;
  let skipped = 0;
  const regressions: Regression[] = [];
  for (const probe of probes) {
    input.signal?.throwIfAborted();
    if (probe.turns.length > remaining) {
      skipped += 1;
      continue;
    }
    const replay = await replayTurns(input.client, probe.turns, probe.channel);
    remaining -= replay.shopperTurns.length;
    const verdict = probe.judge(replay);
    checked += 1;
    if (verdict.handled) passed += 1;
    else if (probe.passedBefore) {
      regressions.push({
        ...(probe.case === undefined ? {} : { caseId: probe.case.id }),
        conversationId: probe.conversationId,
        reason: verdict.reason,
      });
    }
    if (probe.case !== undefined) {
      await input.stores.regressionSuite.recordResult(proposal.accountId, probe.case.id, {
        passed: verdict.handled,
        at,
        reason: verdict.reason,
      });
    }
  }
  log.info(
    { checked, passed, regressions: regressions.length, skipped, turnsLeft: remaining },
    'regression check',
  );
  return { checked, passed, regressions, at, ...(await draftRevertOf(input, regressions)) };
}
