import {
  indexRules,
  type IndexedRule,
  type RuleMatch,
  type RulesGuidance,
} from '../../../domain/rule-triggers.js';
import { containsPhrase, contentTokens, overlap, splitSentences } from '../../../domain/text.js';
import { statedValues } from './values.js';
import { DETAIL_NAMES } from '../../../domain/detail-requests.js';

/**
 * The agent's configuration as the rules diagnoser reads it, indexed once per context object:
 * which skill a text belongs to, which knowledge snippet covers a question, and the enabled
 * escalation rules (matched by domain/rule-triggers.ts). All by word overlap, so the results are
 * predictable.
 */

/** A skill as the rules diagnoser needs it. */
export interface RulesSkill {
  id: string;
  /** Display or machine name ("Order Status", "order_status"). */
  name: string;
  description: string;
  handoff: string;
  /** When set, only `live` skills are routed to. */
  status?: string | undefined;
  /** The skill's prompt: the steps the agent follows while it acts as this skill. */
  instructions?: string | undefined;
  /** Ids of the tools bound to it: only these skills can have called a failing tool. */
  tools?: readonly string[] | undefined;
}

/** A knowledge item: snippets have a title and content; webpages may pass their URL as title. */
export interface RulesKnowledge {
  id: string;
  title: string;
  content: string;
}

/** What `diagnoseByRules` knows of the agent's configuration. */
export interface RulesContext {
  skills: readonly RulesSkill[];
  knowledge: readonly RulesKnowledge[];
  escalationRules: readonly RulesGuidance[];
}

/** Share of a question's words a snippet must contain to answer it well. */
export const COVERS_WELL = 0.6;

interface IndexedSkill {
  skill: RulesSkill;
  name: Set<string>;
  description: Set<string>;
  instructions: Set<string>;
  /** Words of its instructions that no other skill's instructions use: its own steps. */
  ownSteps: Set<string>;
}

interface IndexedKnowledge {
  item: RulesKnowledge;
  tokens: Set<string>;
  /**
   * For an item whose text the API does not serve (webpages and files give only a title or URL):
   * the words of its title, which say what it is about. Empty for items with content.
   */
  titleOnly: Set<string>;
  /** The amounts of money and percentages its content states (`amountsOf`). */
  amounts: Set<string>;
  /** The words of its title, with their concepts. */
  title: Set<string>;
}

/** Words of a knowledge item's title; for a URL, of its path ("/pages/warranty" → warranty). */
function titleWords(title: string): Set<string> {
  let text = title;
  if (/^https?:\/\//i.test(title)) {
    try {
      text = new URL(title).pathname.replace(/\.\w+$/, '');
    } catch {
      // Not a URL after all: its words are the title's.
    }
  }
  const tokens = contentTokens(text.replace(/[/_-]+/g, ' '));
  for (const generic of URL_PATH_WORDS) tokens.delete(generic);
  return tokens;
}

/** Path segments that name a site's structure, not a subject. */
const URL_PATH_WORDS = contentTokens('pages page policies policy en us help articles article');

/** The configuration indexed for matching. */
export interface IndexedContext {
  skills: IndexedSkill[];
  knowledge: IndexedKnowledge[];
  rules: IndexedRule[];
  /**
   * The same rules, where one that quotes nothing fires only on words the store does not use
   * everywhere: to say a rule applied although nobody handed off, "order" and "address" in a
   * message do not make it "an order they did not place".
   */
  rulesByDistinctWords: IndexedRule[];
  /** Every word of the skills and knowledge: the store's own vocabulary. */
  vocabulary: Set<string>;
  /** Names the knowledge capitalizes mid-sentence (products, parts), lower case. */
  productWords: Set<string>;
  /** Words so many skills use that they route to none (see `skillScore`). */
  commonSkillWords: Set<string>;
}

/** Capitalized words that do not open a sentence: the names a store gives its products. */
function properNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/(?<=[\p{Ll}\p{N},;:)] +)\p{Lu}[\p{Ll}]{2,}/gu)) {
    names.add(match[0].toLowerCase());
  }
  return names;
}

const cache = new WeakMap<RulesContext, IndexedContext>();

