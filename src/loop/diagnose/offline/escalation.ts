import { after, asksSomething, isShortYes, type Analysis } from './conversation.js';
import {
  actedAs,
  isAgent,
  isUser,
  substantive,
  topicFor,
  type Candidate,
  type Detector,
} from './candidate.js';
import { marked, quotesOf } from './evidence.js';
import {
  bestCoverage,
  COVERS_WELL,
  ruleTriggersIn,
  triggersNamedIn,
  skillForText,
  snippetOnTriggers,
  knownCoverage,
} from './matching.js';
import {
  closestRule,
  matchRule,
  ruleTriggers,
  type RuleMatch,
} from '../../../domain/rule-triggers.js';
import { containsWords, contentTokens, splitSentences, stem, words } from '../../../domain/text.js';
import type { Turn } from './evidence.js';
import {
  agentHandsOff,
  agentLacksInfo,
  agentOffersHandoff,
  agentRefusesHandoff,
  contradictsAnswer,
  disownsHandoff,
  givesUp,
  isHumanAsk,
  isQuestion,
  isSensitive,
  pressesForAnswer,
  reportsOwnProblem,
  resigned,
  saysNotAnswered,
} from './signals.js';
import {
  frustrated,
  needsPerson,
  reportsLostParcel,
  ruleNamesLostParcel,
  ruleNamesSituation,
  saysRepeated,
} from '../../../domain/situations.js';
import { TOPICS } from './topic.js';
import { topicFromTitle } from '../../../domain/finding.js';

/**
 * The escalation detectors: a person asked for and not given, a person given although the
 * knowledge base had the answer, and a handoff with no answer and no reason (a knowledge gap).
 */

/** The shopper asked for a person and the conversation did not go to one. */
export const missedEscalation: Detector = (a) => {
  const asks = a.turns.filter((t) => isUser(t) && isHumanAsk(t.text));
  const [ask] = asks;
  if (!ask) return null;
  const later = after(a, ask);
  if (a.status === 'routed-to-team' || later.some((t) => isAgent(t) && agentHandsOff(t.text))) {
    return null;
  }
  const replies = later.filter(isAgent);
  const refusal = replies.find((t) => agentRefusesHandoff(t.text)) ?? null;
  const offer = replies.find((t) => agentOffersHandoff(t.text)) ?? null;
  let confidence: number;
  let how: string;
  if (refusal) [confidence, how] = [0.9, 'said it could not connect them'];
  else if (offer) {
    // An offer honours the ask, unless the shopper accepted it and nothing happened.
    const accepted = after(a, offer, 'user').find((t) => isShortYes(t.text) || isHumanAsk(t.text));
    if (!accepted || (a.status === 'open' && after(a, accepted, 'agent').length === 0)) return null;
    [confidence, how] = [0.75, 'offered a handoff but never made it'];
  } else if (replies.length > 0) [confidence, how] = [0.8, 'kept answering instead of handing off'];
  else if (a.status === 'open') return null;
  else [confidence, how] = [0.6, 'did not answer or hand off'];
  if (asks.length > 1) confidence = Math.min(0.95, confidence + 0.05);
  const again = asks.length > 1 ? ' more than once' : '';
  // Asked after describing what a rule is about, and not refused (a skill that cannot hand off
  // is its own fix): the rule is what should have handed it off.
  const rule = refusal
    ? null
    : describedRule(
        a.turns.filter((t) => isUser(t) && t.index <= ask.index),
        a,
      );
  return {
    category: 'missed_escalation',
    confidence,
    topic: (rule && topicFromTitle(rule.match.rule.title)) ?? TOPICS.person,
    // A refusal is the answering skill's (its handoff setting), whatever the words route to.
    skillId: (refusal ? actedAs(a)?.skill.id : undefined) ?? a.skill?.id ?? null,
    evidence: quotesOf([
      marked(ask, isHumanAsk),
      refusal ?? offer ?? replies[0],
      marked(asks[1], isHumanAsk),
    ]),
    summary: `The shopper asked for a person${again} and the agent ${how}.`,
  };
};

