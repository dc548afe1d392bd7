import { after, agentBefore, isShortReply, userBefore, type Analysis } from './conversation.js';
import {
  instructionsOwner,
  askingBefore,
  isAgent,
  isUser,
  substantive,
  topicFor,
  type Detector,
} from './candidate.js';

import {
  codesIn,
  DETAIL_NAMES,
  givenDetails,
  requestedDetails,
  type Detail,
} from '../../../domain/detail-requests.js';
import { saysRepeated } from '../../../domain/situations.js';
import { marked, quotesOf, type Turn } from './evidence.js';
import { bodyOf } from './register.js';
import { clearBest, skillScores } from './matching.js';
import { agentAsks, agentLacksInfo, isClosing } from './signals.js';
import { contentTokens, overlap, spacedWords, squash, wholeWords } from '../../../domain/text.js';
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
    // Answered with a code the shopper had not given (the serial number after the order
    // number): the agent asked for another number, not the same one again.
    if (answersWithNewCode(a, turn)) continue;
    for (const detail of requestedDetails(turn.text)) {
      if (given.has(detail)) repeats.push({ turn, detail });
    }
  }
  const complaint =
    a.turns.find((t) => isUser(t) && (saysRepeated(t.text) || restatesDetails(a, t))) ?? null;
  const first = repeats[0];
  if (!first && !complaint) return null;
  if (!first) {
    // The shopper says so, though the repeated request was not one of the details read above.
    const asked = complaint ? agentBefore(a, complaint) : null;
    if (!asked || !substantive(asked) || !agentAsks(asked.text)) return null;
  }
  // The fix is the instructions of the skill the agent acted as: one finding per skill.
  const skill = instructionsOwner(a);
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

/** The shopper's next message gives a number or code that none of theirs before `asked` did. */
function answersWithNewCode(a: Analysis, asked: Turn): boolean {
  const answer = after(a, asked, 'user')[0];
  if (!answer) return false;
  const before = new Set(
    a.turns.filter((t) => isUser(t) && t.index < asked.index).flatMap((t) => [...codesIn(t.text)]),
  );
  return [...codesIn(answer.clean)].some((code) => !before.has(code));
}

/** Content words and every figure of a message: what a restated detail is compared by. */
function detailTokens(text: string): Set<string> {
  const tokens = contentTokens(text);
  for (const figure of text.match(/\d+/g) ?? []) tokens.add(figure);
  return tokens;
}

/** Share of a reply's words that must be restated for the reply to be a restatement. */
const RESTATED_SHARE = 0.6;

/**
 * The shopper answers the agent's question with what their own earlier message already said ("E27
 * / 25W / no dimmer" after a first message naming all three): the question asked for what was
 * given, whatever its language and whatever the details are. Figures the question itself quotes
 * back ("the 60W or the 40W?") do not count: that is a choice, not a re-ask.
 */
function restatesDetails(a: Analysis, reply: Turn): boolean {
  const asked = agentBefore(a, reply);
  if (!asked || !agentAsks(asked.text)) return false;
  const earlier = a.turns.filter((t) => isUser(t) && t.index < asked.index);
  if (earlier.length === 0) return false;
  const before = detailTokens(earlier.map((t) => t.clean).join('\n'));
  const quoted = new Set(asked.text.match(/\d+/g));
  const words = detailTokens(reply.clean);
  const restated = [...words].filter(
    (w) => before.has(w) && !(w.match(/\d+/g) ?? []).some((figure) => quoted.has(figure)),
  );
  return (
    restated.length >= 2 &&
    restated.some((w) => /\d/.test(w)) &&
    restated.length >= words.size * RESTATED_SHARE
  );
}

