/**
 * Word handling for the sandbox's deterministic agent: lower-casing, a tiny suffix stemmer and a
 * stop-word list. Deliberately simple and predictable, so that a person editing a skill
 * description or a knowledge snippet can reason about what the agent will match.
 */

const STOP_WORDS = new Set(
  (
    'a about above after again all also am an and any are as at be been before being below ' +
    'between both but by can could did do does doing done down during each few for from further ' +
    'get got had has have having he her here hers him his how i if in into is it its itself just ' +
    'let like me more most my myself no nor not now of off on once only or other our ours out ' +
    'over own please same she should so some such than that the their them then there these ' +
    'they this those through to too under until up us very was we were what when where which ' +
    'while who whom why will with would you your yours hi hello hey thanks thank im ive dont ' +
    'cant wont whats its id ill youre theres one two want need know tell much many really still ' +
    'anyone something anything able may might must shall okay ok yes yeah sure'
  ).split(' '),
);

/** Stems a lower-case word: plural and a few verb endings, nothing clever. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|us|is)$/.test(word)) return word;
  if (/(ches|shes|xes|sses)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

/** Every lower-case word of a text, in order (letters, digits and inner apostrophes). */
export function words(text: string): string[] {
  const normalized = text.toLowerCase().replace(/[’']/g, '');
  return normalized.match(/[a-z0-9]+(?:-[a-z0-9]+)*/g) ?? [];
}

/** Distinct stemmed content words (stop words removed). */
export function contentTokens(text: string): Set<string> {
  const tokens = new Set<string>();
  for (const word of words(text)) {
    for (const part of word.split('-')) {
      if (part.length < 2 || STOP_WORDS.has(part)) continue;
      tokens.add(stem(part));
    }
  }
  return tokens;
}

/** Stemmed words in order (stop words kept), for phrase matching. */
export function stemmedSequence(text: string): string[] {
  return words(text).flatMap((word) => word.split('-').map(stem));
}

/** True when `phrase` occurs in `text` as a run of whole (stemmed) words. */
export function containsPhrase(text: string, phrase: string): boolean {
  const haystack = ` ${stemmedSequence(text).join(' ')} `;
  const needle = stemmedSequence(phrase).join(' ');
  return needle.length > 0 && haystack.includes(` ${needle} `);
}

/** How many of `query`'s tokens appear in `target`. */
export function overlap(query: ReadonlySet<string>, target: ReadonlySet<string>): number {
  let count = 0;
  for (const token of query) if (target.has(token)) count += 1;
  return count;
}

/** The first sentence of a text (up to and including its end mark). */
export function firstSentence(text: string): string {
  const match = /^.*?[.!?](?=\s|$)/s.exec(text.trim());
  return match ? match[0] : text.trim();
}