const NEEDS_PERSON_TOPICS = {
  harm: 'injury and safety reports',
  legal: 'legal threats',
  fraud: 'fraud reports',
} as const;

/** Whether a person took over after `turn`, or the shopper turned down the offer of one. */
function personAfter(a: Analysis, turn: { index: number }): boolean {
  const later = a.turns.slice(turn.index + 1);
  if (later.some((t) => isAgent(t) && agentHandsOff(t.text))) return true;
  const offer = later.find((t) => isAgent(t) && agentOffersHandoff(t.text));
  if (!offer) return false;
  const answer = after(a, offer, 'user')[0];
  // An offer the shopper did not take up still honours the situation; one taken up and not
  // followed through does not.
  return answer === undefined || !isShortYes(answer.text);
}

/**
 * Someone was hurt or endangered, the shopper threatened legal action or reported fraud, and the
 * agent kept answering: common sense (and usually an escalation rule) wants a person.
 */
export const needsPersonIgnored: Detector = (a) => {
  if (a.routed) return null;
  const reports = a.turns.filter((t) => isUser(t) && needsPerson(t.clean) !== null);
  // A later legal threat or fraud report outranks an earlier harm (see needsPerson).
  const turn = reports.find((t) => needsPerson(t.clean) !== 'harm') ?? reports[0];
  if (!turn || personAfter(a, turn)) return null;
  const kind = needsPerson(turn.clean) ?? 'harm';
  const replies = after(a, turn, 'agent');
  if (replies.length === 0 && a.status === 'open') return null;
  const reaction = after(a, turn, 'user').find((t) => frustrated(t.text) || isHumanAsk(t.text));
  const what = { harm: 'someone was hurt or in danger', legal: 'legal action', fraud: 'fraud' }[
    kind
  ];
  return {
    category: 'missed_escalation',
    // A legal threat or fraud not handed on outranks how the agent sounded or what it asked
    // again. Harm words are read less surely (a hospital stay can be the hardship a reply missed).
    confidence: (kind === 'harm' ? 0.8 : 0.9) + (reaction ? 0.05 : 0),
    topic: NEEDS_PERSON_TOPICS[kind],
    skillId: a.skill?.id ?? null,
    evidence: quotesOf([marked(turn, (t) => needsPerson(t) !== null), replies[0], reaction]),
    summary: `The shopper reported ${what} and the agent kept answering instead of handing off to a person.`,
  };
};

/** An enabled escalation rule's trigger came up and no person took over. */
export const ruleNotFollowed: Detector = (a) => {
  if (a.routed) return null;
  const users = a.turns.filter(isUser);
  const rules = a.ctx.rulesByDistinctWords;
  // A rule applies when one sentence states its situation: "scared of avalanches" in one and
  // "is there a course" in the next do not make a course applicant's medical question.
  let turn: Turn | undefined;
  let match: RuleMatch | undefined;
  for (const t of users) {
    match = splitSentences(t.clean)
      .map((sentence) => matchRule(sentence, rules))
      .find((m): m is RuleMatch => m !== null && m.triggers.length > 0);
    if (match) {
      turn = t;
      break;
    }
  }
  if (!turn || !match)
    return sensedRuleNotFollowed(a, users) ?? lostParcelRuleNotFollowed(a, users);
  if (personAfter(a, turn)) return null;
  // "How long is the signing queue?" does not bring a rule for signed rare books into play.
  if (firedInAnotherSense(match, users, a.ctx)) return null;
  return {
    category: 'missed_escalation',
    confidence: 0.7,
    topic: topicFromTitle(match.rule.title) ?? TOPICS.person,
    skillId: a.skill?.id ?? null,
    evidence: quotesOf([turn, after(a, turn, 'agent')[0]]),
    summary: `The escalation rule "${match.rule.title}" applied, but the agent kept answering instead of handing off.`,
  };
};

