import { CHANNELS, type KlaviyoClient } from '../../klaviyo/index.js';
import { judgeReplayWithClaude, type LlmClient } from '../../llm/index.js';
import { silentLogger, type Logger } from '../../logger.js';
import type { SnapshotStore, StoredSnapshot } from '../../store/snapshots.js';
import type { Finding } from '../../domain/finding.js';
import type { Proposal } from '../../domain/proposal.js';
import type { ReplayDetail, ReplayResult, Reproduction } from '../../domain/replay.js';
import { describeError } from '../../errors.js';
import { judgeReplay, type Replay, type ReplayEvent } from './replay-judge.js';

/**
 * Verify by replay: right after apply, the evidence conversations' shopper turns are replayed in
 * order through `customer-agent-responses` in `preview` mode (not billed, not stored as a
 * conversation, not in the metrics), each turn carrying the history of the REPLAYED replies, and
 * a judge (rules, or Claude) decides whether the failure is now handled. The same replay ran
 * before the proposal was offered (reproduce.ts), so each conversation is compared with its
 * baseline: "fixed" counts only those that failed then and pass now.
 * The later look at the metrics is the impact-check job (its contract and `planImpactCheck` are in
 * src/queue/contracts/impact-check.ts; the comparison is impact.ts).
 */

/** Evidence conversations replayed per proposal, by default. */
export const DEFAULT_MAX_REPLAYS = 10;

export type VerifyJudge = 'rules' | { llm: LlmClient; runId?: string };

export interface VerifyInput {
  proposal: Proposal;
  /** The write key's client: running a turn needs `agents:write`. */
  client: Pick<KlaviyoClient, 'responses'>;
  stores: { snapshots: Pick<SnapshotStore, 'get'> };
  judge: VerifyJudge;
  logger?: Logger;
  /** @defaultValue 10 */
  maxConversations?: number;
  signal?: AbortSignal;
}

/** What replaying a finding's evidence needs, before the change (reproduce.ts) or after it. */
export interface EvidenceReplayInput {
  accountId: string;
  finding: Finding;
  client: Pick<KlaviyoClient, 'responses'>;
  stores: { snapshots: Pick<SnapshotStore, 'get'> };
  judge: VerifyJudge;
  /** The run Claude's judging is counted under, unless the judge names one. */
  runId: string;
  /** @defaultValue 10 */
  maxConversations?: number | undefined;
  /** The conversations to replay, instead of the finding's first `maxConversations`. */
  conversationIds?: readonly string[] | undefined;
  signal?: AbortSignal | undefined;
  /** Asked before each replay: why this one is not replayed (a spent cap), or null to go on. */
  admit?: () => string | null;
  /**
   * Record a replay or judgement that failed as not judged, and go on (reproduction must not
   * block a proposal on the tool's own failure); without it the error is thrown, so verify's job
   * retries.
   */
  keepGoing?: boolean;
}

/** The verify result: against the proposal's baseline when it has one, with every replay. */
export type VerifyResult = ReplayResult & { against: 'baseline' | 'none'; details: ReplayDetail[] };

export type Channel = (typeof CHANNELS)[number];

/** The snapshot's channel when it is one the responses endpoint takes. */
export function channelOf(snapshot: Pick<StoredSnapshot, 'conversation'>): Channel | undefined {
  const channel = snapshot.conversation.attributes['channel'];
  return CHANNELS.find((c) => c === channel);
}

/** The shopper's messages, oldest first, without empty ones. */
export function shopperTurnsOf(snapshot: Pick<StoredSnapshot, 'messages'>): string[] {
  return [...snapshot.messages]
    .sort((a, b) => a.attributes.created_at.localeCompare(b.attributes.created_at))
    .filter((m) => m.attributes.role === 'user' && m.attributes.content.trim() !== '')
    .map((m) => m.attributes.content);
}

/** A hard or silent handoff gives the conversation to a person: the replay stops there. */
const endsWithPerson = (events: readonly ReplayEvent[]): boolean =>
  events.some((e) => e.type === 'handoff' && (e.mode === 'hard' || e.mode === 'silent'));

