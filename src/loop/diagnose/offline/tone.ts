import { after, agentBefore, userBefore, withoutQuotedReply } from './conversation.js';
import { spacedWords } from '../../../domain/text.js';
import { isAgent, isUser, type Detector } from './candidate.js';
import type { Turn } from './evidence.js';

import { bodyOf, cheerful, curt, emojiCount, sells } from './register.js';
import { frustrated, inCapitals, shopperState, struggles } from '../../../domain/situations.js';
import { marked, quotesOf } from './evidence.js';
import { isClosing, toneComplaint } from './signals.js';
import { BEHAVIOUR_TOPICS } from '../../../domain/finding.js';
import { TOPICS } from './topic.js';

/* The tone detectors: a complaint about the reply, a register that clashes with the shopper's
 * state, and a curt reply to a shopper who was struggling. */

/** The shopper complained about how the agent answered. */
export const tone: Detector = (a) => {
  const firstReply = a.turns.find(isAgent);
  if (!firstReply) return null;
  const complaints = after(a, firstReply, 'user').flatMap((t) => {
    const level = toneComplaint(t.text);
    return level ? [{ turn: t, level }] : [];
  });
  const complaint = complaints.find((c) => c.level === 'strong') ?? complaints[0];
  if (!complaint) return null;
  const strong = complaint.level === 'strong';
  return {
    category: 'tone',
    confidence: strong ? 0.8 : 0.55,
    topic: TOPICS.tone,
    skillId: a.skill?.id ?? null,
    evidence: quotesOf([
      agentBefore(a, complaint.turn),
      marked(complaint.turn, (t) => toneComplaint(t) !== null),
    ]),
    summary: strong
      ? "The shopper complained about the tone of the agent's reply."
      : "The shopper found the agent's reply too thin or unhelpful.",
  };
};

/**
 * A reply whose register clashes with the shopper's state: cheerful (emoji, exclamation, jokes),
 * selling, or a bare few words ("Yes.") to someone grieving, hurt or distressed; joking or
 * selling to someone angry.
 */
export const toneClash: Detector = (a) => {
  const users = a.turns.filter(isUser);
  // Every message in capitals, none of them annoyed, is how this shopper types, not a raised
  // voice.
  const capitalsHabit =
    users.length >= 2 && users.every((t) => inCapitals(t.text) && !frustrated(t.text));
  for (const turn of users) {
    // An email's signature ("my late mother's motto") is no state of the moment.
    const state = shopperState(bodyOf(withoutQuotedReply(turn.text)), capitalsHabit);
    if (!state) continue;
    const reply = after(a, turn, 'agent')[0];
    if (!reply) continue;
    const selling = sells(reply.text);
    const bright = cheerful(reply.text);
    const bare = state !== 'anger' && curt(reply.text);
    const clash =
      state === 'anger'
        ? selling || (bright && emojiCount(reply.text) > 0 && /!/.test(reply.text))
        : selling || bright || bare;
    if (!clash) continue;
    const reaction = after(a, reply, 'user').find(
      (t) => frustrated(t.text) || toneComplaint(t.text) !== null,
    );
    const how = [
      bright && 'cheerfully',
      selling && 'with a sales pitch',
      bare && 'in a bare few words',
    ]
      .filter(Boolean)
      .join(' and ');
    return {
      category: 'tone',
      // A bare reply is the weaker sign: a yes can be all a worried shopper needed.
      confidence: Math.min(
        0.95,
        (bright || selling ? 0.7 : 0.55) + (reaction ? 0.15 : 0) + (selling && bright ? 0.05 : 0),
      ),
      topic: BEHAVIOUR_TOPICS.upset,
      skillId: a.skill?.id ?? null,
      evidence: quotesOf([turn, reply, reaction]),
      summary: `The shopper was ${state === 'harm' ? 'hurt or frightened' : state === 'grief' ? 'grieving' : state === 'anger' ? 'angry' : 'distressed'} and the agent answered ${how}.`,
    };
  }
  return null;
};

/**
 * A bare, curt reply to a shopper who was struggling (a long message, or one saying they need
 * things explained plainly), who then left unsatisfied or had to ask what it meant. A shopper who
 * said so and got nothing more after the bare reply was left behind too.
 */
