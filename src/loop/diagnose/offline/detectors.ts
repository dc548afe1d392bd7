import {
  after,
  agentBefore,
  userBefore,
  withoutQuotedReply,
  type Analysis,
} from './conversation.js';
import {
  askingBefore,
  isAgent,
  isUser,
  substantive,
  topicFor,
  actedAs,
  framedBy,
  skillsWithTools,
  toolOwner,
  type Candidate,
  type Detector,
} from './candidate.js';
import {
  missedEscalation,
  needsPersonIgnored,
  ruleNotFollowed,
  unnecessaryEscalation,
  vagueHandoff,
} from './escalation.js';
import { frustrated, saysRepeated } from '../../../domain/situations.js';
import { marked, quotesOf, type Turn } from './evidence.js';
import { heldAgainst } from './values.js';
import {
  askingSentences,
  bestCoverage,
  drawnFrom,
  clearBest,
  COVERS_WELL,
  skillForText,
  skillScores,
} from './matching.js';
import {
  admittedSubject,
  agentLacksInfo,
  agentReportsError,
  repeatsBrokenData,
  beyondTheStore,
  contradictsAnswer,
  ownsConfusion,
  reportsBrokenDeliverable,
  givesUp,
  isClosing,
  pressesForAnswer,
  refersElsewhere,
  resigned,
  saysNotAnswered,
  standsOnSource,
  statesScopeLimit,
} from './signals.js';
import {
  contentTokens,
  overlap,
  spacedWords,
  splitSentences,
  wholeWords,
  words,
} from '../../../domain/text.js';
import { BEHAVIOUR_TOPICS, topicFromTitle } from '../../../domain/finding.js';
import { keywordTopic, subjectTopic } from './topic.js';
import { givenDetails, requestedDetails } from '../../../domain/detail-requests.js';

export type { Candidate } from './candidate.js';
import { curtReply, lostShopper, tone, toneClash } from './tone.js';
import { bodyOf } from './register.js';
import {
  actedWithoutConfirming,
  answeredBeforeAsking,
  instructionGap,
  reAsk,
  putsOffRequest,
  repeatsAdvice,
  toldTooLate,
  heldUpOrderLeftOpen,
} from './loops.js';

/*
 * The remaining failure detectors (the escalation ones live in escalation.ts), and the list of all
 * of them in priority order.
 */

/** A link as agents write them: with a scheme, "www.", or a shop domain and a path. */
const LINK =
  /https?:\/\/|\bwww\.|\b[\w-]+\.(?:com|mx|fr|es|be|ca|au|nz|uk|de|co|net|org|shop|store|io)(?:\.[a-z]{2})?\/\w/i;

/** The agent reported an error or outage. */
const toolFailure: Detector = (a) => {
  // Or what it handed over was broken: the shopper says the link gave a 404 or a test document.
  const broken = a.turns.find(
    (t) =>
      isUser(t) &&
      reportsBrokenDeliverable(withoutQuotedReply(t.text)) &&
      LINK.test(agentBefore(a, t)?.text ?? ''),
  );
  const error =
    a.turns.find((t) => isAgent(t) && agentReportsError(t.text)) ??
    (broken ? agentBefore(a, broken) : null);
  if (!error) return null;
  const question = askingBefore(a, error);
  const topic = topicFor(a, question);
  return {
    category: 'tool_failure',
    // Garbage repeated from a tool outweighs the words around it (a hedge, a question back).
    confidence: repeatsBrokenData(error.text) ? 0.85 : 0.75,
    // One finding per failing lookup: the skill that uses the tool, not the shopper's subject.
    topic: BEHAVIOUR_TOPICS.toolErrors,
    skillId: toolOwner(a)?.id ?? null,
    evidence: quotesOf([question, marked(error, agentReportsError)]),
    summary: `The agent reported an error or an unavailable system while handling ${topic}.`,
  };
};

/**
 * The conversation went to the wrong skill: the shopper's messages fit one skill while the agent's
 * replies fit only another, or the shopper rejected what the agent treated the conversation as
 * ("I don't want to return it") and another live skill fits their messages better.
 */
const wrongSkill: Detector = (a) => {
  // Thanks at the end may close a conversation the agent got right after all; a rejection it
  // never acted on (rejectedFrame checks) is not undone by a polite goodbye.
  const found = [
    a.endsWithThanks ? null : answeredAsOther(a),
    rejectedFrame(a),
    lookupBeforeOrdering(a),
  ].filter((c) => c !== null);
  return found.sort((x, y) => y.confidence - x.confidence)[0] ?? null;
};

/** The shopper has not ordered: "if I order today…", "I did not buy yet", "there's no order number yet". */
const NOT_ORDERED =
  /\b(?:i|we) (?:havent|have not|did not|didnt|dont|do not) (?:ordered|order|bought|buy|purchased|placed)(?: (?:it|one|anything|yet))?\b|\b(?:there is|theres|i have|ive got|i got|i dont have an?|i do not have an?) no order(?: number)?\b|\bno order (?:number )?yet\b|\b(?:before|if|when) (?:i|we) (?:order|buy|place an order|join)\b|\bnot (?:ordered|bought) (?:it |one )?yet\b/;

/**
 * A question asked before ordering, answered with a request for the order number: the order-lookup
 * skill took what another skill (shipping windows, timelines) answers. Stronger when the shopper
 * has to say there is no order.
 */