/**
 * Replays `turns` one by one in preview mode; each request carries the shopper's turns so far
 * and the agent's replayed replies (never the original ones), like a live chat would.
 */
export async function replayTurns(
  client: Pick<KlaviyoClient, 'responses'>,
  turns: readonly string[],
  channel?: Channel,
): Promise<Replay> {
  const replay = {
    shopperTurns: [] as string[],
    agentReplies: [] as string[],
    events: [] as ReplayEvent[][],
  };
  const history: { role: 'user' | 'agent'; content: string }[] = [];
  for (const turn of turns) {
    history.push({ role: 'user', content: turn });
    const response = await client.responses.create({
      mode: 'preview',
      ...(channel === undefined ? {} : { channel }),
      messages: [...history],
    });
    const events = response.attributes.events;
    const replies = events.flatMap((e) =>
      e.type === 'message' && e.content.trim() !== '' ? [e.content] : [],
    );
    for (const content of replies) history.push({ role: 'agent', content });
    replay.shopperTurns.push(turn);
    replay.agentReplies.push(replies.join('\n'));
    replay.events.push(events);
    if (endsWithPerson(events)) break;
  }
  return replay;
}

/** The replay as the Claude judge reads it: each reply, with the handoffs and errors marked. */
function renderReplies(replay: Replay): string {
  return replay.agentReplies
    .map((reply, i) => {
      const marks = (replay.events[i] ?? []).flatMap((e) => {
        if (e.type === 'handoff')
          return [`[handoff: ${e.mode}${e.category ? `, ${e.category}` : ''}]`];
        if (e.type === 'error') return ['[error]'];
        return [];
      });
      return [`[reply to shopper turn ${i + 1}]`, reply || '(no message)', ...marks].join('\n');
    })
    .join('\n\n');
}

async function judgeOne(
  input: EvidenceReplayInput,
  replay: Replay,
): Promise<{ handled: boolean; reason: string }> {
  const { finding, judge } = input;
  if (judge === 'rules') return judgeReplay(finding.category, replay, { topic: finding.topic });
  const verdict = await judgeReplayWithClaude(judge.llm, {
    accountId: input.accountId,
    runId: judge.runId ?? input.runId,
    finding,
    shopperTurns: replay.shopperTurns,
    agentReply: renderReplies(replay),
    ...(input.signal === undefined ? {} : { signal: input.signal }),
  });
  return { handled: verdict.handled, reason: verdict.reason };
}

/** The evidence conversations replayed: the same ones before and after a change. */
function evidenceIds(finding: Finding, max: number | undefined): string[] {
  return [...new Set(finding.conversationIds)].slice(0, max ?? DEFAULT_MAX_REPLAYS);
}

const notReplayed = (conversationId: string, reason: string): ReplayDetail => ({
  conversationId,
  handled: null,
  reason,
  turns: 0,
  judge: null,
});

/** Replays one stored conversation and judges it. */
async function replayOne(
  input: EvidenceReplayInput,
  conversationId: string,
  snapshot: StoredSnapshot,
  turns: readonly string[],
): Promise<ReplayDetail> {
  const replay = await replayTurns(input.client, turns, channelOf(snapshot));
  const verdict = await judgeOne(input, replay);
  return {
    conversationId,
    ...verdict,
    turns: replay.shopperTurns.length,
    judge: input.judge === 'rules' ? 'rules' : 'claude',
  };
}

/**
 * Replays the finding's evidence conversations (from the snapshot store, at most
 * `maxConversations`) and judges each; those that cannot be replayed are kept with the reason.
 */