/** The shopper says they did it and it did not help: "did. crashes again", "already tried that". */
const TRIED =
  /\b(?:did|done|tried|already|still|same|again|didnt work|did not work|doesnt work|does not work|no luck|no change|nothing (?:happens|happened|changed))\b|(?<!\p{L})(?:j[aá] (?:fiz|tentei|testei|conferi|verifiquei|atualizei)|de novo|mesma coisa|continua|n[aã]o (?:funcionou|deu certo|resolveu))(?!\p{L})/u;

/** Share of the shorter reply's words the other has: the same advice, reworded. */
const SAME_ADVICE = 0.7;

/**
 * The agent suggested again a step the shopper had just said they tried ("try refreshing" →
 * "did that, 4 times" → "let's try refreshing once more"): its instructions have no next step.
 */
export const repeatsAdvice: Detector = (a) => {
  const replies = a.turns.filter(substantive);
  for (const [i, later] of replies.entries()) {
    const tried = userBefore(a, later);
    if (!tried || !(TRIED.test(spacedWords(tried.clean)) || saysRepeated(tried.text))) continue;
    // Greetings and signatures are the same in every email: only what the replies say counts.
    const words = contentTokens(bodyOf(later.text));
    const earlier = replies.slice(0, i).find((t) => {
      const before = contentTokens(bodyOf(t.text));
      const shared = overlap(words, before);
      const shorter = Math.min(words.size, before.size);
      return shorter >= 4 && shared >= shorter * SAME_ADVICE && t.index < tried.index;
    });
    if (!earlier) continue;
    const skill = instructionsOwner(a);
    return {
      category: 'instruction_gap',
      confidence: 0.65,
      // A loop like asking again: one finding, one fix in the skill's instructions.
      topic: BEHAVIOUR_TOPICS.reask,
      skillId: skill?.id ?? null,
      evidence: quotesOf([earlier, tried, later]),
      summary: `The agent suggested again a step the shopper said they had already tried, about ${topicFor(a, a.question)}.`,
    };
  }
  return null;
};

/** Turning an offer down, or insisting: "no", "not pause", "I said", "just cancel it". */
const DECLINES =
  /\b(?:no|nope|not|dont|do not|stop|i said|just|non|pas|ne veux|je veux|quiero|ya dije|solo)\b|(?<!\p{L})(?:n[aã]o|j[aá] disse|j[aá] falei|s[oó] quero|quero)(?!\p{L})/u;

/** A bare no: "no", "nope", "stop", "no thanks". */
const BARE_NO =
  /^ (?:no+|nope|nah|stop|no thanks?|no thank you|non|non merci|no gracias|nein|n[aã]o|n[aã]o obrigad[oa]) $/u;

/**
 * The shopper asked for one thing, turned down what the agent offered instead, and asked again
 * ("cancel sub pls" → skip? → "no" → pause? → "no. cancel it"): the skill that owns the request
 * (its own words name it) has no step for doing it once an alternative is refused.
 */