function lookupBeforeOrdering(a: Analysis): Candidate | null {
  const lookup = a.turns.find((t) => isAgent(t) && requestedDetails(t.text).has('order')) ?? null;
  if (!lookup) return null;
  const toldBefore = a.turns.find(
    (t) => isUser(t) && t.index < lookup.index && NOT_ORDERED.test(spacedWords(t.clean)),
  );
  const toldAfter = a.turns.find(
    (t) => isUser(t) && t.index > lookup.index && NOT_ORDERED.test(spacedWords(t.clean)),
  );
  const said = toldAfter ?? toldBefore;
  if (!said) return null;
  const took = frameBefore(a, said) ?? actedAs(a);
  const betterId = otherSkillAsked(a, took?.skill.id ?? null);
  const better = a.ctx.skills.find((s) => s.skill.id === betterId)?.skill ?? null;
  const topic = topicFor(a, a.question);
  return {
    category: 'wrong_skill',
    confidence: toldAfter ? 0.7 : 0.6,
    topic: better ? (topicFromTitle(better.name) ?? topic) : BEHAVIOUR_TOPICS.outsideSkill,
    skillId: better?.id ?? took?.skill.id ?? null,
    ...(better && took ? { tookSkillId: took.skill.id } : {}),
    evidence: quotesOf([a.question, lookup, toldAfter ?? null]),
    summary: `The shopper asked about ${topic} before ordering and the agent asked for an order number${took ? `, as "${took.skill.name}"` : ''}${better ? `; "${better.name}" fits the question` : ''}.`,
  };
}

function answeredAsOther(a: Analysis): Candidate | null {
  if (!a.skill) return null;
  const expected = a.skill;
  const complaint =
    a.turns.find(
      (t) => isUser(t) && (saysNotAnswered(t.text) || givesUp(t.text) || frustrated(t.text)),
    ) ?? null;
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
  // From a skill the question also fits, a reply that takes up what was asked was a fair choice:
  // it may lack the answer, which is the knowledge's gap, not the route's.
  const alsoFits = a.question && (skillScores([a.question.clean], a.ctx).get(other.id) ?? 0) > 0;
  if (alsoFits && engagesQuestion(a, replies)) return null;
  const reply = replies.find((_, i) => (perReply[i]?.get(other.id) ?? 0) > 0) ?? null;
  const topic = topicFor(a, a.question);
  return {
    category: 'wrong_skill',
    // Without a complaint, a conversation the API does not call resolved is the weaker sign.
    confidence: complaint ? 0.8 : a.status === 'resolved-by-ai' ? 0.45 : 0.55,
    // One finding per skill that misses its conversations: its description is the fix.
    topic: topicFromTitle(expected.name) ?? topic,
    skillId: expected.id,
    tookSkillId: other.id,
    evidence: quotesOf([
      a.question,
      reply,
      marked(complaint, (t) => saysNotAnswered(t) || givesUp(t)),
    ]),
    summary: `The shopper asked about ${topic}, which fits "${expected.name}", but the agent answered as "${other.name}".`,
  };
}

/**
 * The replies take up the question's asking sentences: two of their words, and a quarter of them,
 * so a reply that picks two words out of a long story is not taken as an answer to it.
 */
function engagesQuestion(a: Analysis, replies: readonly Turn[]): boolean {
  if (!a.question) return false;
  const asking = askingSentences(a.question.clean);
  const asked = contentTokens(asking.length > 0 ? asking.join(' ') : a.question.clean);
  const said = contentTokens(replies.map((t) => t.text).join('\n'));
  return overlap(asked, said) >= Math.max(2, asked.size / 4);
}

/** Global, so read only through `negationsIn` (matchAll copies it; `test` would move it on). */
const NEGATION = /\b(?:not|no|dont|do not|didnt|did not|isnt|is not|never|nothing to do with)\b/g;

/** Each negation in a message as `spacedWords` gives it. */
function negationsIn(plain: string): RegExpMatchArray[] {
  return [...plain.matchAll(NEGATION)];
}

/**
 * A negation that hedges or refuses rather than rejects a take: "not sure who to believe", "not
 * going to keep trying", "no idea", "no problem".
 */
const HEDGE_AFTER_NEGATION =
  /^\w+ (?:sure|going|gonna|worried|worry|idea|problem|bother|rush|hurry)\b/;

/** Letters two words must open with alike to be one word's kin: subscribe, subscription. */
const KIN_PREFIX = 6;

/** The word, or a word of the same family (a shared opening of six letters or more). */
function hasKin(words: ReadonlySet<string>, word: string): boolean {
  if (words.has(word)) return true;
  if (word.length < KIN_PREFIX) return false;
  const opening = word.slice(0, KIN_PREFIX);
  return [...words].some((w) => w.startsWith(opening));
}

/**
 * A message without the passages it quotes ("it says 'we could not skip your box'"): a negation
 * in an email or a page the shopper holds up is not theirs.
 */
function withoutQuotations(text: string): string {
  return text.replace(/"[^"]{8,}"|“[^”]{8,}”|‘[^’]{8,}’|(?<![\w'])'[^']{8,}'(?![\w'])/g, ' ');
}

/**
 * A negation near one of the skill's words, or a word of its family: "I'm not buying a frame",
 * "not frame size", "I don't wish to subscribe" against a skill for subscriptions.
 */