/** Indexes a context (memoized per context object: a run diagnoses many conversations). */
export function indexContext(context: RulesContext): IndexedContext {
  const cached = cache.get(context);
  if (cached) return cached;
  const indexed: IndexedContext = {
    skills: context.skills
      .filter((s) => s.status === undefined || s.status === 'live')
      .map((skill) => ({
        skill,
        name: contentTokens(skill.name),
        description: contentTokens(skill.description),
        instructions: contentTokens(skill.instructions ?? ''),
        ownSteps: new Set<string>(),
      })),
    knowledge: context.knowledge.map((item) => ({
      item,
      tokens: withConcepts(contentTokens(`${item.title} ${item.content}`)),
      titleOnly: item.content.trim() === '' ? withConcepts(titleWords(item.title)) : new Set(),
      amounts: amountsOf(item.content),
      title: withConcepts(contentTokens(item.title)),
    })),
    rules: indexRules(context.escalationRules),
    rulesByDistinctWords: [],
    vocabulary: new Set(),
    productWords: properNames(context.knowledge.map((k) => k.content).join('\n')),
    commonSkillWords: new Set(),
  };
  indexed.commonSkillWords = commonSkillWords(indexed.skills);
  indexed.rulesByDistinctWords = indexRules(context.escalationRules, everydayWords(indexed));
  markOwnSteps(indexed.skills);
  for (const s of indexed.skills)
    for (const t of [...s.name, ...s.description]) indexed.vocabulary.add(t);
  for (const k of indexed.knowledge) for (const t of k.tokens) indexed.vocabulary.add(t);
  cache.set(context, indexed);
  return indexed;
}

/**
 * Shoppers describe a situation; configurations name its kind. A word of the left stands for the
 * concept on the right as well (stems, as `contentTokens` gives them). General e-commerce terms
 * only: what any store's shoppers write for damage, a recurring charge, a missing parcel or dirt
 * to clean off.
 */
const CONCEPTS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    damag: [
      'crack',
      'tear',
      'torn',
      'rip',
      'dent',
      'scratch',
      'chip',
      'broken',
      'snap',
      'shatter',
      'leak',
      'smash',
      'bent',
      'stain',
      'defectiv',
      'split',
      'scrap',
      'goug',
      'wobbly',
      'faulty',
    ],
    subscription: ['renew', 'renewal', 'recur', 'monthly', 'rebill', 'autorenew', 'membership'],
    miss: ['lost', 'stolen'],
    clean: ['descal', 'limescal', 'buildup', 'residu', 'grim', 'gunk', 'mold', 'mildew'],
    payment: ['charg', 'bill', 'pay', 'paid', 'collect', 'deposit', 'upfront'],
  }).flatMap(([concept, variants]) => variants.map((v) => [v, concept])),
);

/** Tokens plus the concepts they stand for. */
function withConcepts(tokens: ReadonlySet<string>): Set<string> {
  const all = new Set(tokens);
  for (const token of tokens) {
    const concept = CONCEPTS.get(token);
    if (concept) all.add(concept);
  }
  return all;
}

/**
 * A skill's score for a text: 2 per word of its name, 1 per word of its description. Words that
 * many skills use ("order", a store's product noun) tell none of them apart and count for nothing.
 */
function skillScore(
  tokens: ReadonlySet<string>,
  skill: IndexedSkill,
  common: ReadonlySet<string>,
): number {
  let score = 0;
  for (const token of tokens) {
    if (common.has(token)) continue;
    if (skill.name.has(token)) score += 2;
    else if (skill.description.has(token)) score += 1;
  }
  return score;
}

/** Fills each skill's `ownSteps`: the words of its instructions no other skill's instructions use. */
function markOwnSteps(skills: readonly IndexedSkill[]): void {
  const counts = new Map<string, number>();
  for (const s of skills) for (const t of s.instructions) counts.set(t, (counts.get(t) ?? 0) + 1);
  for (const s of skills)
    for (const t of s.instructions) if (counts.get(t) === 1) s.ownSteps.add(t);
}

/** Words in at least a third of `documents` (and in three or more). */
function inAThirdOf(documents: readonly ReadonlySet<string>[]): Set<string> {
  const counts = new Map<string, number>();
  for (const tokens of documents) for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  const threshold = Math.max(3, documents.length / 3);
  return new Set([...counts].filter(([, n]) => n >= threshold).map(([t]) => t));
}

/** What the store's every conversation is about ("order" at a shop), by its skills and snippets. */
const everydayWords = (ctx: IndexedContext): Set<string> =>
  inAThirdOf([...ctx.skills.map((s) => s.description), ...ctx.knowledge.map((k) => k.tokens)]);

/** Words in the names or descriptions of at least a third of the skills (and of three or more). */
const commonSkillWords = (skills: readonly IndexedSkill[]): Set<string> =>
  inAThirdOf(skills.map((s) => new Set([...s.name, ...s.description])));

/** Scores of every routable skill for the texts, summed over texts (repeated asks count more). */
export function skillScores(texts: readonly string[], ctx: IndexedContext): Map<string, number> {
  const scores = new Map<string, number>();
  const tokenSets = texts.map((text) => withConcepts(contentTokens(text)));
  for (const skill of ctx.skills) {
    scores.set(
      skill.skill.id,
      tokenSets.reduce((sum, tokens) => sum + skillScore(tokens, skill, ctx.commonSkillWords), 0),
    );
  }
  return scores;
}