export async function replayEvidence(input: EvidenceReplayInput): Promise<ReplayDetail[]> {
  const details: ReplayDetail[] = [];
  const ids = input.conversationIds ?? evidenceIds(input.finding, input.maxConversations);
  for (const conversationId of ids) {
    input.signal?.throwIfAborted();
    const snapshot = await input.stores.snapshots.get(input.accountId, conversationId);
    const turns = snapshot === null ? [] : shopperTurnsOf(snapshot);
    if (snapshot === null || turns.length === 0) {
      const reason =
        snapshot === null ? 'no stored snapshot (expired?)' : 'no shopper text to replay';
      details.push(notReplayed(conversationId, reason));
      continue;
    }
    const refused = input.admit?.() ?? null;
    if (refused !== null) {
      details.push(notReplayed(conversationId, refused));
      continue;
    }
    try {
      details.push(await replayOne(input, conversationId, snapshot, turns));
    } catch (error) {
      if (!input.keepGoing || input.signal?.aborted) throw error;
      details.push(
        notReplayed(conversationId, `the replay or its judging failed (${describeError(error)})`),
      );
    }
  }
  return details;
}

type Outcome = NonNullable<ReplayDetail['outcome']>;

function outcomeOf(handled: boolean | null, failedAtBaseline: boolean | null): Outcome {
  if (handled === null) return 'not-replayed';
  if (failedAtBaseline === null) return 'no-baseline';
  if (failedAtBaseline) return handled ? 'fixed' : 'still-failing';
  return handled ? 'still-passing' : 'newly-broken';
}

/**
 * The replays compared with the baseline: fixed = failed then and passes now, newly broken =
 * passed then and fails now. A proposal without a judged baseline (a revert, one stored before
 * reproduction, or one whose reproduction could not be checked) counts as before: every replay
 * judged handled is "fixed", labelled `against: 'none'`.
 */
export function againstBaseline(
  details: readonly ReplayDetail[],
  reproduction: Reproduction | undefined,
): VerifyResult {
  if (reproduction === undefined || reproduction.total === 0) {
    const judged = details.filter((d) => d.handled !== null);
    const fixed = judged.filter((d) => d.handled).length;
    return { against: 'none', fixed, total: judged.length, details: [...details] };
  }
  const baseline = new Map(reproduction.details.map((d) => [d.conversationId, d.failedAtBaseline]));
  const compared = details.map((d) => {
    const failedAtBaseline = baseline.get(d.conversationId) ?? null;
    return { ...d, failedAtBaseline, outcome: outcomeOf(d.handled, failedAtBaseline) };
  });
  const count = (outcome: Outcome) => compared.filter((d) => d.outcome === outcome).length;
  const fixed = count('fixed');
  const stillFailing = count('still-failing');
  return {
    against: 'baseline',
    fixed,
    total: fixed + stillFailing,
    newlyBroken: count('newly-broken'),
    stillFailing,
    baselineMissing: count('no-baseline'),
    details: compared,
  };
}

/** The conversations the baseline judged, or undefined when it judged none. */
function baselineIds(reproduction: Reproduction | undefined): string[] | undefined {
  if (reproduction === undefined || reproduction.total === 0) return undefined;
  return reproduction.details.map((d) => d.conversationId);
}

/**
 * Replays the proposal's evidence conversations against the changed agent and compares each with
 * its baseline. The caller records the result (`result.replay`).
 */
export async function verifyProposal(input: VerifyInput): Promise<VerifyResult> {
  const { proposal } = input;
  const log = (input.logger ?? silentLogger).child({ proposalId: proposal.id });
  const details = await replayEvidence({
    accountId: proposal.accountId,
    finding: proposal.finding,
    client: input.client,
    stores: input.stores,
    judge: input.judge,
    runId: `verify-${proposal.id}`,
    maxConversations: input.maxConversations,
    // The same conversations as the baseline, so each one is compared with itself.
    conversationIds: baselineIds(proposal.reproduction),
    signal: input.signal,
  });
  const result = againstBaseline(details, proposal.reproduction);
  log.info(
    {
      against: result.against,
      fixed: result.fixed,
      total: result.total,
      newlyBroken: result.newlyBroken,
      skipped: details.filter((d) => d.handled === null).length,
    },
    'replay verified',
  );
  return result;
}