function rejectsFrame(turn: Turn, skillWords: ReadonlySet<string>): boolean {
  const plain = spacedWords(withoutQuotations(turn.clean));
  return negationsIn(plain).some((negation) => {
    const tail = plain.slice(negation.index).split(' ').slice(0, 7).join(' ');
    if (HEDGE_AFTER_NEGATION.test(tail)) return false;
    return [...contentTokens(tail)].some((t) => hasKin(skillWords, t));
  });
}

/**
 * The shopper names again what they asked about, after a reply that left it out and is not about
 * it ("presta or schrader? … buying tubes" → sizing advice → "it's the TUBE"): the reply answered
 * something else. Only subjects the configuration knows and the acting skill does not cover count,
 * and only in short corrections: a long message is a new question, not a correction.
 */
function restatesIgnored(a: Analysis, turn: Turn, skillWords: ReadonlySet<string>): boolean {
  // "No, the NEXT one, from my subscription": a correction may name the subject for the first time.
  const correction = /^\s*(?:no|nope|not)\b/i.test(turn.clean);
  const length = words(turn.clean).length;
  if (a.status === 'resolved-by-ai' || length > (correction ? 25 : 12)) return false;
  const reply = agentBefore(a, turn);
  if (!reply || !substantive(reply)) return false;
  const question = askingBefore(a, reply);
  if (!question || question.index >= turn.index) return false;
  const answered = contentTokens(reply.text);
  // A subject the store's configuration knows, not a detail given again (a name, a size).
  const restated = [...contentTokens(turn.clean)].filter(
    (t) => a.ctx.vocabulary.has(t) && !answered.has(t) && !skillWords.has(t),
  );
  const asked = contentTokens(question.clean);
  // After a question of the agent's, "no" may only answer it: then the question's subject counts.
  const corrects = correction && !reply.text.includes('?');
  // Asked as "rented", named again as "the rental": one word's family.
  const askedKin = (t: string) =>
    asked.has(t) || [...asked].some((w) => w.length >= 4 && (t.startsWith(w) || w.startsWith(t)));
  return restated.some((t) => corrects || askedKin(t));
}

/**
 * A correction that names what the shopper meant against what the reply took ("it is the next
 * delivery I am concerned with, not the last one"; "I meant the strap, not the watch").
 */
const CONTRASTS = new RegExp(
  [
    String.raw`\b(?:it is|its|i mean|i meant|(?:i am|im|i was) (?:asking|concerned|talking|writing|enquiring|inquiring) (?:about|with)|i ask(?:ed)? (?:about|for|to)|i (?:just |only )?(?:want|need|wanted|needed))\b[^.?!]{0,60}\bnot (?:the|my|a|an|that|this|about|for|to|me|him|her|us|them)\b`,
    // "4'9 and 80lbs but i asked about a leash": the subject asked about, named again.
    String.raw`\b(?:but|yet) i (?:asked|ask|was asking|am asking|wanted to know) (?:about|for) (?:a |an |the |my )?\w+`,
    // "I already have a wetsuit. Never mind.": what the reply sells or sizes is not what they need.
    String.raw`\bi (?:already|allready) (?:have|own|got|bought) (?:a|an|one|it|the|my|this|that)\b`,
    // "We don't need a new one, we need the one we've got fixing."
    String.raw`\b(?:i|we) (?:dont|do not|didnt|did not) (?:need|want) (?:a |an |the |my |our )?(?:\w+ ){0,2}(?:i|we) (?:need|want|wanted|needed)\b`,
    // "Yeah I know it got here, I'm asking how to send the old one back."
    String.raw`\b(?:i know|i get that|i understand that|i realise|i realize)\b[^?!]{0,80}\b(?:im|i am|i was) (?:asking|talking|enquiring|inquiring) (?:about|how|what|when|where|why|if|whether)\b`,
    // "Not a session, I mean getting it serviced": the same, the other way round.
    String.raw`^ (?:no |nope )?not (?:a|an|the|my|about|for|to) (?:\w+ ){1,4}(?:i mean|i meant|i want|i need|i wanted|i needed|(?:i am|im) (?:asking|talking) about)\b`,
    // "rental not buy", "a repair, not a new one": a whole message that is the contrast.
    String.raw`^ (?:i said |i meant |i mean )?(?!(?:ok|okay|yes|yeah|yep|fine|well|oh|so|lol|haha|hmm|and|but|still|maybe|probably|hopefully|thanks|thank you|sure|good|great|nice|cool)\b)(?:a |an |the )?\w+(?: \w+)? not (?!(?:yet|now|sure|really|much|bad|today|quite|exactly|too|so|that)\b)(?:to |a |an |the )?\w+(?: \w+)? $`,
  ].join('|'),
);

/**
 * Questions that offer something or check the take ("Would you like…", "Shall I…", "Are you
 * looking for…"), as against one that asks for a fact ("Are you outside the UK?"): a "no" to the
 * first turns the skill down, to the second it only answers.
 */
const OFFERS_OR_CHECKS =
  /\b(?:would you like|would you be interested|do you want|want me to|like me to|shall i|should i|can i (?:help|interest|offer|show|suggest|recommend|set)|may i (?:suggest|recommend|offer)|how about|interested in|are you (?:asking|looking|enquiring|inquiring|wanting|trying|after|shopping|thinking)|is (?:this|that|it) (?:about|for|regarding)|did you mean|do you mean)\b/;

