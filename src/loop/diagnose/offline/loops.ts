import { agentBefore, userBefore } from './conversation.js';
import {
  actedAs,
  askingBefore,
  isUser,
  substantive,
  topicFor,
  type Detector,
} from './candidate.js';

import {
  DETAIL_NAMES,
  givenDetails,
  requestedDetails,
  type Detail,
} from '../../../domain/detail-requests.js';
import { saysRepeated } from '../../../domain/situations.js';
import { quotesOf, type Turn } from './evidence.js';
import { agentAsks, agentLacksInfo } from './signals.js';
import { squash } from '../../../domain/text.js';
import { BEHAVIOUR_TOPICS } from '../../../domain/finding.js';

/* The instruction-gap detectors: asking again for what the shopper gave, and the same reply to
 * different messages. */

/**
 * The agent asked for a detail the shopper had already given, or asked for the same detail again
 * after getting it: the skill's instructions make it go round in circles.
 */
export const reAsk: Detector = (a) => {
  const productWords = a.ctx.productWords;
  const given = new Set<Detail>();
  const repeats: { turn: Turn; detail: Detail }[] = [];
  for (const turn of a.turns) {
    if (isUser(turn)) {
      for (const detail of givenDetails(turn.text, productWords)) given.add(detail);
      continue;
    }
    // "I couldn't find that order, could you check the number?" is a fair second ask.
    if (
      agentLacksInfo(turn.text) ||
      /\b(?:couldnt|could not|cant|cannot|didnt|did not|unable to) (?:find|locate|match)\b/i.test(
        turn.text.replace(/['’]/g, ''),
      )
    )
      continue;
    for (const detail of requestedDetails(turn.text)) {
      if (given.has(detail)) repeats.push({ turn, detail });
    }
  }
  const complaint = a.turns.find((t) => isUser(t) && saysRepeated(t.text)) ?? null;
  const first = repeats[0];
  if (!first && !complaint) return null;
  if (!first) {
    // The shopper says so, though the repeated request was not one of the details read above.
    const asked = complaint ? agentBefore(a, complaint) : null;
    if (!asked || !substantive(asked) || !agentAsks(asked.text)) return null;
  }
  // The fix is the instructions of the skill the agent acted as: one finding per skill.
  const skill = actedAs(a)?.skill ?? a.skill;
  const topic = topicFor(a, a.question);
  const what = first ? DETAIL_NAMES[first.detail] : 'details';
  return {
    category: 'instruction_gap',
    confidence: first && complaint ? 0.85 : first && repeats.length > 1 ? 0.75 : 0.6,
    topic: BEHAVIOUR_TOPICS.reask,
    skillId: skill?.id ?? null,
    evidence: quotesOf([
      a.question,
      first?.turn ?? (complaint ? agentBefore(a, complaint) : null),
      complaint,
    ]),
    summary: `The agent asked again for the ${what} the shopper had already given, about ${topic}.`,
  };
};

/** The agent gave the same substantive reply to different messages: it is stuck in a loop. */
export const instructionGap: Detector = (a) => {
  const seen = new Map<string, Turn>();
  for (const turn of a.turns.filter(substantive)) {
    const key = squash(turn.text).toLowerCase();
    if (key.length < 30) continue;
    const first = seen.get(key);
    if (first) {
      const question = askingBefore(a, first);
      const topic = topicFor(a, question);
      return {
        category: 'instruction_gap',
        confidence: 0.5,
        topic,
        skillId: a.skill?.id ?? null,
        evidence: quotesOf([question, first, userBefore(a, turn)]),
        summary: `The agent repeated the same reply about ${topic} to different messages.`,
      };
    }
    seen.set(key, turn);
  }
  return null;
};
