import { after, agentBefore, userBefore } from './conversation.js';
import { spacedWords } from '../../../domain/text.js';
import { isAgent, isUser, type Detector } from './candidate.js';

import { cheerful, curt, emojiCount, sells } from './register.js';
import { frustrated, shopperState } from '../../../domain/situations.js';
import { marked, quotesOf } from './evidence.js';
import { toneComplaint } from './signals.js';
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
 * A reply whose register clashes with the shopper's state: cheerful (emoji, exclamation, jokes)
 * or selling to someone grieving, hurt or distressed; joking or selling to someone angry.
 */
export const toneClash: Detector = (a) => {
  for (const turn of a.turns.filter(isUser)) {
    const state = shopperState(turn.clean);
    if (!state) continue;
    const reply = after(a, turn, 'agent')[0];
    if (!reply) continue;
    const selling = sells(reply.text);
    const bright = cheerful(reply.text);
    const clash =
      state === 'anger'
        ? selling || (bright && emojiCount(reply.text) > 0 && /!/.test(reply.text))
        : selling || bright;
    if (!clash) continue;
    const reaction = after(a, reply, 'user').find(
      (t) => frustrated(t.text) || toneComplaint(t.text) !== null,
    );
    const how = [bright && 'cheerfully', selling && 'with a sales pitch']
      .filter(Boolean)
      .join(' and ');
    return {
      category: 'tone',
      confidence: Math.min(0.95, 0.7 + (reaction ? 0.15 : 0) + (selling && bright ? 0.05 : 0)),
      topic: BEHAVIOUR_TOPICS.upset,
      skillId: a.skill?.id ?? null,
      evidence: quotesOf([turn, reply, reaction]),
      summary: `The shopper was ${state === 'harm' ? 'hurt or frightened' : state === 'grief' ? 'grieving' : state === 'anger' ? 'angry' : 'distressed'} and the agent answered ${how}.`,
    };
  }
  return null;
};

/** A bare, curt reply to a shopper who was struggling, who then left unsatisfied. */
export const curtReply: Detector = (a) => {
  const reply = a.turns.find(
    (t) => isAgent(t) && curt(t.text) && (userBefore(a, t)?.text.length ?? 0) > 60,
  );
  if (!reply) return null;
  const reaction = after(a, reply, 'user').find(
    (t) => frustrated(t.text) || toneComplaint(t.text) !== null || !asksAnythingMore(t.text),
  );
  if (!reaction || a.status === 'resolved-by-ai') return null;
  return {
    category: 'tone',
    // "I do not know what 'Account' is": the bare reply lost them.
    confidence: CONFUSED.test(spacedWords(reaction.text)) ? 0.65 : 0.55,
    topic: TOPICS.tone,
    skillId: a.skill?.id ?? null,
    evidence: quotesOf([userBefore(a, reply), reply, reaction]),
    summary:
      'The agent answered a long, struggling message with a bare instruction, and the shopper left.',
  };
};

const CONFUSED =
  /\b(?:(?:dont|do not|didnt|did not) (?:know|understand|get|see) (?:what|how|where|which|it)|confused|confusing|lost me|no idea (?:what|how|where))\b/;

/** A last word that neither asks nor thanks wholeheartedly ("I'll ask my granddaughter"). */
function asksAnythingMore(text: string): boolean {
  return text.includes('?');
}