/**
 * After the agent asked for a fact, "3/2 no booties" answers it: a "no" inside the reply means
 * "without". A reply that opens with a no, denies something ("it didn't arrive damaged") or says
 * what the shopper wants instead still turns the take down.
 */
function answersAsked(a: Analysis, turn: Turn): boolean {
  const asked = agentBefore(a, turn);
  if (!asked) return false;
  const questions = questionsIn(asked.text);
  if (questions.length === 0 || questions.some((q) => OFFERS_OR_CHECKS.test(spacedWords(q)))) {
    return false;
  }
  const plain = spacedWords(turn.clean);
  const denies = negationsIn(plain).some((m) => m[0] !== 'no');
  return !/^ (?:no|nope|not)\b/.test(plain) && !denies && !WANTS_INSTEAD.test(plain);
}

const WANTS_INSTEAD =
  /\b(?:i|we) (?:just |only )?(?:want|need|wanted|needed|meant|mean)\b|\b(?:im|i am|i was) (?:asking|looking for|after)\b/;

/** A plain "no" to the skill's own offer, or to its check of what the shopper wants. */
function declinesOffer(turn: Turn, asked: Turn | null): boolean {
  if (!/^\s*(?:no|nope|nah|not)\b/i.test(turn.clean) || !asked) return false;
  return questionsIn(asked.text).some((q) => OFFERS_OR_CHECKS.test(spacedWords(q)));
}

/** The sentences of a message that ask something. */
function questionsIn(text: string): string[] {
  return text.split(/(?<=[.?!])\s+/).filter((s) => s.includes('?'));
}

/**
 * The skill whose take a shopper's message answers: the one the reply just before it clearly acted
 * as (an agent may switch skills mid-conversation), else the one the replies together acted as.
 */
function frameBefore(a: Analysis, turn: Turn): ReturnType<typeof actedAs> {
  const reply = agentBefore(a, turn);
  const id = reply && substantive(reply) ? clearBest(skillScores([reply.text], a.ctx), 2) : null;
  return a.ctx.skills.find((s) => s.skill.id === id) ?? actedAs(a) ?? namedFrame(a, turn);
}

/**
 * The skill a correction names as what it did not want: "a replacement, not care advice" names
 * the care skill, when the reply's own words did not say which skill it acted as.
 */
function namedFrame(a: Analysis, turn: Turn): ReturnType<typeof actedAs> {
  const rejected = /\bnot (?:(?:the|my|a|an|that|this|about|for|to) )?((?:\w+ ){0,3}\w+)/.exec(
    spacedWords(turn.clean),
  );
  if (!rejected?.[1] || !CONTRASTS.test(spacedWords(turn.clean))) return null;
  const id = clearBest(skillScores([rejected[1]], a.ctx));
  return a.ctx.skills.find((s) => s.skill.id === id) ?? null;
}

function rejectedFrame(a: Analysis): Candidate | null {
  const replies = a.turns.filter(substantive);
  if (replies.length === 0) return null;
  const wordsOf = (skill: NonNullable<ReturnType<typeof actedAs>>) =>
    new Set([...skill.name, ...skill.description]);
  // Words that reject the skill's take, as against a plain "no" to its offer.
  const framed = (t: Turn): boolean => {
    const frame = frameBefore(a, t);
    if (!frame) return false;
    const skillWords = wordsOf(frame);
    // "Not what I asked" after replies about what was asked says the answer lacked something; so
    // does one after the shopper pressed for a detail ("but will it make this box or not").
    const missedSubject =
      saysNotAnswered(t.text) &&
      !pressedBefore(a, t) &&
      !engagesQuestion(
        a,
        replies.filter((r) => r.index < t.index),
      );
    // "It's in my first message" with the subject named again gives again what was asked again:
    // the skill's loop, not a take the shopper rejects (unless they also say it is not that).
    const givenAgain = saysRepeated(t.text);
    return (
      (rejectsFrame(t, skillWords) && !answersAsked(a, t)) ||
      (!givenAgain && (missedSubject || restatesIgnored(a, t, skillWords))) ||
      CONTRASTS.test(spacedWords(t.clean))
    );
  };
  const rejection = after(a, replies[0] ?? null, 'user').find(
    (t) => framed(t) || (actedAs(a) !== null && declinesOffer(t, agentBefore(a, t))),
  );
  if (!rejection) return null;
  const acted = frameBefore(a, rejection);
  if (!acted) return null;
  const betterId = otherSkillAsked(a, acted.skill.id) ?? skillOfCoveringSnippet(a, acted.skill.id);
  const better = a.ctx.skills.find((s) => s.skill.id === betterId)?.skill;
  // Thanks at the end count only against a rejection the agent never acted on, when another
  // skill was what the shopper wanted (a "no thanks" to an offer of the right skill is not one).
  if (a.endsWithThanks && (!better || !keptFrame(a, rejection, acted.skill.id))) return null;
  const topic = topicFor(a, a.question);
  if (!better) {
    // Without another skill to point to, only words that reject the frame count: a plain "no"
    // to "anything else?" is often a satisfied goodbye.
    if (!framed(rejection)) return null;
    return {
      category: 'wrong_skill',
      confidence: 0.55,
      // One finding per skill that takes what it should not: its description is the fix.
      topic: BEHAVIOUR_TOPICS.outsideSkill,
      skillId: acted.skill.id,
      evidence: quotesOf([a.question, replies[0], rejection]),
      summary: `The agent treated a conversation about ${topic} as "${acted.skill.name}"; the shopper said that was not it, and no other skill's description names what they asked.`,
    };
  }
  // Told it had the wrong end, the skill then said it did not know what a snippet of the store
  // says: the knowledge was there for the skill the shopper's words fit, and the route missed it.
  const lackedWhatIsKnown =
    a.question !== null &&
    (bestCoverage(a.question.clean, a.ctx, { bySentence: true })?.score ?? 0) >= COVERS_WELL &&
    after(a, rejection, 'agent').some((t) => agentLacksInfo(t.text));
  return {
    category: 'wrong_skill',
    confidence: lackedWhatIsKnown ? 0.85 : 0.7,
    topic: topicFromTitle(better.name) ?? topic,
    skillId: better.id,
    tookSkillId: acted.skill.id,
    evidence: quotesOf([a.question, replies[0], rejection]),
    summary: `The agent treated a conversation about ${topic} as "${acted.skill.name}"; the shopper said that was not it, and "${better.name}" fits better.`,
  };
}

