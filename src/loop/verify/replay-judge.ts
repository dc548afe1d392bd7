import type { AgentResponseEvent } from '../../klaviyo/index.js';
import type { FailureCategory } from '../../domain/diagnosis.js';
import { contentTokens } from '../../domain/text.js';

/**
 * The rules judge of a replay: after a patch is applied, the evidence conversations' shopper turns
 * are replayed in preview mode (verify.ts), and this decides per failure category whether the
 * agent now handles what went wrong. Plain text rules about the agent's replies and events,
 * written against any agent's wording (not the sandbox's phrases); the Claude judge is the
 * alternative when one is configured.
 */

export type ReplayEvent = AgentResponseEvent;

/** One replayed conversation; the arrays are aligned by turn. */
export interface Replay {
  /** The shopper's turns that were replayed, in order. */
  shopperTurns: readonly string[];
  /** The agent's reply to each turn (its messages joined); '' when it sent none. */
  agentReplies: readonly string[];
  /** The events of each turn. */
  events: readonly (readonly ReplayEvent[])[];
}

export interface ReplayVerdict {
  handled: boolean;
  /** One sentence: what in the replay decided it. */
  reason: string;
}

export interface JudgeContext {
  /** The finding's topic, e.g. "warranty claims": what a reply in the right domain talks about. */
  topic?: string;
}

const LACKS_INFO =
  /\b(?:not sure|no idea|(?:do not|don't|dont) know|(?:do not|don't|dont) have (?:(?:that|this|any|the|those|enough) )?(?:info|information|details)|no information|unable to (?:find|answer|say)|(?:can't|cannot|couldn't|could not) (?:find|answer|say)|not able to (?:find|answer)|find more details|check (?:our|the) (?:website|policies|policy|faq|help center))\b/i;
const PERSON_ASK =
  /\b(?:human|real person|a person|representative|live agent|real agent|someone real|someone on your team|(?:talk|speak|chat) (?:to|with) (?:someone|somebody|a person|an agent|a rep|staff|support|your team|a human))\b/i;
