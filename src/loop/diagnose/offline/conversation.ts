import type { Turn } from './evidence.js';
import {
  indexContext,
  routeSkill,
  type IndexedContext,
  type RulesContext,
  type RulesSkill,
} from './matching.js';
import {
  agentHandsOff,
  givesUp,
  resigned,
  isClosing,
  isGreetingOnly,
  isHumanAsk,
  saysNotAnswered,
  toneComplaint,
  withoutInstructions,
} from './signals.js';
import { contentTokens, words } from '../../../domain/text.js';
import type { ConversationSnapshot } from '../../../domain/snapshot.js';

/**
 * One conversation read once: its turns in order, the shopper's question, the skill it routes to
 * and whether it ended with a person. The detectors work from this.
 */
export interface Analysis {
  conversationId: string;
  status: string;
  turns: Turn[];
  /** The first shopper message that asks something (not a greeting, thanks or complaint). */
  question: Turn | null;
  /** Later shopper messages that ask something too. */
  followUps: Turn[];
  /** The live skill the shopper's messages route to, when that is clear. */
  skill: RulesSkill | null;
  /** The conversation went to a person: status `routed-to-team` or the agent said so. */
  routed: boolean;
  /** The agent message that handed off, if one did. */
  handoffTurn: Turn | null;
  /**
   * The last shopper message is a thank-you or goodbye, not a resigned one ("thanks anyway") nor
   * one that gives up.
   */
  endsWithThanks: boolean;
  ctx: IndexedContext;
}

const SHORT_REPLY = new Set(
  (
    'yes yeah yep yup sure please ok okay no nope nah fine alright right correct ' +
    // Portuguese: "sim", "pode sim", "claro", "isso", "não".
    'sim pode claro isso certo quero nao não'
  ).split(' '),
);

/** A short yes/no answer ("Yes please", "nope"). */
export function isShortReply(text: string): boolean {
  const all = words(text);
  return all.length > 0 && all.length <= 4 && all.every((w) => SHORT_REPLY.has(w));
}

const YES_WORDS = new Set('yes yeah yep yup sure please ok okay sim claro pode quero'.split(' '));

/** A short yes ("Yes please", "sure", "pode sim"), not "no" or "não". */
export function isShortYes(text: string): boolean {
  return (
    isShortReply(text) &&
    words(text).some((w) => YES_WORDS.has(w)) &&
    !/\bno|(?<!\p{L})n[aã]o(?!\p{L})/iu.test(text)
  );
}

/** A shopper message that asks about something (rather than reacting to the agent). */
export function asksSomething(text: string): boolean {
  return (
    contentTokens(text).size > 0 &&
    !isGreetingOnly(text) &&
    !isClosing(text) &&
    !isShortReply(text) &&
    !isHumanAsk(text) &&
    toneComplaint(text) === null &&
    !saysNotAnswered(text) &&
    !givesUp(text)
  );
}

/**
 * Where a mail client starts the message replied to: "On Sun, Oct 18, 2026 at 8:21 AM … wrote:"
 * (and its French, German and Spanish forms), "-----Original Message-----", or Outlook's
 * "From: … Sent: …" block.
 */
const QUOTE_HEADER =
  /(?:^|\n|\s)(?:On\s[^\n]{0,200}?\bwrote:|Le\s[^\n]{0,200}?\ba écrit\s?:|Am\s[^\n]{0,200}?\bschrieb\b[^\n]{0,80}:|El\s[^\n]{0,200}?\bescribió:|Em\s[^\n]{0,200}?\bescreveu:|-{3,}\s?Original Message\s?-{3,}|_{8,}\s*From:[^\n]{0,200}?\bSent:)/;

/** An email reply without what it quotes ("> …" lines, the message below a reply header). */
export function withoutQuotedReply(text: string): string {
  const header = QUOTE_HEADER.exec(text);
  const own = header && header.index > 0 ? text.slice(0, header.index) : text;
  return own
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('>'))
    .join('\n');
}

const isTurnRole = (role: string): role is Turn['role'] => role === 'user' || role === 'agent';

/**
 * Messages in time order; ties keep the API's order. A message of a role this client does not
 * know (the API may add one) is neither the shopper's nor the agent's, so it is left out.
 */
export function turnsOf(snapshot: ConversationSnapshot): Turn[] {
  return snapshot.messages
    .map((m, i) => ({ m, i }))
    .sort(
      (a, b) =>
        Date.parse(a.m.attributes.created_at) - Date.parse(b.m.attributes.created_at) || a.i - b.i,
    )
    .flatMap(({ m }) => {
      const { role, content } = m.attributes;
      if (!isTurnRole(role)) return [];
      const clean = role === 'user' ? withoutInstructions(withoutQuotedReply(content)) : content;
      return [{ id: m.id, role, text: content, clean }];
    })
    .map((turn, index) => ({ ...turn, index }));
}

/** Reads a conversation against the agent's configuration. */
export function analyze(snapshot: ConversationSnapshot, context: RulesContext): Analysis {
  const ctx = indexContext(context);
  const turns = turnsOf(snapshot);
  const asking = turns.filter((t) => t.role === 'user' && asksSomething(t.clean));
  const [question = null, ...followUps] = asking;
  const skillId = routeSkill(
    asking.map((t) => t.clean),
    ctx,
  );
  const handoffTurn = turns.find((t) => t.role === 'agent' && agentHandsOff(t.text)) ?? null;
  const status = snapshot.conversation.attributes.status;
  const lastUser = [...turns].reverse().find((t) => t.role === 'user');
  return {
    conversationId: snapshot.conversation.id,
    status,
    turns,
    question,
    followUps,
    skill: ctx.skills.find((s) => s.skill.id === skillId)?.skill ?? null,
    // A conversation the API calls resolved by the AI was not handed off, whatever the text says.
    routed: status === 'routed-to-team' || (status !== 'resolved-by-ai' && handoffTurn !== null),
    handoffTurn,
    // "ok thanks, I'll try another shop" thanks on the way out: no thank-you for the answer.
    endsWithThanks:
      lastUser !== undefined &&
      isClosing(lastUser.text) &&
      !resigned(lastUser.text) &&
      !givesUp(lastUser.text),
    ctx,
  };
}

/** Turns after `turn` (or all, for null), optionally of one role. */
export function after(a: Analysis, turn: Turn | null, role?: Turn['role']): Turn[] {
  const from = turn === null ? 0 : turn.index + 1;
  return a.turns.slice(from).filter((t) => role === undefined || t.role === role);
}

/** The last shopper message before `turn`. */
export function userBefore(a: Analysis, turn: Turn): Turn | null {
  return (
    a.turns
      .slice(0, turn.index)
      .reverse()
      .find((t) => t.role === 'user') ?? null
  );
}

/** The last agent message before `turn`. */
export function agentBefore(a: Analysis, turn: Turn): Turn | null {
  return (
    a.turns
      .slice(0, turn.index)
      .reverse()
      .find((t) => t.role === 'agent') ?? null
  );
}