/** The skill the shopper's messages clearly fit, other than the one that took them. */
function otherSkillAsked(a: Analysis, tookId: string | null): string | null {
  const asks = a.turns.filter((t) => isUser(t) && t.clean !== '').map((t) => t.clean);
  const scores = skillScores(asks, a.ctx);
  if (tookId !== null) scores.delete(tookId);
  return clearBest(scores, 2);
}

/** At or before `turn`, the shopper pressed for an answer the replies left out. */
function pressedBefore(a: Analysis, turn: Turn): boolean {
  return a.turns.some((t) => isUser(t) && t.index <= turn.index && pressesForAnswer(t.text));
}

/**
 * Every reply after the rejection still clearly acted as the skill that was rejected (and there
 * was one): the agent never took up what the shopper said they wanted.
 */
function keptFrame(a: Analysis, rejection: Turn, skillId: string): boolean {
  const replies = after(a, rejection, 'agent').filter(substantive);
  return (
    replies.length > 0 &&
    replies.every((t) => clearBest(skillScores([t.text], a.ctx), 2) === skillId)
  );
}

/**
 * When no skill's description names what the shopper asked, the knowledge still may: the skill
 * whose description fits the snippet that covers the question is the one it belongs to.
 */
function skillOfCoveringSnippet(a: Analysis, actedId: string): string | null {
  if (!a.question) return null;
  const coverage = bestCoverage(a.question.clean, a.ctx, { bySentence: true });
  if (coverage === null || coverage.score < COVERS_WELL) return null;
  const id = skillForText(`${coverage.item.title} ${coverage.item.content}`, a.ctx);
  return id === actedId ? null : id;
}

/** "Yes, but …": the shopper takes the answer and asks on. */
const BUT_AGAIN =
  /^\s*(?:yes|yeah|yep|yup|right|ok|okay|sure|i know|understood|got (?:it|that)|thanks|thank you)\b[\s,.!]*but\b/;

/**
 * "Right but cutoff??": after an answer, the shopper asks again, in a short message, for a word of
 * their question that the answer left out. The answer missed what they asked.
 */
function asksAgain(a: Analysis, turn: Turn): boolean {
  if (!BUT_AGAIN.test(spacedWords(turn.clean)) || words(turn.clean).length > 15) return false;
  const answer = agentBefore(a, turn);
  if (!answer || !substantive(answer)) return false;
  const question = askingBefore(a, answer);
  if (!question) return false;
  const answered = contentTokens(answer.text);
  const asked = contentTokens(question.clean);
  return [...contentTokens(turn.clean)].some((w) => asked.has(w) && !answered.has(w));
}

/** The agent did not have the information (said so, or handed off without answering). */
const knowledgeGap: Detector = (a) => {
  // Declining a message that only tried to instruct the agent is right, not a gap.
  // "The lookup returned an error, so I can't confirm…" lacks the facts because a tool failed.
  const gap = a.turns.find(
    (t) =>
      isAgent(t) &&
      agentLacksInfo(t.text) &&
      !agentReportsError(t.text) &&
      !beyondTheStore(t.text) &&
      !referredAndAccepted(a, t) &&
      userBefore(a, t)?.clean !== '',
  );
  if (gap) return saidItLacks(a, gap);
  const complaint = a.turns.find((t) => isUser(t) && (saysNotAnswered(t.text) || asksAgain(a, t)));
  const answer = complaint ? agentBefore(a, complaint) : null;
  if (complaint && answer && substantive(answer)) {
    // It answered, but not the question: the snippet it had lacks the detail asked for.
    const question = askingBefore(a, answer);
    return {
      category: 'knowledge_gap',
      confidence: 0.5,
      topic: answeredFrom(a, answer, question, complaint),
      skillId: a.skill?.id ?? null,
      evidence: quotesOf([question, answer, complaint]),
      summary:
        'The shopper said the answer missed their question; the knowledge may lack the detail.',
    };
  }
  return vagueHandoff(a);
};