/**
 * No trigger of a rule was said, but one sentence is about what the rule covers (two of its
 * distinctive words, one from its title: "the IMEI is on the blocked list" for "Stolen or
 * blocklisted devices"), the agent kept answering, and the shopper pushed back on what it said:
 * the rule applied by its sense and its quoted words missed the shopper's.
 */
function sensedRuleNotFollowed(a: Analysis, users: readonly Turn[]): Candidate | null {
  const sensed = describedRule(users, a);
  if (!sensed || personAfter(a, sensed.turn) || a.endsWithThanks) return null;
  // A rule that quotes no words fires on its distinctive words already: nothing was missed.
  if (ruleTriggers(sensed.match.rule).phrases.length === 0) return null;
  const { turn, match } = sensed;
  const reply = after(a, turn, 'agent')[0];
  // Pushing back, or saying it again after the answer ("it IS blocked"), is not taking it.
  const restates = (t: Turn) =>
    [...contentTokens(t.clean)].some(
      (w) => w.length >= 4 && match.triggers.some((tr) => tr.startsWith(w)),
    );
  const reaction = reply && after(a, reply, 'user').find((t) => pushesBack(t.text) || restates(t));
  if (!reaction) return null;
  return {
    category: 'missed_escalation',
    // Read from the rule's sense, not its words: weaker than any signal the shopper gave.
    confidence: frustrated(reaction.text) ? 0.6 : 0.55,
    topic: topicFromTitle(match.rule.title) ?? TOPICS.person,
    skillId: a.skill?.id ?? null,
    evidence: quotesOf([turn, reply, reaction]),
    summary: `The shopper described what the escalation rule "${match.rule.title}" is about, in words it does not quote, and the agent kept answering instead of handing off.`,
  };
}

/**
 * A parcel marked delivered and not received, or lost on the way, told in words a rule for lost
 * parcels does not quote ("consta entregue, não recebi" against "extraviado"), the agent kept
 * answering, and the shopper did not leave content: the rule applied by its situation.
 */
function lostParcelRuleNotFollowed(a: Analysis, users: readonly Turn[]): Candidate | null {
  // Indexed rules are the enabled ones.
  const rule = a.ctx.rules.find((r) => ruleNamesLostParcel(r.rule))?.rule;
  if (!rule || a.endsWithThanks) return null;
  const turn = users.find((t) => reportsLostParcel(t.clean));
  if (!turn || personAfter(a, turn)) return null;
  const reply = after(a, turn, 'agent')[0];
  if (!reply) return null;
  const reaction = after(a, reply, 'user').find((t) => pushesBack(t.text)) ?? null;
  return {
    category: 'missed_escalation',
    // Read from the situation, not the rule's words: weaker than any signal the shopper gave.
    confidence: reaction ? 0.65 : 0.55,
    topic: topicFromTitle(rule.title) ?? TOPICS.person,
    skillId: a.skill?.id ?? null,
    evidence: quotesOf([turn, reply, reaction]),
    summary: `The shopper's parcel was lost or not received, which the escalation rule "${rule.title}" is about, and the agent kept answering instead of handing off.`,
  };
}

/**
 * The first shopper sentence about what a rule covers, by two of its distinctive words, one from
 * its title.
 */
function describedRule(
  users: readonly Turn[],
  a: Analysis,
): { turn: Turn; match: RuleMatch } | null {
  for (const turn of users) {
    const match = splitSentences(turn.clean)
      .map((sentence) => closestRule(sentence, a.ctx.rulesByDistinctWords, true))
      .find((m): m is RuleMatch => m !== null && m.triggers.length >= 2);
    if (match) return { turn, match };
  }
  return null;
}

/** The shopper did not take the answer: annoyed, pressing, contradicting, resigned. */
function pushesBack(text: string): boolean {
  return (
    frustrated(text) ||
    saysNotAnswered(text) ||
    pressesForAnswer(text) ||
    contradictsAnswer(text) ||
    resigned(text) ||
    givesUp(text) ||
    saysRepeated(text)
  );
}

