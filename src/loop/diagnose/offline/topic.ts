import { bestCoverage, COVERS_WELL, type IndexedContext } from './matching.js';
import { topicFromTitle } from '../../../domain/finding.js';
import { languageOf } from '../../../domain/language.js';
import { scrubPersonalData } from '../../../domain/scrub.js';
import { contentTokens, containsPhrase, STOP_WORDS, words } from '../../../domain/text.js';

/**
 * Topics: short, normalized phrases that group failures into findings. Conversations about the
 * same thing must get the same topic however the shopper worded it, so a topic comes from the
 * store's own vocabulary (the title of the snippet that covers the question, a skill's name) or a
 * fixed keyword table — raw transcript words only as a last resort.
 */

/** The fixed topics of category-level findings. */
export const TOPICS = {
  person: 'talk to a person',
  tone: 'reply tone',
  fallback: 'general question',
} as const;

interface KeywordTopic {
  topic: string;
  /** Any of these words (stemmed) or phrases marks the topic. */
  words: string[];
  phrases?: string[];
  /** Whether "international" may qualify it. */
  regional?: boolean;
}

// Ordered: the first topic that matches wins ("refund for a return" is about refunds).
const KEYWORD_TOPICS: readonly KeywordTopic[] = [
  { topic: 'refunds', words: ['refund', 'reimburse'], phrases: ['money back'], regional: true },
  { topic: 'warranty', words: ['warranty', 'guarantee'] },
  { topic: 'returns', words: ['return', 'returning'], phrases: ['send back'], regional: true },
  { topic: 'exchanges', words: ['exchange', 'swap'], regional: true },
  { topic: 'cancellations', words: ['cancel', 'cancellation'] },
  { topic: 'damaged items', words: ['damaged', 'broken', 'defective', 'cracked', 'torn'] },
  { topic: 'gift cards', words: [], phrases: ['gift card', 'gift cards', 'gift certificate'] },
  { topic: 'promo codes', words: ['promo', 'coupon', 'discount'], phrases: ['discount code'] },
  { topic: 'rewards program', words: ['rewards', 'loyalty', 'points', 'membership'] },
  {
    topic: 'price match',
    words: [],
    phrases: ['price match', 'match the price', 'price adjustment'],
  },
  {
    topic: 'order status',
    words: ['tracking', 'track'],
    phrases: ['where is my order', 'wheres my order', 'status of my order', 'order status'],
    regional: true,
  },
  {
    topic: 'shipping',
    words: ['shipping', 'ship', 'delivery', 'deliver', 'courier', 'postage', 'expedited'],
    regional: true,
  },
  { topic: 'payments', words: ['charged', 'charge', 'payment', 'billing', 'invoice', 'paypal'] },
  { topic: 'account access', words: ['account', 'login', 'password'], phrases: ['sign in'] },
  { topic: 'subscriptions', words: ['subscription', 'subscribe', 'unsubscribe'] },
  { topic: 'store hours', words: ['hours', 'opening'], phrases: ['open on', 'store location'] },
  {
    topic: 'stock availability',
    words: ['stock', 'restock', 'availability'],
    phrases: ['sold out'],
  },
  { topic: 'size and fit', words: ['size', 'sizing', 'fit', 'fits', 'measurements'] },
  { topic: 'product care', words: ['wash', 'washing', 'care', 'clean', 'cleaning'] },
  {
    topic: 'product specs',
    words: ['material', 'materials', 'weight', 'spec', 'specs', 'dimensions', 'rating'],
  },
];

// Words that make a topic international, in any store; a list of countries would be one store's.
const INTERNATIONAL_WORDS = contentTokens(
  'international internationally abroad overseas customs duties foreign worldwide',
);
const INTERNATIONAL_PHRASES = ['outside the us', 'outside the united states', 'another country'];

const KEYWORD_TOKENS = KEYWORD_TOPICS.map((k) => ({
  ...k,
  tokens: contentTokens(k.words.join(' ')),
}));

/** A topic from the keyword table, qualified as international when the text says so. */
export function keywordTopic(text: string): string | null {
  const tokens = contentTokens(text);
  const entry = KEYWORD_TOKENS.find(
    (k) =>
      [...k.tokens].some((t) => tokens.has(t)) ||
      (k.phrases ?? []).some((p) => containsPhrase(text, p)),
  );
  if (!entry) return null;
  const international =
    [...tokens].some((t) => INTERNATIONAL_WORDS.has(t)) ||
    INTERNATIONAL_PHRASES.some((p) => containsPhrase(text, p));
  return entry.regional && international ? `international ${entry.topic}` : entry.topic;
}

/**
 * A last-resort topic: the question's first few lower-case words that the store's own config also
 * uses. Personal data is scrubbed first and capitalized words (names) are skipped, so neither an
 * email nor a name can become a topic, and from there a patch.
 */