/**
 * The agent sent the shopper to whoever decides (their plan's administrator, a race's organisers)
 * and the shopper took it gladly: the answer was not the store's to know.
 */
function referredAndAccepted(a: Analysis, gap: Turn): boolean {
  if (!refersElsewhere(gap.text)) return false;
  const reaction = after(a, gap, 'user')[0];
  return reaction !== undefined && isClosing(reaction.text) && !resigned(reaction.text);
}

/**
 * The topic of an answer's knowledge: the snippet the answer was drawn from (the sentence the
 * shopper's reaction disputes first), which is the one to complete or correct; else the one the
 * question's words point to; else the question's subject.
 */
function answeredFrom(
  a: Analysis,
  answer: Turn,
  question: Turn | null,
  reaction: Turn | null,
): string {
  const snippets = [
    drawnFrom(answer.text, a.ctx, reaction?.clean),
    bestCoverage(answer.text, a.ctx),
    question && bestCoverage(question.clean, a.ctx),
  ];
  const title = snippets
    .map((c) => (c && c.score >= 0.5 ? topicFromTitle(c.item.title) : null))
    .find((t) => t);
  return title ?? topicFor(a, question);
}

/**
 * The shopper holds up what the site, an email or earlier advice says against the answer ("the
 * newsletter says you ship to Japan now", "you told me it ships to Alaska"), or the agent, pushed,
 * stands on its source ("based on the information I have"): the knowledge it answered from may be
 * out of date. Both together are the surest sign.
 */
const contradicted: Detector = (a) => {
  const first = a.turns.find((t) => isAgent(t) && substantive(t));
  if (!first) return null;
  const disputed = valueDisputed(a, first);
  // An agent owning "the confusion" without conceding shows that the shopper held something up,
  // unless the shopper left content.
  const owned = a.endsWithThanks
    ? undefined
    : after(a, first, 'agent').find((t) => ownsConfusion(t.text));
  // …but not a shopper setting the agent straight on their case ("it is already installed"):
  // that confusion is the route's.
  const ownedAfter = owned && userBefore(a, owned);
  const inferred = ownedAfter && !correctsPremise(ownedAfter.clean) ? ownedAfter : null;
  const heldUp = after(a, first, 'user').find(
    (t) => contradictsAnswer(t.text) || t === disputed?.turn,
  );
  const later = heldUp ?? inferred;
  // Held up before any answer ("I was told delivery was free; my receipt shows $8.95"): it counts
  // when the agent then says it stands on its source.
  const earlier = later
    ? null
    : (a.turns.find((t) => isUser(t) && t.index < first.index && contradictsAnswer(t.text)) ??
      null);
  const contradiction = later ?? earlier;
  // Standing on the source: saying so, or saying the contradicted answer again in its own words.
  const claimed = contentTokens(bodyOf(first.text));
  const saysAgain = (t: Turn) => {
    const again = contentTokens(bodyOf(t.text));
    return (
      contradiction !== null &&
      t.index > first.index &&
      again.size >= 4 &&
      overlap(again, claimed) >= again.size / 2
    );
  };
  // Against what was held up before any answer, only saying so counts: repeating an order's
  // details is no stand on the knowledge.
  const stood =
    after(a, contradiction ?? first, 'agent').find(
      (t) => standsOnSource(t.text) || (earlier === null && saysAgain(t)),
    ) ??
    disputed?.reply ??
    null;
  if (!contradiction && !stood) return null;
  // The answer contradicted is the one that drew on the knowledge most, not a "we'll text you".
  const said = a.turns
    .filter((t) => substantive(t) && t.index < (contradiction ?? stood ?? first).index)
    .map((t) => ({ turn: t, drawn: bestCoverage(t.text, a.ctx)?.score ?? 0 }));
  const answer = said.reduce((best, t) => (t.drawn > best.drawn ? t : best), {
    turn: first,
    drawn: -1,
  }).turn;
  const question = askingBefore(a, answer);
  if (readsOutLookup(a, answer, contradiction ?? stood)) {
    return {
      category: 'tool_failure',
      confidence: heldUp && stood ? 0.75 : 0.6,
      topic: BEHAVIOUR_TOPICS.toolErrors,
      skillId: toolOwner(a)?.id ?? null,
      evidence: quotesOf([question, answer, marked(contradiction, contradictsAnswer), stood]),
      summary:
        "The shopper said their order's status as the agent read it out is wrong; the lookup's data may be stale or wrong.",
    };
  }
  const declined = contradiction && declinedWhatStoreDoes(a, contradiction);
  if (declined) return declined;
  return {
    category: 'knowledge_gap',
    // Inferred from the agent's apology alone, it yields to a misroute the shopper named.
    confidence: heldUp ? (stood ? 0.8 : 0.55) : later ? 0.6 : earlier && stood ? 0.7 : 0.45,
    topic: answeredFrom(a, answer, question, contradiction ?? stood),
    skillId: a.skill?.id ?? null,
    evidence: quotesOf([question, answer, marked(contradiction, contradictsAnswer), stood]),
    summary:
      'The shopper said what they saw or were told contradicts the answer; the knowledge it came from may be out of date.',
  };
};

/**
 * "I can only set up returns" held against "your homepage says you do repairs": the skill's edge
 * was contradicted, not a fact; when another live skill takes what they asked, the route failed.
 */
