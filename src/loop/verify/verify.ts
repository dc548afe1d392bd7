import { CHANNELS, type KlaviyoClient } from '../../klaviyo/index.js';
import { judgeReplayWithClaude, type LlmClient } from '../../llm/index.js';
import { silentLogger, type Logger } from '../../logger.js';
import type { SnapshotStore, StoredSnapshot } from '../../store/snapshots.js';
import type { Proposal } from '../../domain/proposal.js';
import { judgeReplay, type Replay, type ReplayEvent } from './replay-judge.js';

/**
 * Verify by replay: right after apply, the evidence conversations' shopper turns are replayed in
 * order through `customer-agent-responses` in `preview` mode (not billed, not stored as a
 * conversation, not in the metrics), each turn carrying the history of the REPLAYED replies, and
 * a judge (rules, or Claude) decides whether the failure is now handled: "fixed k of n".
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

export interface ReplayDetail {
  conversationId: string;
  /** Null when the conversation could not be replayed (no snapshot, no shopper text). */
  handled: boolean | null;
  reason: string;
  /** Shopper turns replayed. */
  turns: number;
  judge: 'rules' | 'claude' | null;
}

export interface VerifyResult {
  /** Replays the judge found handled. */
  fixed: number;
  /** Replays judged (skipped conversations are not counted). */
  total: number;
  details: ReplayDetail[];
}

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
  input: VerifyInput,
  replay: Replay,
): Promise<{ handled: boolean; reason: string }> {
  const { proposal, judge } = input;
  if (judge === 'rules')
    return judgeReplay(proposal.finding.category, replay, { topic: proposal.finding.topic });
  const verdict = await judgeReplayWithClaude(judge.llm, {
    accountId: proposal.accountId,
    runId: judge.runId ?? `verify-${proposal.id}`,
    finding: proposal.finding,
    shopperTurns: replay.shopperTurns,
    agentReply: renderReplies(replay),
    ...(input.signal === undefined ? {} : { signal: input.signal }),
  });
  return { handled: verdict.handled, reason: verdict.reason };
}

/**
 * Replays the proposal's evidence conversations (from the snapshot store, at most
 * `maxConversations`) and judges each. The proposal store cannot yet record `result.replay`
 * without a status change, so the numbers are returned for the caller to record.
 */
export async function verifyProposal(input: VerifyInput): Promise<VerifyResult> {
  const { proposal } = input;
  const log = (input.logger ?? silentLogger).child({ proposalId: proposal.id });
  const ids = [...new Set(proposal.finding.conversationIds)].slice(
    0,
    input.maxConversations ?? DEFAULT_MAX_REPLAYS,
  );
  const details: ReplayDetail[] = [];
  for (const conversationId of ids) {
    input.signal?.throwIfAborted();
    const snapshot = await input.stores.snapshots.get(proposal.accountId, conversationId);
    const turns = snapshot === null ? [] : shopperTurnsOf(snapshot);
    if (snapshot === null || turns.length === 0) {
      const reason =
        snapshot === null ? 'no stored snapshot (expired?)' : 'no shopper text to replay';
      details.push({ conversationId, handled: null, reason, turns: 0, judge: null });
      continue;
    }
    const replay = await replayTurns(input.client, turns, channelOf(snapshot));
    const verdict = await judgeOne(input, replay);
    details.push({
      conversationId,
      ...verdict,
      turns: replay.shopperTurns.length,
      judge: input.judge === 'rules' ? 'rules' : 'claude',
    });
  }
  const judged = details.filter((d) => d.handled !== null);
  const result = { fixed: judged.filter((d) => d.handled).length, total: judged.length, details };
  log.info(
    { fixed: result.fixed, total: result.total, skipped: details.length - judged.length },
    'replay verified',
  );
  return result;
}
