import { containsWords, contentTokens } from './text.js';

/**
 * Which enabled escalation rule a text triggers, read from the rule's own words: the quoted
 * phrases of its description (…when a shopper says "chargeback"), else its distinctive words.
 * The rules diagnoser uses it to see a rule fire in a conversation, the rules drafter to name the
 * rule that fired on a finding's evidence.
 */

/** An escalation rule (or any guidance item) of the agent. */
export interface RulesGuidance {
  title: string;
  description: string;
  status: string;
}

/** An enabled rule indexed for matching. */
export interface IndexedRule {
  rule: RulesGuidance;
  /** Quoted trigger phrases of the description, when it has any. */
  phrases: string[];
  /** Otherwise its distinctive words. */
  tokens: Set<string>;
  /** The words of its title: what it is about. */
  titleTokens: Set<string>;
}

// Words every escalation rule uses; they say nothing about what triggers it.
const RULE_GENERIC = contentTokens(
  'shopper shoppers customer customers mention mentions mentioned ask asks asking escalate ' +
    'escalation hand handoff off team human agent whenever talk conversation rule says say word ' +
    'words send sales request requests person support immediately right away always any ' +
    'anything about regarding someone member report reports reported',
);

/**
 * Double-quoted spans of a text: an escalation rule's trigger phrases. English "…" and “…”,
 * German „…“ (its closing mark is the English opening one) and French « … » (spaces inside
 * trimmed). A phrase holds no quotation mark, so „Anwalt“ oder „Klage“ is two phrases.
 */
export const QUOTED_PHRASE = /["“„«]\s*([^"“”„«»]+?)\s*["”“»]/g;

/**
 * What fires a rule: the quoted phrases of its description, and its distinctive words (what fires
 * it when it quotes nothing).
 */
export function ruleTriggers(
  rule: Omit<RulesGuidance, 'status'>,
  everyday: ReadonlySet<string> = new Set(),
): Omit<IndexedRule, 'rule'> {
  const phrases = [...rule.description.matchAll(QUOTED_PHRASE)].flatMap((m) =>
    m[1] ? [m[1]] : [],
  );
  const tokens = contentTokens(`${rule.title} ${rule.description}`);
  for (const generic of [...RULE_GENERIC, ...everyday]) tokens.delete(generic);
  return { phrases, tokens, titleTokens: contentTokens(rule.title) };
}

/**
 * The enabled rules of `rules`, indexed for `matchRule`; words in `everyday` (what the store's
 * every conversation is about) fire no rule that quotes nothing.
 */
export function indexRules(
  rules: readonly RulesGuidance[],
  everyday?: ReadonlySet<string>,
): IndexedRule[] {
  return rules
    .filter((r) => r.status === 'enabled')
    .map((rule) => ({ rule, ...ruleTriggers(rule, everyday) }));
}

/** An enabled escalation rule a text triggers, and the words that triggered it. */
export interface RuleMatch {
  rule: RulesGuidance;
  triggers: string[];
}

/**
 * The first enabled rule whose quoted phrases occur in the text, or (for rules without quotes)
 * which shares two distinctive words with it (one, when the rule has only one).
 */
export function matchRule(text: string, rules: readonly IndexedRule[]): RuleMatch | null {
  const tokens = contentTokens(text);
  for (const entry of rules) {
    if (entry.phrases.length > 0) {
      const triggers = entry.phrases.filter((p) => containsWords(text, p));
      if (triggers.length > 0) return { rule: entry.rule, triggers };
      continue;
    }
    const triggers = [...entry.tokens].filter((t) => tokens.has(t));
    if (entry.tokens.size > 0 && triggers.length >= Math.min(2, entry.tokens.size)) {
      return { rule: entry.rule, triggers };
    }
  }
  return null;
}

/**
 * The one enabled rule that shares the most distinctive words with the text, one of them from its
 * title (what it is about): what an agent reading the rules for their sense, not their exact
 * words, would have applied. Null when no rule does, or two share as many. With `compounds`, a
 * word shared as part of a compound counts too (see `sameOrCompound`).
 */
export function closestRule(
  text: string,
  rules: readonly IndexedRule[],
  compounds = false,
): RuleMatch | null {
  const tokens = contentTokens(text);
  let best: RuleMatch | null = null;
  let tied = false;
  for (const entry of rules) {
    const triggers = [...entry.tokens].filter((t) =>
      compounds ? sameOrCompound(t, tokens) : tokens.has(t),
    );
    const aboutIt = triggers.some((t) => entry.titleTokens.has(t));
    if (!aboutIt || (best !== null && triggers.length < best.triggers.length)) continue;
    tied = best !== null && triggers.length === best.triggers.length;
    if (!tied) best = { rule: entry.rule, triggers };
  }
  return tied ? null : best;
}

/**
 * Whether a (stemmed) word is one of `tokens`, or a compound of two of them ("blocklist" from the
 * "blocked list"; not "chargeback" from "charger").
 */
export function sameOrCompound(word: string, tokens: ReadonlySet<string>): boolean {
  if (tokens.has(word)) return true;
  for (let cut = 3; cut <= word.length - 3; cut++) {
    if (tokens.has(word.slice(0, cut)) && tokens.has(word.slice(cut))) return true;
  }
  return false;
}