function declinedWhatStoreDoes(a: Analysis, contradiction: Turn): Candidate | null {
  const limit = a.turns.find(
    (t) => isAgent(t) && t.index < contradiction.index + 2 && statesScopeLimit(t.text),
  );
  if (!limit) return null;
  // The skill the replies acted as, or, when the edge came early, the one the replies before it did.
  const took =
    actedAs(a) ??
    framedBy(
      a,
      a.turns.filter((t) => isAgent(t) && t.index < limit.index),
    );
  // What the shopper asked routes to a live skill other than the one that declined it.
  const routed = a.skill && a.skill.id !== took?.skill.id ? a.skill.id : null;
  const betterId = routed ?? (took && otherSkillAsked(a, took.skill.id));
  const better = a.ctx.skills.find((s) => s.skill.id === betterId)?.skill;
  if (!better) return null;
  return {
    category: 'wrong_skill',
    confidence: 0.8,
    topic: topicFromTitle(better.name) ?? topicFor(a, a.question),
    skillId: better.id,
    ...(took ? { tookSkillId: took.skill.id } : {}),
    evidence: quotesOf([a.question, limit, marked(contradiction, contradictsAnswer)]),
    summary: `The agent${took ? `, as "${took.skill.name}",` : ''} said what the shopper asked is not something it handles; the shopper said the store does it, and "${better.name}" fits what they asked.`,
  };
}

/** An order's state as a lookup reports it, in the languages shoppers write in. */
const ORDER_STATE = wholeWords(
  /delivered|signed for|dispatched|shipped|out for delivery|in transit|returned to sender|livr[ée]e?s?|exp[ée]di[ée]e?s?|en cours de livraison|entregad[oa]s?|enviad[oa]s?|en tr[aá]nsito|en reparto/u,
);

/**
 * The contradicted answer read out the state of the shopper's own order (given by number) and
 * no snippet holds it: what the shopper disputes is the lookup's data, not the knowledge. Only
 * where skills have tools bound, so a store without lookups keeps the knowledge reading.
 */
function readsOutLookup(a: Analysis, answer: Turn, disputed: Turn | null): boolean {
  if (skillsWithTools(a).length === 0) return false;
  if (!ORDER_STATE.test(spacedWords(answer.text))) return false;
  const ownOrder = a.turns.some(
    (t) => isUser(t) && t.index < answer.index && givenDetails(t.text).has('order'),
  );
  if (!ownOrder) return false;
  const source = drawnFrom(answer.text, a.ctx, disputed?.clean) ?? bestCoverage(answer.text, a.ctx);
  return source === null || source.score < 0.5;
}

/**
 * The shopper answered a reply with a different figure of the kind it stated ("$125" to "$75",
 * "sept 30" to "October 15"), and the agent's next reply held to its own: what the shopper saw
 * says otherwise, in whatever words or language they put it.
 */
function valueDisputed(a: Analysis, first: Turn): { turn: Turn; reply: Turn } | null {
  for (const turn of after(a, first, 'user')) {
    const answer = agentBefore(a, turn);
    const reply = after(a, turn, 'agent')[0];
    if (answer && reply && heldAgainst(answer.text, turn.clean, reply.text) !== null) {
      return { turn, reply };
    }
  }
  return null;
}

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
  const subject = admittedSubject(gap.text);
  const named = subject === null ? null : subjectTopic(subject, gap.text, a.ctx);
  if (named !== null) {
    return {
      ...base,
      confidence: more ? 0.85 : 0.8,
      topic: named,
      summary: `The agent did not have the information about ${named}, which no knowledge snippet mentions.`,
    };
  }
  const title = coverage && coverage.score >= COVERS_WELL && topicFromTitle(coverage.item.title);
  if (coverage && title) {
    return {
      ...base,
      confidence: 0.5,
      topic: title,
      summary: `The agent said it lacked information that the snippet "${coverage.item.title}" seems to cover.`,
    };
  }
  // The agent restates what it lacks in the store's words ("battery warranties vary…"), which
  // says the subject more surely than a shopper writing in a second language.
  // Only the sentences that say what is lacking: the rest may offer something else instead ("…
  // but the 12-month warranty covers it"), which is not the gap.
  const lacking = splitSentences(gap.text).filter(agentLacksInfo).join(' ');
  const topic = keywordTopic(lacking) ?? topicFor(a, question);
  return {
    ...base,
    confidence: more ? 0.85 : 0.8,
    topic,
    summary: `The agent did not have the information about ${topic}, and no knowledge snippet covers it.`,
  };
}

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

/**
 * The shopper sets the agent straight on what their situation is: "it's the rental", "I already
 * own it", "it came cracked", "that's the whole point", "doesn't need parts", "I only got it five
 * weeks ago". The reply was written for another case: the conversation was taken as the wrong kind.
 */
const CORRECTS_PREMISE = new RegExp(
  [
    String.raw`\b(?:thats|that is|that was) (?:the )?(?:whole |entire )?point\b`,
    String.raw`\b(?:i|we) already (?:own|have|got|bought|use)\b`,
    String.raw`\b(?:it|they|this|that) (?:came|arrived|was delivered|were delivered) (?:like (?:this|that)|already |right out of the box )?(?:broken|cracked|damaged|dented|chipped|faulty|scratched|torn|wrong|defective)\b|\bfor something that (?:came|arrived)\b`,
    String.raw`\b(?:its|it is|theyre|they are|this is) (?:already |the |a )?(?:printed|rental|rented|worn|used|opened|delivered|installed|assembled|built)\b`,
    String.raw`\b(?:i|we) only (?:got|bought|received|had) (?:it|them|this|the \w+)\b`,
    String.raw`\b(?:doesnt|does not|dont|do not) need (?:a |any |new )?(?:parts?|plan|replacement|refund|return|repair|upgrade|bigger one)\b`,
  ].join('|'),
);