export const putsOffRequest: Detector = (a) => {
  const first = a.question;
  if (!first) return null;
  // Answers to the agent's offers (a question, not the thing done or handed off), one per offer:
  // two messages in a row answer the same one.
  const offers = new Set<Turn>();
  const answers = after(a, first, 'user').filter((t) => {
    const offer = agentBefore(a, t);
    if (!offer || !substantive(offer) || !offer.text.includes('?') || offers.has(offer)) {
      return false;
    }
    offers.add(offer);
    return true;
  });
  if (answers.length === 0) return null;
  const skill = instructionsOwner(a);
  const indexed = a.ctx.skills.find((s) => s.skill === skill);
  if (!skill || !indexed) return null;
  // The request in words the skill itself names: its own subject, not a passing word.
  const own = new Set([...indexed.name, ...indexed.description, ...indexed.instructions]);
  const asked = [...contentTokens(first.clean)].filter((t) => own.has(t));
  const again = answers.filter((t) => asked.some((w) => contentTokens(t.clean).has(w)));
  const refused = answers.filter((t) => BARE_NO.test(spacedWords(t.clean)));
  const declined = [...again, ...refused].some((t) => DECLINES.test(spacedWords(t.clean)));
  if (again.length === 0 || again.length + refused.length < 2 || !declined) return null;
  const last = again.at(-1) ?? null;
  return {
    category: 'instruction_gap',
    // Below a misroute the shopper named: insisting on a request also follows a wrong take.
    confidence: 0.65,
    topic: BEHAVIOUR_TOPICS.putOff,
    skillId: skill.id,
    evidence: quotesOf([first, last ? agentBefore(a, last) : null, last]),
    summary: `The shopper asked again for what they first asked and the agent kept offering something else, about ${topicFor(a, first)}.`,
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

/** The shopper says they should have been told earlier: a step the agent left out. */
const TOLD_TOO_LATE = new RegExp(
  [
    String.raw`\b(?:would have|wouldve|would of) been (?:nice|good|helpful|useful) to know (?:that |this |it )?(?:before|earlier|first|sooner|upfront)\b`,
    String.raw`\bwhy (?:didnt|did not|couldnt|could not|wasnt|was not) (?:you|it|this|that) (?:say|tell|mention|said|told|mentioned|ask|asked)\b.{0,40}\b(?:before|earlier|first|sooner|at the start|upfront)\b`,
    String.raw`\byou (?:could|should|might) have (?:told|said|mentioned|warned|asked)\b.{0,40}\b(?:before|earlier|first|sooner|upfront)\b`,
    String.raw`\bnobody (?:told|said|mentioned)\b.{0,40}\b(?:before|earlier|first|sooner|upfront)\b`,
    // Portuguese: "podia ter avisado antes", "ninguém me falou isso antes".
    String.raw`(?<!\p{L})(?:podia|poderia|deveria|devia|podiam|deviam) ter (?:me )?(?:avisado|falado|dito|informado|perguntado)(?!\p{L}).{0,40}(?<!\p{L})(?:antes|primeiro|logo)(?!\p{L})|(?<!\p{L})ningu[eé]m (?:me )?(?:avisou|falou|disse|informou)(?!\p{L}).{0,40}(?<!\p{L})(?:antes|primeiro)(?!\p{L})`,
  ].join('|'),
  'u',
);

/**
 * The shopper found out about a requirement only after acting on the agent's advice ("would have
 * been nice to know that before I spent 20 minutes…"): the skill's instructions miss a step.
 */
export const toldTooLate: Detector = (a) => {
  const firstReply = a.turns.find(isAgent);
  if (!firstReply) return null;
  const late = after(a, firstReply, 'user').find((t) => TOLD_TOO_LATE.test(spacedWords(t.clean)));
  if (!late) return null;
  const skill = instructionsOwner(a);
  const topic = topicFor(a, a.question);
  return {
    category: 'instruction_gap',
    confidence: 0.6,
    topic,
    skillId: skill?.id ?? null,
    evidence: quotesOf([
      a.question,
      agentBefore(a, late),
      marked(late, (t) => TOLD_TOO_LATE.test(spacedWords(t))),
    ]),
    summary: `The agent left out a step about ${topic} that the shopper learned of only later.`,
  };
};

/** The agent says it has done something for the shopper: cancelled, changed, refunded, booked. */
const ACTED =
  /^\s*(?:done|all (?:set|done)|sorted)\b|\b(?:ive|i have|weve|we have) (?:now |just )?(?:cancell?ed|changed|updated|refunded|processed|booked|removed|switched|paused|skipped|moved|submitted|placed|applied)\b|\b(?:has|have) been (?:cancell?ed|changed|updated|refunded|processed|removed|switched|paused|skipped|moved|submitted|placed)\b/;

/** The shopper stops it: it was not (all) of what they asked for. */
const NOT_WHAT_I_ASKED =
  /^\s*(?:wait|hold on|hang on|no|nope|stop)\b|\b(?:i )?only (?:wanted|asked|meant|said)\b|\bnot (?:both|all of them|that one|the \w+ one)\b|\bi (?:said|asked for|meant) (?:the|only|just)\b/;

/**
 * The agent carried out a change without confirming what the shopper meant, and the shopper
 * stopped it ("Done! Your subscription is cancelled" → "wait, which one? I only wanted…"): the
 * skill's instructions miss a confirmation step.
 */
export const actedWithoutConfirming: Detector = (a) => {
  const acted = a.turns.find((t) => t.role === 'agent' && ACTED.test(spacedWords(t.text)));
  if (!acted) return null;
  const objection = after(a, acted, 'user')[0];
  if (!objection || !NOT_WHAT_I_ASKED.test(spacedWords(objection.clean))) return null;
  // "No thanks" to what the agent offered after acting declines the offer, not the change.
  const declinesOffer = acted.text.includes('?') && /^\s*(?:no|nope)\b/i.test(objection.clean);
  if (declinesOffer || isShortReply(objection.text) || isClosing(objection.text)) return null;
  const skill = instructionsOwner(a);
  const topic = topicFor(a, a.question);
  return {
    category: 'instruction_gap',
    confidence: 0.6,
    // One finding per skill that acts too soon: a confirmation step in its instructions is the fix.
    topic: BEHAVIOUR_TOPICS.unconfirmed,
    skillId: skill?.id ?? null,
    evidence: quotesOf([a.question, acted, objection]),
    summary: `The agent carried out a change about ${topic} without confirming what the shopper meant, and the shopper stopped it.`,
  };
};

/**
 * The agent saying its earlier advice does not hold for this shopper: "that changes things", "I
 * should have asked where you are", "sorry, I assumed".
 */
const SHOULD_HAVE_ASKED = /\b(?:i|we) should have (?:asked|checked)\b/;
const REVISES = new RegExp(
  [
    SHOULD_HAVE_ASKED.source,
    String.raw`\b(?:that|this) changes (?:things|everything|my answer|the answer|my advice|the advice|the picture)\b|\bchanges my (?:answer|advice)\b`,
    String.raw`\b(?:i|we) (?:wrongly )?assumed\b|\b(?:in that case|given that),? (?:my|the) (?:earlier|first|previous) (?:answer|advice)\b`,
    // Portuguese: "eu deveria ter perguntado", "isso muda tudo", "nesse caso, minha resposta anterior".
    String.raw`(?<!\p{L})(?:deveria|devia) ter (?:perguntado|verificado|confirmado)(?!\p{L})|(?<!\p{L})isso muda (?:tudo|as coisas|minha resposta|a resposta)(?!\p{L})`,
  ].join('|'),
  'u',
);

/**
 * The agent advised, the shopper then told it something about their situation that the advice
 * depended on, and the agent took its advice back: it should have asked first.
 */
export const answeredBeforeAsking: Detector = (a) => {
  const replies = a.turns.filter(isAgent);
  const revised = replies.slice(1).find((t) => REVISES.test(spacedWords(t.text)));
  if (!revised) return null;
  const told = userBefore(a, revised);
  const first = replies[0];
  if (!told || !first || told.index < first.index) return null;
  // The skill whose advice was taken back: the one its first reply reads as, where that is clear.
  const advisedId = clearBest(skillScores([first.text], a.ctx));
  const advised = a.ctx.skills.find((s) => s.skill.id === advisedId)?.skill;
  const skill = advised ?? instructionsOwner(a);
  const topic = topicFor(a, a.question);
  return {
    category: 'instruction_gap',
    // "I should have asked" is the agent's own word for it, and outweighs other readings.
    confidence: SHOULD_HAVE_ASKED.test(spacedWords(revised.text)) ? 0.8 : 0.6,
    // One finding per skill that answers too soon: an ask-first step in its instructions.
    topic: BEHAVIOUR_TOPICS.unasked,
    skillId: skill?.id ?? null,
    evidence: quotesOf([
      a.question,
      first,
      told,
      marked(revised, (t) => REVISES.test(spacedWords(t))),
    ]),
    summary: `The agent advised on ${topic} before asking what the advice depended on, and took it back once the shopper said.`,
  };
};

/** A state that holds an order up with no date of its own: awaiting stock, back-ordered, processing. */
const HELD_UP_STATE = wholeWords(
  /awaiting (?:stock|restock)|(?:waiting|waits) (?:on|for) (?:stock|restock)|back ?order(?:ed)?|on back ?order|(?:still )?processing|on hold|pre ?order(?:ed)?|out of stock|en attente (?:de stock|de r[ée]approvisionnement)|en rupture|en cours de pr[ée]paration|pendiente|en espera de stock|sin stock|agotad[oa]|in bearbeitung|nicht (?:auf|am) lager|im r[üu]ckstand|aguardando (?:estoque|reposi[çc][ãa]o)|em processamento|sem estoque|em falta/u,
);

/** The shopper asks when: "when is that?", "any ETA?", "soon meaning? days? weeks?". */
const ASKS_WHEN = wholeWords(
  /when|eta|how long|what date|which date|any date|how many (?:days|weeks)|days|weeks|quand|combien de temps|cu[áa]ndo|cu[áa]nto tiempo|wann|wie lange|quando|previs[ãa]o|prazo/u,
);

/** A date or a span in a reply: "the 14th", "by Friday", "in 2 weeks", "early November" (not a six-digit order number). */
const GIVES_DATE = new RegExp(
  String.raw`(?<![\p{L}\d])(?:\d{1,2}(?:st|nd|rd|th)?|january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|next week|this week|a week|a fortnight|next month|this month|spring|summer|autumn|fall|winter)(?![\p{L}\d])`,
  'u',
);

/**
 * The shopper's own order was looked up and read out as held up ("awaiting stock", "still
 * processing"); they asked when, and no reply gave a date or span: a snippet cannot hold one
 * order's date, so what the skill does with an order held up (relay what the lookup returns, offer
 * what the store allows) is missing from its instructions.
 */
export const heldUpOrderLeftOpen: Detector = (a) => {
  if (a.endsWithThanks) return null;
  // Their order: a number they gave as one, or a code of theirs the agent then read back.
  const echoed = (t: Turn) =>
    [...codesIn(t.text)].some((code) =>
      after(a, t, 'agent').some((r) => codesIn(r.text).has(code)),
    );
  const own = a.turns.find((t) => isUser(t) && (givenDetails(t.text).has('order') || echoed(t)));
  if (!own) return null;
  const readOut = after(a, own, 'agent').find((t) => HELD_UP_STATE.test(spacedWords(t.text)));
  if (!readOut) return null;
  const askedWhen = a.turns.find(
    (t) => isUser(t) && t.index >= own.index && ASKS_WHEN.test(spacedWords(t.clean)),
  );
  if (!askedWhen) return null;
  const replies = after(a, askedWhen, 'agent').filter((t) => t.index >= readOut.index);
  const answers = replies.length > 0 ? replies : [readOut];
  if (answers.some((t) => GIVES_DATE.test(spacedWords(t.text)))) return null;
  const skill = instructionsOwner(a);
  const topic = topicFor(a, a.question);
  return {
    category: 'instruction_gap',
    confidence: 0.8,
    // One finding per skill, whatever each order was: its instructions for held-up orders are the fix.
    topic: BEHAVIOUR_TOPICS.heldUpOrder,
    skillId: skill?.id ?? null,
    evidence: quotesOf([askedWhen, readOut, after(a, readOut, 'user').at(-1) ?? null]),
    summary: `The agent read out the shopper's order as held up and gave no date when asked, about ${topic}.`,
  };
};