/** The conversation went to a person although the agent could have answered. */
export const unnecessaryEscalation: Detector = (a) => {
  if (!a.routed) return null;
  const handoff = a.handoffTurn ?? a.turns.filter(isAgent).at(-1) ?? null;
  const before = a.turns.slice(0, handoff?.index ?? a.turns.length);
  const users = before.filter(isUser);
  if (
    users.some(
      (t) =>
        isHumanAsk(t.text) ||
        isSensitive(t.text) ||
        needsPerson(t.clean) !== null ||
        reportsOwnProblem(t.text),
    )
  ) {
    return null;
  }
  // An agent that said it did not know, or offered a person who was accepted: a knowledge gap.
  if (before.some((t) => isAgent(t) && (agentLacksInfo(t.text) || agentOffersHandoff(t.text)))) {
    return null;
  }
  const trigger = users.filter((t) => asksSomething(t.clean)).at(-1);
  if (!trigger) return null;
  const coverage = bestCoverage(trigger.clean, a.ctx, { bySentence: true });
  const rule = matchRule(users.map((t) => t.text).join('\n'), a.ctx.rules);
  // The shopper's reaction to the handoff says whether they wanted it: annoyed, or saying there
  // was nothing for a person to do ("I'm not a cafe", "it was a yes/no question").
  const reactions = handoff ? after(a, handoff, 'user') : [];
  const disowned = reactions.find(
    (t) => disownsHandoff(t.text) || (rule !== null && deniesTrigger(t.clean, rule)),
  );
  // Leaving to buy elsewhere rather than wait for the person is the same verdict on the handoff.
  const reaction =
    disowned ?? reactions.find((t) => frustrated(t.text) || givesUp(t.text) || resigned(t.text));
  // A rule for people in danger, legal threats or fraud fired: only the shopper says it was not needed.
  if (rule && !reaction && ruleNamesSituation(rule.rule) !== null) return null;
  const enough = rule && reaction ? COVERS_WELL - 0.2 : COVERS_WELL;
  const covered = coverage !== null && coverage.score >= enough ? coverage.item : null;
  // A rule fired on an information question about what a snippet covers, and the shopper
  // pushed back on the handoff: the snippet had the answer even if the question's other words
  // (products, dates) are not in it.
  const aboutTriggers =
    covered === null && rule && isQuestion(trigger.clean) ? snippetOnTriggers(rule, a.ctx) : null;
  // …or, without push-back, the snippet has the words of the question that the store uses at
  // all (a long email's own story is not what the snippet would need to cover). A snippet titled
  // by the trigger itself ("Rust spots and re-seasoning") is the store's own answer on it: less
  // of the question's words will do, unless the shopper thanked for the handoff.
  const needed =
    aboutTriggers && rule && !a.endsWithThanks && triggersNamedIn(rule, aboutTriggers.title)
      ? COVERS_WELL - 0.2
      : COVERS_WELL;
  const onTriggers =
    aboutTriggers && (reaction || knownCoverage(trigger.clean, aboutTriggers, a.ctx) >= needed)
      ? aboutTriggers
      : null;
  const item = covered ?? onTriggers;
  // No rule's own triggers came up, and the skill does not hand off by itself: the agent read a
  // rule for its sense ("taking up a hem" for alterations). The rule that shares the question's
  // words, or the words of the sentence that hands off ("to our alterations team", not the
  // signature under it), is the one to narrow.
  const sensedRule = (): RuleMatch | null => {
    if (rule !== null || handsOffUnasked(a)) return null;
    const handedTo = handoff ? splitSentences(handoff.clean).filter(agentHandsOff) : [];
    return closestRule(
      [...users.map((t) => t.clean), ...handedTo].join('\n'),
      a.ctx.rulesByDistinctWords,
    );
  };
  if (item === null) {
    const fired = rule ?? (disowned ? sensedRule() : null);
    if (fired && disowned) {
      return {
        category: 'unnecessary_escalation',
        confidence: 0.7,
        topic: topicFromTitle(fired.rule.title) ?? topicFor(a, trigger),
        skillId: null,
        evidence: quotesOf([trigger, marked(handoff, agentHandsOff), disowned]),
        summary: `The escalation rule "${fired.rule.title}" handed off the conversation and the shopper said there was nothing for a person to do.`,
      };
    }
    if (!rule || !isQuestion(trigger.clean) || !firedInAnotherSense(rule, users, a.ctx)) {
      return null;
    }
    return {
      category: 'unnecessary_escalation',
      confidence: reaction ? 0.75 : 0.55,
      topic: topicFromTitle(rule.rule.title) ?? topicFor(a, trigger),
      skillId: null,
      evidence: quotesOf([trigger, marked(handoff, agentHandsOff), reaction]),
      summary: `The escalation rule "${rule.rule.title}" handed off a question on ${rule.triggers.map((t) => `"${t}"`).join(', ')} used in another sense: nothing else the rule is about was mentioned.`,
    };
  }
  const title = item.title;
  let confidence = 0.75;
  let summary = `The agent handed off a question that the snippet "${title}" answers; the shopper did not ask for a person and no escalation rule applies.`;
  const sensed = sensedRule();
  if (sensed) {
    return {
      category: 'unnecessary_escalation',
      confidence,
      topic: topicFromTitle(sensed.rule.title) ?? topicFor(a, trigger),
      skillId: null,
      evidence: quotesOf([trigger, marked(handoff, agentHandsOff), reaction]),
      summary: `The agent handed off a question that the snippet "${title}" answers; no trigger of the escalation rule "${sensed.rule.title}" was said, but the question is about what it covers.`,
    };
  }
  if (rule) {
    // A rule fired on an information question that the knowledge base answers, and nothing in
    // the conversation needed a person: the rule is broader than the store needs.
    if (!isQuestion(trigger.clean) && !reaction) return null;
    confidence = reaction || ruleTriggersIn(rule, item) ? 0.75 : 0.55;
    summary = `The escalation rule "${rule.rule.title}" handed off a question that the snippet "${title}" answers.`;
  }
  return {
    category: 'unnecessary_escalation',
    confidence,
    // One finding per rule that over-fires (its fix), else per snippet that had the answer.
    topic:
      (rule && topicFromTitle(rule.rule.title)) || (topicFromTitle(title) ?? topicFor(a, trigger)),
    // A rule's handoff comes before any skill: the fix is the rule's, not a skill's.
    skillId: rule ? null : (a.skill?.id ?? skillForText(`${title} ${item.content}`, a.ctx)),
    evidence: quotesOf([trigger, marked(handoff, agentHandsOff), reaction]),
    summary,
  };
};