/**
 * The same in French and Spanish: "elles sont arrivées cassées", "j'ai déjà le modèle", "c'est une
 * location", "llegó roto", "ya la tengo", "es de renta".
 */
const CORRECTS_PREMISE_ELSEWHERE = wholeWords(
  /(?:est|sont|[eé]tait|[eé]taient) (?:arriv[eé]e?s?|livr[eé]e?s?) (?:d[eé]j[aà] )?(?:cass[eé]e?s?|ab[iî]m[eé]e?s?|f[eê]l[eé]e?s?|bris[eé]e?s?|endommag[eé]e?s?|ouverte?s?|fendue?s?)|(?:j ai|on a|nous avons) d[eé]j[aà] (?:le|la|les|l|un|une|achet[eé])|c est (?:une |en )?location|(?:lleg[oó]|llegaron|vino|vinieron) (?:ya )?(?:rot[oa]s?|da[nñ]ad[oa]s?|quebrad[oa]s?|estrellad[oa]s?|abiert[oa]s?)|ya (?:lo|la|los|las) (?:tengo|tenemos|compr[eé])|ya tengo (?:el|la|los|las|un|una)|es (?:de )?renta/u,
);

/** The shopper sets the agent straight on their case, in any of the languages read. */
function correctsPremise(text: string): boolean {
  const n = spacedWords(text);
  return CORRECTS_PREMISE.test(n) || CORRECTS_PREMISE_ELSEWHERE.test(n);
}

/** A last word that only acknowledges: "ok", "k", "noted", "got it". */
const BARE_ACK =
  /^ (?:k|kk|ok|okay|okey|noted|got it|cool|sure|alright|all right|understood|will do) $/;

/**
 * A closed conversation that ends on the shopper's word, and it is neither thanks nor a bare
 * "ok": the agent left them with something unanswered ("so which day should I order by?",
 * "fine", "lol so the answer is buy another one"). When another live skill fits what the shopper
 * asked better than the one the agent answered as, the route is the likelier cause; otherwise
 * what the agent knew.
 */
const unresolvedEnding: Detector = (a) => {
  const last = a.turns.at(-1);
  if (a.status !== 'closed' || !last || !isUser(last) || a.endsWithThanks) return null;
  if (BARE_ACK.test(spacedWords(last.clean))) return null;
  // An answer to the agent's own question ("no, it came on time") leaves nothing unanswered,
  // unless it is said in annoyance or as a goodbye without what they came for.
  const asked = agentBefore(a, last);
  const answersAgent =
    asked !== null &&
    asked.text.trim().endsWith('?') &&
    !last.text.includes('?') &&
    !frustrated(last.text) &&
    !givesUp(last.text) &&
    !resigned(last.text);
  if (answersAgent) return null;
  const took = actedAs(a);
  const betterId = otherSkillAsked(a, took?.skill.id ?? null);
  const better = took ? a.ctx.skills.find((s) => s.skill.id === betterId)?.skill : undefined;
  const topic = topicFor(a, a.question);
  const common = {
    confidence: 0.5,
    tentative: true,
    evidence: quotesOf([a.question, asked, last]),
  };
  if (took && better) {
    return {
      ...common,
      category: 'wrong_skill',
      topic: topicFromTitle(better.name) ?? topic,
      skillId: better.id,
      tookSkillId: took.skill.id,
      summary: `The shopper was left unanswered about ${topic} by "${took.skill.name}"; "${better.name}" fits what they asked.`,
    };
  }
  const corrected = after(a, a.turns.find(isAgent) ?? null, 'user').find((t) =>
    correctsPremise(t.clean),
  );
  if (corrected) {
    return {
      ...common,
      category: 'wrong_skill',
      topic: BEHAVIOUR_TOPICS.outsideSkill,
      skillId: took?.skill.id ?? a.skill?.id ?? null,
      evidence: quotesOf([a.question, agentBefore(a, corrected), corrected]),
      summary: `The shopper was left unanswered about ${topic} after saying the reply was written for another case.`,
    };
  }
  return {
    ...common,
    category: 'knowledge_gap',
    topic,
    skillId: a.skill?.id ?? null,
    summary: `The conversation about ${topic} ended on the shopper's unanswered word.`,
  };
};

/** In priority order: when several fire, the first confident one names the failure. */
export const DETECTORS: readonly Detector[] = [
  missedEscalation,
  needsPersonIgnored,
  ruleNotFollowed,
  toolFailure,
  unnecessaryEscalation,
  reAsk,
  repeatsAdvice,
  putsOffRequest,
  actedWithoutConfirming,
  answeredBeforeAsking,
  toldTooLate,
  heldUpOrderLeftOpen,
  toneClash,
  wrongSkill,
  contradicted,
  knowledgeGap,
  tone,
  curtReply,
  lostShopper,
  instructionGap,
  unresolvedEnding,
  other,
];