/** The skill that clearly scores best (strictly above every other, and above zero). */
export function clearBest(scores: ReadonlyMap<string, number>, minimum = 1): string | null {
  let best: string | null = null;
  let bestScore = 0;
  let runnerUp = 0;
  for (const [id, score] of scores) {
    if (score > bestScore) [best, bestScore, runnerUp] = [id, score, bestScore];
    else if (score > runnerUp) runnerUp = score;
  }
  return best !== null && bestScore >= minimum && bestScore > runnerUp ? best : null;
}

/**
 * The skill whose steps the agent's replies follow, when one clearly does: its name and
 * description as routing scores them, plus one point per word only its instructions use (what
 * several skills' instructions say tells none apart), summed over replies. The names of the
 * details agents ask for ("order number", "email") are left out: every skill asks for them.
 */
export function followedSkill(replies: readonly string[], ctx: IndexedContext): string | null {
  const tokenSets = replies.map((text) => {
    const tokens = withConcepts(contentTokens(text));
    for (const t of DETAIL_WORDS) tokens.delete(t);
    return tokens;
  });
  const scores = new Map<string, number>();
  for (const s of ctx.skills) {
    let score = 0;
    for (const tokens of tokenSets) {
      score += skillScore(tokens, s, ctx.commonSkillWords);
      score += overlap(tokens, s.ownSteps);
    }
    scores.set(s.skill.id, score);
  }
  return clearBest(scores, 2);
}

/** The words of the details agents ask for (see domain/detail-requests.ts). */
const DETAIL_WORDS = contentTokens(Object.values(DETAIL_NAMES).join(' '));

/**
 * The skill a conversation's shopper texts route to: the first text alone when it is decisive,
 * otherwise with the follow-ups added (a shopper who repeats the topic makes it clear).
 */
export function routeSkill(texts: readonly string[], ctx: IndexedContext): string | null {
  const [first] = texts;
  if (first === undefined) return null;
  return clearBest(skillScores([first], ctx)) ?? clearBest(skillScores(texts, ctx));
}

/** How well the best snippet covers a question. */
export interface Coverage {
  item: RulesKnowledge;
  /** Share of the question's words found in the snippet, 0..1. */
  score: number;
}

/**
 * The snippet that covers the most of the question's words (at least two, or all of one). With
 * `bySentence`, each sentence that asks something is scored on its own too, and the best of all
 * counts: in a long message the question is one sentence among greetings and context.
 */
export function bestCoverage(
  question: string,
  ctx: IndexedContext,
  options: { bySentence?: boolean } = {},
): Coverage | null {
  let best: Coverage | null = null;
  const texts = options.bySentence ? [question, ...askingSentences(question)] : [question];
  for (const text of texts) {
    const found = coverageOf(withConcepts(contentTokens(text)), ctx);
    if (found && (best === null || found.score > best.score)) best = found;
  }
  return best;
}

/**
 * The snippet an answer drew a fact from: the best-covered of its sentences of three content words
 * or more. Given what the shopper said back (`disputed`), only the sentences sharing a word with
 * it count, and half their words suffice: that is the fact in dispute. A long reply's greeting
 * and upsell dilute the whole reply's coverage; the sentence that states the fact does not.
 */
export function drawnFrom(answer: string, ctx: IndexedContext, disputed?: string): Coverage | null {
  const against = disputed === undefined ? null : contentTokens(disputed);
  let best: Coverage | null = null;
  for (const sentence of splitSentences(answer)) {
    const words = contentTokens(sentence);
    if (words.size < 3 || (against !== null && overlap(words, against) === 0)) continue;
    // An amount that only one snippet states names the source, whatever words surround it.
    const figure = quotedFigureSource(sentence, ctx);
    if (figure) return figure;
    const found = coverageOf(withConcepts(words), ctx);
    const enough = against === null ? COVERS_WELL : 0.5;
    if (found && found.score >= enough && (best === null || found.score > best.score)) {
      best = found;
    }
  }
  return best ?? quotedFigureSource(answer, ctx);
}

/** The amounts of money and percentages a text states (see `statedValues`), kind-tagged. */
function amountsOf(text: string): Set<string> {
  const values = statedValues(text);
  return new Set(
    (['money', 'percent'] as const).flatMap((kind) =>
      [...(values.get(kind) ?? [])].map((v) => `${kind}:${v}`),
    ),
  );
}