/** A skill that hands off whenever it cannot answer: its own handoff, not a rule's. */
function handsOffUnasked(a: Analysis): boolean {
  return a.skill?.handoff === 'immediate' || a.skill?.handoff === 'all';
}

/** Words that deny the word after them, in the languages shoppers write in. */
const DENIALS: ReadonlySet<string> = new Set(
  [
    ...['not', 'no', 'isnt', 'wasnt', 'arent', 'werent', 'aint', 'never', 'nothing', 'nothings'],
    ...['what', 'which', 'hindi', 'wala', 'walang', 'ano', 'anong', 'pas', 'nicht', 'kein'],
    ...['keine', 'nie', 'não', 'nao', 'non', 'nada', 'ningún', 'ninguna', 'rien', 'aucun'],
  ].map(stem),
);

/**
 * The shopper denies what the fired rule took their words for: one of its quoted triggers with a
 * denial at most two words before it ("my box isn't lost", "hindi po nawala", "what lost box"), or
 * a word of the rule's title denied ("it's a password, not a box").
 */
export function deniesTrigger(text: string, match: RuleMatch): boolean {
  const said = words(text).map(stem);
  const denied = (at: number) => said.slice(Math.max(0, at - 2), at).some((w) => DENIALS.has(w));
  for (const phrase of ruleTriggers(match.rule).phrases) {
    const needle = words(phrase).map(stem);
    if (needle.length === 0) continue;
    for (let at = 0; at + needle.length <= said.length; at++) {
      if (needle.every((w, i) => said[at + i] === w) && denied(at)) return true;
    }
  }
  const title = contentTokens(match.rule.title);
  return said.some(
    (w, at) => title.has(w) && said.slice(Math.max(0, at - 3), at).some((d) => d === 'not'),
  );
}

