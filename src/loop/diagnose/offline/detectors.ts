import { after, agentBefore, userBefore, type Analysis } from './conversation.js';
import {
  askingBefore,
  isAgent,
  isUser,
  substantive,
  topicFor,
  type Candidate,
  type Detector,
} from './candidate.js';
import { missedEscalation, unnecessaryEscalation, vagueHandoff } from './escalation.js';
import { marked, quotesOf, type Turn } from './evidence.js';
import { bestCoverage, clearBest, COVERS_WELL, skillScores } from './matching.js';
import {
  agentLacksInfo,
  agentReportsError,
  givesUp,
  saysNotAnswered,
  toneComplaint,
} from './signals.js';
import { squash } from '../../../domain/text.js';
import { topicFromTitle, TOPICS } from './topic.js';

export type { Candidate } from './candidate.js';

/*
 * The remaining failure detectors (the escalation ones live in escalation.ts), and the list of all
 * of them in priority order.
 */

/** The agent reported an error or outage. */
const toolFailure: Detector = (a) => {
  const error = a.turns.find((t) => isAgent(t) && agentReportsError(t.text));
  if (!error) return null;
  const question = askingBefore(a, error);
  const topic = topicFor(a, question);
  return {
    category: 'tool_failure',
    confidence: 0.75,
    topic,
    skillId: a.skill?.id ?? null,
    evidence: quotesOf([question, marked(error, agentReportsError)]),
    summary: `The agent reported an error or an unavailable system while handling ${topic}.`,
  };
};

/** The shopper's messages fit one skill, the agent's replies only another. */
const wrongSkill: Detector = (a) => {
  if (!a.skill || a.endsWithThanks) return null;
  const expected = a.skill;
  const complaint =
    a.turns.find((t) => isUser(t) && (saysNotAnswered(t.text) || givesUp(t.text))) ?? null;
  const replies = a.turns
    .slice(0, complaint?.index ?? a.turns.length)
    .filter((t) => substantive(t));
  if (replies.length === 0) return null;
  const perReply = replies.map((t) => skillScores([t.text], a.ctx));
  if (perReply.some((scores) => (scores.get(expected.id) ?? 0) > 0)) return null;
  const otherId = clearBest(
    skillScores(
      replies.map((t) => t.text),
      a.ctx,
    ),
    2,
  );
  const other = a.ctx.skills.find((s) => s.skill.id === otherId)?.skill;
  if (!other || other.id === expected.id) return null;
  const reply = replies.find((_, i) => (perReply[i]?.get(other.id) ?? 0) > 0) ?? null;
  const topic = topicFor(a, a.question);
  return {
    category: 'wrong_skill',
    confidence: complaint ? 0.8 : 0.45,
    topic,
    skillId: expected.id,
    evidence: quotesOf([
      a.question,
      reply,
      marked(complaint, (t) => saysNotAnswered(t) || givesUp(t)),
    ]),
    summary: `The shopper asked about ${topic}, which fits "${expected.name}", but the agent answered as "${other.name}".`,
  };
};

/** The agent did not have the information (said so, or handed off without answering). */
const knowledgeGap: Detector = (a) => {
  // Declining a message that only tried to instruct the agent is right, not a gap.
  const gap = a.turns.find(
    (t) => isAgent(t) && agentLacksInfo(t.text) && userBefore(a, t)?.clean !== '',
  );
  if (gap) return saidItLacks(a, gap);
  const complaint = a.turns.find((t) => isUser(t) && saysNotAnswered(t.text));
  const answer = complaint ? agentBefore(a, complaint) : null;
  if (complaint && answer && substantive(answer)) {
    // It answered, but not the question: the snippet it had lacks the detail asked for.
    const question = askingBefore(a, answer);
    const coverage = question ? bestCoverage(question.clean, a.ctx) : null;
    const title = coverage && coverage.score >= 0.5 ? topicFromTitle(coverage.item.title) : null;
    return {
      category: 'knowledge_gap',
      confidence: 0.5,
      topic: title ?? topicFor(a, question),
      skillId: a.skill?.id ?? null,
      evidence: quotesOf([question, answer, marked(complaint, saysNotAnswered)]),
      summary:
        'The shopper said the answer missed their question; the knowledge may lack the detail.',
    };
  }
  return vagueHandoff(a);
};

function saidItLacks(a: Analysis, gap: Turn): Candidate {
  const question = askingBefore(a, gap);
  const coverage = question ? bestCoverage(question.clean, a.ctx) : null;
  const more = after(a, gap).some(
    (t) => (isAgent(t) && agentLacksInfo(t.text)) || (isUser(t) && givesUp(t.text)),
  );
  const base = {
    category: 'knowledge_gap' as const,
    skillId: a.skill?.id ?? null,
    evidence: quotesOf([question, marked(gap, agentLacksInfo)]),
  };
  const title = coverage && coverage.score >= COVERS_WELL && topicFromTitle(coverage.item.title);
  if (coverage && title) {
    return {
      ...base,
      confidence: 0.5,
      topic: title,
      summary: `The agent said it lacked information that the snippet "${coverage.item.title}" seems to cover.`,
    };
  }
  const topic = topicFor(a, question);
  return {
    ...base,
    confidence: more ? 0.85 : 0.8,
    topic,
    summary: `The agent did not have the information about ${topic}, and no knowledge snippet covers it.`,
  };
}

/** The shopper complained about how the agent answered. */
const tone: Detector = (a) => {
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

/** The agent gave the same substantive reply to different messages: it is stuck in a loop. */
const instructionGap: Detector = (a) => {
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

/** The shopper gave up and nothing above explains why. */
const other: Detector = (a) => {
  const gaveUp = a.turns.find((t) => isUser(t) && givesUp(t.text));
  if (!gaveUp || a.endsWithThanks) return null;
  return {
    category: 'other',
    confidence: 0.45,
    topic: topicFor(a, a.question),
    skillId: a.skill?.id ?? null,
    evidence: quotesOf([a.question, agentBefore(a, gaveUp), marked(gaveUp, givesUp)]),
    summary: 'The shopper gave up without a clear cause in the transcript.',
  };
};

/** In priority order: when several fire, the first confident one names the failure. */
export const DETECTORS: readonly Detector[] = [
  missedEscalation,
  toolFailure,
  wrongSkill,
  unnecessaryEscalation,
  knowledgeGap,
  tone,
  instructionGap,
  other,
];