export const curtReply: Detector = (a) => {
  const struggled = (t: Turn) =>
    a.turns.some((u) => isUser(u) && u.index < t.index && struggles(u.text));
  const reply = a.turns.find(
    (t) =>
      isAgent(t) && curt(t.text) && ((userBefore(a, t)?.text.length ?? 0) > 60 || struggled(t)),
  );
  if (!reply || a.status === 'resolved-by-ai') return null;
  const reaction = after(a, reply, 'user').find(
    (t) =>
      frustrated(t.text) ||
      toneComplaint(t.text) !== null ||
      (!asksAnythingMore(t.text) && !isClosing(t.text)) ||
      confused(t.text),
  );
  const leftBehind =
    reaction === undefined && struggled(reply) && after(a, reply, 'user').length === 0;
  if (!reaction && !leftBehind) return null;
  return {
    category: 'tone',
    // "I do not know what 'Account' is": the bare reply lost them.
    confidence: reaction && confused(reaction.text) ? 0.65 : 0.55,
    topic: TOPICS.tone,
    skillId: a.skill?.id ?? null,
    evidence: quotesOf([userBefore(a, reply), reply, reaction ?? null]),
    summary: reaction
      ? 'The agent answered a struggling shopper with a bare reply, and the shopper was left confused or left.'
      : 'The shopper asked for plain explanations and the agent ended on a bare reply.',
  };
};

/**
 * A reply the shopper says they could not follow ("I don't understand any of that", "am I right
 * in understanding…", "in plain English please"): written over their head, whatever its length.
 */
export const lostShopper: Detector = (a) => {
  for (const reply of a.turns.filter(isAgent)) {
    const reaction = after(a, reply, 'user')[0];
    const lost = (t: string) => LOST.test(spacedWords(t)) || LOST_PORTUGUESE.test(spacedWords(t));
    if (!reaction || !lost(reaction.text)) continue;
    return {
      category: 'tone',
      confidence: 0.6,
      topic: TOPICS.tone,
      skillId: a.skill?.id ?? null,
      evidence: quotesOf([userBefore(a, reply), reply, reaction]),
      summary: "The shopper said they could not follow the agent's reply.",
    };
  }
  return null;
};

/** What the shopper says of a reply they could not follow (see lostShopper). */
const LOST =
  /\b(?:(?:dont|do not|didnt|did not) (?:understand|follow|get) (?:any|all|much|most|half|a word) of (?:that|this|it|what)|(?:that|this|you) lost me|am i right in (?:understanding|thinking)|(?:if|so) i understand (?:you |that )?(?:correctly|rightly)|in (?:plain|simple|normal|layman s|laymans|everyday) (?:english|terms|words|language)|(?:thats|that is|its|it is|this is) (?:all )?(?:too|very|so|a bit) (?:technical|complicated)|(?:what|whats) (?:does|do|is) (?:all )?(?:that|this) (?:mean|jargon))\b/;

/** The shopper does not follow: "I don't know what a … is", "what does that mean?". */
const CONFUSED =
  /\b(?:(?:dont|do not|didnt|did not) (?:know|understand|get|see) (?:what|how|where|which|it)|confused|confusing|lost me|no idea (?:what|how|where)|what (?:does|do) (?:that|this|it|you) mean|what do you mean|(?:is|does) (?:that|it) mean)\b/;

/**
 * The same in Portuguese: "não entendi nada", "muito complicado", "explica de um jeito mais
 * simples", "como assim?", "o que isso significa?".
 */
const LOST_PORTUGUESE =
  /(?<!\p{L})(?:n[aã]o entendi nada|n[aã]o entendi (?:metade|quase nada)|(?:muito|bem|mt|t[aã]o) (?:complicado|t[eé]cnico|confuso)|(?:em|num) portugu[eê]s (?:claro|simples)|(?:explica|explique) (?:de um jeito |de forma )?(?:mais )?(?:simples|f[aá]cil|melhor))(?!\p{L})/u;
const CONFUSED_PORTUGUESE =
  /(?<!\p{L})(?:n[aã]o (?:entendi|entendo|sei o que|sei como)|como assim|o que (?:isso )?(?:significa|quer dizer)|confus[oa]|fiquei perdid[oa])(?!\p{L})/u;

/** The shopper does not follow, in any language read (see CONFUSED). */
function confused(text: string): boolean {
  const n = spacedWords(text);
  return CONFUSED.test(n) || CONFUSED_PORTUGUESE.test(n);
}

/** A last word that neither asks nor thanks wholeheartedly ("I'll ask my granddaughter"). */
function asksAnythingMore(text: string): boolean {
  return text.includes('?');
}