/** A reference to an order: "#604118", "order number". */
const ORDER_REFERENCE = /#\s?\d{3,}|\border (?:number|no|#)/i;

/**
 * A rule that fired on a quoted word of its own used in another sense: "an oil change" against
 * "Order changes & cancellations". The rule's subject is what its title and description both name
 * besides its triggers and the store's common words ("order"); none of it, and no order
 * reference, is in what the shopper wrote.
 * Rules for people in danger, legal threats or fraud are never read so.
 */
function firedInAnotherSense(
  match: RuleMatch,
  users: readonly Turn[],
  ctx: Analysis['ctx'],
): boolean {
  if (ruleNamesSituation(match.rule) !== null) return false;
  const matched = new Set(match.triggers.flatMap((t) => [...contentTokens(t)]));
  // Only single-word triggers: a quoted phrase of several words carries its own sense.
  if (matched.size !== match.triggers.length) return false;
  // "My mouse feels like a brick": a word used only to compare names no such thing.
  const uncompared = users.map((t) => t.clean.replace(/\b(?:like|as) (?:an? )?[\w-]+/gi, ' '));
  if (!match.triggers.some((p) => uncompared.some((text) => containsWords(text, p)))) return true;
  const triggers = contentTokens(ruleTriggers(match.rule).phrases.join(' '));
  const described = contentTokens(match.rule.description);
  // Words most skills use (the store's product noun) say nothing of the rule's subject.
  const subject = [...contentTokens(match.rule.title)].filter(
    (w) => described.has(w) && !triggers.has(w) && !ctx.commonSkillWords.has(w),
  );
  const said = contentTokens(users.map((t) => t.clean).join('\n'));
  return (
    subject.length > 0 &&
    !subject.some((w) => said.has(w)) &&
    !users.some((t) => ORDER_REFERENCE.test(t.text))
  );
}

/**
 * A handoff with no answer before it, no request for a person, no rule and no snippet that covers
 * the question: the agent handed off because it did not know (a knowledge gap).
 */
export function vagueHandoff(a: Analysis): Candidate | null {
  if (!a.routed || !a.question) return null;
  const handoff = a.handoffTurn;
  const before = a.turns.slice(0, handoff?.index ?? a.turns.length);
  const users = before.filter(isUser);
  // A situation that needs a person is rightly handed on, whatever the knowledge says.
  const rightlyHandedOn = (t: (typeof users)[number]) =>
    isHumanAsk(t.text) ||
    isSensitive(t.text) ||
    reportsOwnProblem(t.text) ||
    needsPerson(t.clean) !== null;
  if (users.some(rightlyHandedOn)) return null;
  if (before.some(substantive)) return null;
  if (matchRule(users.map((t) => t.text).join('\n'), a.ctx.rules)) return null;
  const coverage = bestCoverage(a.question.clean, a.ctx);
  if (coverage && coverage.score >= COVERS_WELL) return null;
  const topic = topicFor(a, a.question);
  return {
    category: 'knowledge_gap',
    confidence: 0.55,
    topic,
    skillId: a.skill?.id ?? null,
    evidence: quotesOf([a.question, marked(handoff, agentHandsOff)]),
    summary: `The agent handed off a question about ${topic} without answering; no escalation rule applies and no snippet covers it.`,
  };
}