const REFUSES_TRANSFER =
  /\b(?:not able to|unable to|can't|cannot|can not) (?:connect|transfer|put) you\b/i;
const TONE_COMPLAINT =
  /\b(?:rude|curt|blunt|snippy|dismissive|condescending|short with me|attitude)\b/i;

const handoffsOf = (events: readonly ReplayEvent[]) =>
  events.filter((e): e is Extract<ReplayEvent, { type: 'handoff' }> => e.type === 'handoff');

const turnNo = (i: number): string => `turn ${i + 1}`;

function quote(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `"${flat.length > max ? `${flat.slice(0, max - 1)}…` : flat}"`;
}

/** The first failure every category shares: no reply, a reply that lacks the facts, a vague handoff. */
function answerProblem(replay: Replay): string | null {
  if (replay.agentReplies.every((r) => r.trim() === '')) return 'the agent sent no reply';
  for (const [i, reply] of replay.agentReplies.entries()) {
    const lacks = LACKS_INFO.exec(reply);
    if (lacks !== null)
      return `${turnNo(i)}: the reply still says it lacks the facts (${quote(reply)})`;
    const vague = handoffsOf(replay.events[i] ?? []).find((h) => h.category == null);
    const asked = PERSON_ASK.test(replay.shopperTurns[i] ?? '');
    if (vague !== undefined && !asked)
      return `${turnNo(i)}: the agent handed off without an answer`;
  }
  return null;
}

function verdict(handled: boolean, reason: string): ReplayVerdict {
  return { handled, reason };
}

function judgeKnowledgeGap(replay: Replay): ReplayVerdict {
  const problem = answerProblem(replay);
  if (problem !== null) return verdict(false, problem);
  return verdict(true, 'every reply answers without saying it lacks the facts or handing off');
}

function judgeMissedEscalation(replay: Replay): ReplayVerdict {
  const asks = replay.shopperTurns.flatMap((t, i) => (PERSON_ASK.test(t) ? [i] : []));
  for (const i of asks) {
    const handoff = handoffsOf(replay.events[i] ?? [])[0];
    if (handoff !== undefined) {
      return verdict(
        true,
        `${turnNo(i)} asks for a person and the agent hands off (${handoff.mode})`,
      );
    }
    if (REFUSES_TRANSFER.test(replay.agentReplies[i] ?? '')) {
      return verdict(false, `${turnNo(i)} asks for a person and the agent refuses to connect them`);
    }
    return verdict(false, `${turnNo(i)} asks for a person and the agent does not hand off`);
  }
  const any = replay.events.findIndex((events) => handoffsOf(events).length > 0);
  return any >= 0
    ? verdict(true, `the agent hands off at ${turnNo(any)}`)
    : verdict(false, 'the agent never hands off');
}

function judgeUnnecessaryEscalation(replay: Replay): ReplayVerdict {
  for (const [i, events] of replay.events.entries()) {
    const handoff = handoffsOf(events)[0];
    if (handoff !== undefined && !PERSON_ASK.test(replay.shopperTurns[i] ?? '')) {
      return verdict(false, `${turnNo(i)}: the agent still hands off (${handoff.mode}) unasked`);
    }
  }
  const problem = answerProblem(replay);
  if (problem !== null) return verdict(false, problem);
  return verdict(true, 'the agent answers without handing off');
}

function judgeWrongSkill(replay: Replay, context: JudgeContext): ReplayVerdict {
  const problem = answerProblem(replay);
  if (problem !== null) return verdict(false, problem);
  const fromTopic = context.topic !== undefined && context.topic.trim() !== '';
  const wanted = contentTokens(fromTopic ? (context.topic ?? '') : (replay.shopperTurns[0] ?? ''));
  const said = contentTokens(replay.agentReplies.join(' '));
  const shared = [...wanted].filter((w) => said.has(w));
  const enough = fromTopic ? shared.length >= 1 : shared.length >= Math.min(2, wanted.size);
  return enough
    ? verdict(true, `the replies speak to the question (${shared.join(', ')})`)
    : verdict(
        false,
        `no reply speaks to ${fromTopic ? `"${context.topic ?? ''}"` : 'the question'}`,
      );
}

const sentenceCount = (text: string): number =>
  text.split(/[.!?]+(?:\s|$)/).filter((s) => s.trim() !== '').length;

/** The reply before the shopper's first tone complaint (else the first reply) must be full. */
function judgeTone(replay: Replay): ReplayVerdict {
  const problem = answerProblem(replay);
  if (problem !== null) return verdict(false, problem);
  const complaint = replay.shopperTurns.findIndex((t) => TONE_COMPLAINT.test(t));
  const i = complaint > 0 ? complaint - 1 : 0;
  const reply = replay.agentReplies[i] ?? '';
  const words = reply.split(/\s+/).filter(Boolean).length;
  if (sentenceCount(reply) >= 2 && words >= 20) {
    return verdict(true, `${turnNo(i)}: the reply is complete (${words} words)`);
  }
  return verdict(false, `${turnNo(i)}: the reply is still curt (${words} words: ${quote(reply)})`);
}

function judgeToolFailure(replay: Replay): ReplayVerdict {
  const failed = replay.events.findIndex((events) => events.some((e) => e.type === 'error'));
  if (failed >= 0)
    return verdict(false, `${turnNo(failed)}: a tool or the agent still reports an error`);
  const problem = answerProblem(replay);
  return problem === null
    ? verdict(true, 'no errors, and every reply answers')
    : verdict(false, problem);
}

/** Whether the replayed conversation now handles a failure of `category`. */
export function judgeReplay(
  category: FailureCategory,
  replay: Replay,
  context: JudgeContext = {},
): ReplayVerdict {
  if (replay.shopperTurns.length === 0) return verdict(false, 'nothing was replayed');
  switch (category) {
    case 'knowledge_gap':
      return judgeKnowledgeGap(replay);
    case 'missed_escalation':
      return judgeMissedEscalation(replay);
    case 'unnecessary_escalation':
      return judgeUnnecessaryEscalation(replay);
    case 'wrong_skill':
      return judgeWrongSkill(replay, context);
    case 'tone':
      return judgeTone(replay);
    case 'tool_failure':
      return judgeToolFailure(replay);
    case 'instruction_gap':
    case 'other':
      return judgeToolFailure(replay);
  }
}

/**
 * The neutral check of a conversation that went well before a change (no failure to judge it
 * against): no error event, no reply saying it lacks the facts, no handoff the shopper did not
 * ask for.
 */
export function judgeNeutral(replay: Replay): ReplayVerdict {
  if (replay.shopperTurns.length === 0) return verdict(false, 'nothing was replayed');
  const failed = replay.events.findIndex((events) => events.some((e) => e.type === 'error'));
  if (failed >= 0) return verdict(false, `${turnNo(failed)}: the agent reports an error`);
  const unasked = judgeUnnecessaryEscalation(replay);
  return unasked.handled
    ? verdict(true, 'no errors, no unasked handoff, every reply answers')
    : unasked;
}

/** What a replay of a `category` failure must show to pass, in one sentence for people. */
export function describePassing(category: FailureCategory, topic: string): string {
  const about = `"${topic}"`;
  switch (category) {
    case 'knowledge_gap':
      return `Questions about ${about} are answered without saying the facts are missing or handing off.`;
    case 'missed_escalation':
      return `A shopper who asks for a person (${about}) is handed off.`;
    case 'unnecessary_escalation':
      return `Questions about ${about} are answered without a handoff nobody asked for.`;
    case 'wrong_skill':
      return `The replies speak to ${about}.`;
    case 'tone':
      return `Replies about ${about} are complete (two sentences or more), not curt.`;
    case 'tool_failure':
    case 'instruction_gap':
    case 'other':
      return `Conversations about ${about} run without errors, and every reply answers.`;
  }
}