/**
 * The one snippet that states an amount the answer quotes ("envío gratis desde $999"): a price or
 * threshold read out from the knowledge names its source whatever words surround it. (Bare
 * numbers, such as years and vintages, are shared by too many snippets to say.)
 */
function quotedFigureSource(answer: string, ctx: IndexedContext): Coverage | null {
  const quoted = amountsOf(answer);
  if (quoted.size === 0) return null;
  const sources = ctx.knowledge.filter((entry) =>
    [...entry.amounts].some((amount) => quoted.has(amount)),
  );
  return sources.length === 1 && sources[0] ? { item: sources[0].item, score: 1 } : null;
}

/** Sentences of a longer message that ask something, with at least two content words. */
export function askingSentences(text: string): string[] {
  const sentences = splitSentences(text).filter((s) => s.trim() !== '');
  if (sentences.length < 2) return [];
  return sentences.filter(
    (s) =>
      (s.includes('?') ||
        /^\s*(?:how|what|when|where|why|which|who|can|could|do|does|is|are|will|would)\b/i.test(
          s,
        )) &&
      contentTokens(s).size >= 2,
  );
}

function coverageOf(tokens: ReadonlySet<string>, ctx: IndexedContext): Coverage | null {
  if (tokens.size === 0) return null;
  const needed = Math.min(2, tokens.size);
  let best: (Coverage & { named: number }) | null = null;
  for (const entry of ctx.knowledge) {
    const hits = overlap(tokens, entry.tokens);
    let score = hits / tokens.size;
    // A page whose text is not served covers a question that names every word of its title:
    // the question is about what the page is about, which is as much as can be known.
    const titled =
      entry.titleOnly.size > 0 && overlap(entry.titleOnly, tokens) === entry.titleOnly.size;
    if (titled) score = Math.max(score, COVERS_WELL);
    // Among equals, the snippet whose title names the words, not the one the API lists first.
    const named = overlap(tokens, entry.title);
    const better =
      best === null || score > best.score || (score === best.score && named > best.named);
    if ((hits >= needed || titled) && better) best = { item: entry.item, score, named };
  }
  return best && { item: best.item, score: best.score };
}

/**
 * The snippet about what the rule's fired triggers name ("charged" → a payments snippet), by the
 * same words or concepts; the one that names the most of them, and among those the one whose
 * title names them (not the order the API lists snippets in). Null when none does.
 */
export function snippetOnTriggers(match: RuleMatch, ctx: IndexedContext): RulesKnowledge | null {
  // "cheaper" fired a rule titled "Price match requests": no snippet says "cheaper", but the one
  // on what the rule is about ("Price match promise") answers it.
  return snippetOnWords(match.triggers.join(' '), ctx) ?? snippetOnWords(match.rule.title, ctx, 2);
}

/** The snippet sharing most (at least `least`) of the words of `text`, its title breaking ties. */
function snippetOnWords(text: string, ctx: IndexedContext, least = 1): RulesKnowledge | null {
  const wanted = withConcepts(contentTokens(text));
  let best: { item: RulesKnowledge; hits: number; titled: number } | null = null;
  for (const entry of ctx.knowledge) {
    const hits = overlap(wanted, entry.tokens);
    const titled = overlap(wanted, withConcepts(contentTokens(entry.item.title)));
    const better =
      best === null || hits > best.hits || (hits === best.hits && titled > best.titled);
    if (hits >= least && better) best = { item: entry.item, hits, titled };
  }
  return best?.item ?? null;
}

/**
 * The share of a question's words that the configuration uses anywhere and `item` contains: how
 * much of what the store could answer about, the snippet answers. 0 when it uses none.
 */
export function knownCoverage(question: string, item: RulesKnowledge, ctx: IndexedContext): number {
  const known = [...withConcepts(contentTokens(question))].filter((t) => ctx.vocabulary.has(t));
  const entry = ctx.knowledge.find((k) => k.item === item);
  if (known.length === 0 || entry === undefined) return 0;
  return known.filter((t) => entry.tokens.has(t)).length / known.length;
}

/** True when the rule's triggers also occur in the snippet: the knowledge answers its subject. */
export function ruleTriggersIn(match: RuleMatch, item: RulesKnowledge): boolean {
  return triggersNamedIn(match, `${item.title} ${item.content}`);
}

/** True when one of the rule's fired triggers occurs in the text (a snippet's title, say). */
export function triggersNamedIn(match: RuleMatch, text: string): boolean {
  const tokens = contentTokens(text);
  return match.triggers.some((t) => containsPhrase(text, t) || tokens.has(t));
}

/** The skill whose name and description best match a text (e.g. a snippet's), if clear. */
export function skillForText(text: string, ctx: IndexedContext): string | null {
  return clearBest(skillScores([text], ctx));
}