function wordsTopic(question: string, ctx: IndexedContext): string | null {
  const text = scrubPersonalData(question).text;
  const candidates = text.match(/(?<![\p{L}\p{N}@.'’[-])\p{Ll}[\p{Ll}'’-]*/gu) ?? [];
  const picked = candidates.filter((w) => {
    const tokens = [...contentTokens(w)];
    return tokens.length > 0 && tokens.every((t) => ctx.vocabulary.has(t));
  });
  const topic = [...new Set(picked)].slice(0, 3).join(' ');
  return topic === '' ? null : topic;
}

/**
 * The topic of a question: the title of the snippet that covers it well, else the keyword
 * table, else the handling skill's name, else its first content words.
 */
export function questionTopic(
  question: string | null,
  ctx: IndexedContext,
  skillName: string | null,
): string {
  if (question === null) return skillName ? topicOf(skillName) : TOPICS.fallback;
  const coverage = bestCoverage(question, ctx);
  const fromTitle =
    coverage && coverage.score >= COVERS_WELL && topicFromTitle(coverage.item.title);
  if (fromTitle) return fromTitle;
  return (
    keywordTopic(question) ??
    (skillName ? topicOf(skillName) : null) ??
    wordsTopic(question, ctx) ??
    TOPICS.fallback
  );
}

function topicOf(skillName: string): string {
  return topicFromTitle(skillName) ?? TOPICS.fallback;
}

// Words that start a subject but are not its head ("whether", "using", "the").
const SUBJECT_LEAD = new Set(
  (
    'whether if how what which when where why using use taking take getting get buying the a an any our your their its of ' +
    // Portuguese: "se", "como", "qual", "o", "a", "sobre", "de".
    'se como qual quais quando onde o a os as de do da dos das sobre um uma'
  ).split(' '),
);
// "the details of how…": what is lacked, not what it is about.
const WHAT_IS_LACKED = new Set(
  'details detail information info specifics exact specific'.split(' '),
);

/**
 * The topic of a knowledge gap named by the agent ("I don't have information on removal of old
 * furniture"), when that subject holds a word the store's configuration never uses: then no
 * snippet can hold the answer, however well one matches the question's other words. Words that
 * were capitalized in the agent's text and are not the store's own (names) are dropped, as is
 * personal data.
 */
export function subjectTopic(
  subject: string,
  agentText: string,
  ctx: IndexedContext,
): string | null {
  const novel = [...contentTokens(subject)].some((t) => !ctx.vocabulary.has(t));
  if (!novel) return null;
  const capitalized = namesIn(scrubPersonalData(agentText).text);
  const kept = words(scrubPersonalData(subject).text).filter(
    (w) => !capitalized.has(w) || [...contentTokens(w)].every((t) => ctx.vocabulary.has(t)),
  );
  const fromKeywords = keywordTopic(kept.join(' '));
  if (fromKeywords !== null) return fromKeywords;
  // Product names are what the store knows; the gap is what it says about them.
  const core = kept.filter((w) => w.length > 1 && !ctx.productWords.has(w));
  const skippable = (w: string) =>
    SUBJECT_LEAD.has(w) || WHAT_IS_LACKED.has(w) || STOP_WORDS.has(w);
  while (core.length > 0 && skippable(core[0] ?? '')) core.shift();
  while (core.length > 0 && STOP_WORDS.has(core.at(-1) ?? '')) core.pop();
  // A long subject is cut to start at its first word the store never uses: that is the gap.
  const isNovel = (w: string) => [...contentTokens(w)].some((t) => !ctx.vocabulary.has(t));
  const start = core.length > MAX_TOPIC_WORDS ? Math.max(0, core.findIndex(isNovel)) : 0;
  const topic = core.slice(start, start + MAX_TOPIC_WORDS);
  while (topic.length > 0 && STOP_WORDS.has(topic.at(-1) ?? '')) topic.pop();
  return topic.length === 0 ? null : topic.join(' ');
}

const MAX_TOPIC_WORDS = 5;

// Words that come before a person's name: "Hallo Martina", "Sehr geehrte Frau Lehner".
const GREETED =
  /(?<!\p{L})(?:hallo|hi|hey|servus|moin|liebe|lieber|grüß dich|herr|frau|dear|hello|bonjour|hola|señora?|madame|monsieur)[ ,]+(\p{Lu}[\p{L}'’-]*)/giu;

/**
 * The words of an agent's text that may be names, lower-cased: every capitalized word, except in
 * German, where every noun is capitalized and only a greeted word ("Hallo Martina") is a name.
 */
function namesIn(text: string): Set<string> {
  if (languageOf([text]) === 'de') {
    return new Set([...text.matchAll(GREETED)].map((m) => (m[1] ?? '').toLowerCase()));
  }
  return new Set((text.match(/\p{Lu}[\p{L}'’-]*/gu) ?? []).map((w) => w.toLowerCase()));
}
