/**
 * Word handling for every rules-based reader of text in the loop: the rules diagnoser (routing,
 * coverage, escalation triggers, topics), the rules drafter (which skill or rule a topic belongs
 * to), the replay judge (whether a reply speaks to a topic) and finding topics (`singular`).
 * Lower-casing, one small suffix stemmer, one stop-word list and a few shopper-vs-config synonyms.
 *
 * Kept independent of the sandbox's own tokenizer (src/sandbox/text.ts) on purpose: the demo is
 * used to measure these rules, so they must not share its matching code.
 */

/** Words that say nothing about what a text is about. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again all also am an and any are as at be been before being below ' +
    'between both but by can could did do does doing done down during each few for from further ' +
    'get got had has have having he her here hers him his how i if in into is it its itself just ' +
    'let like me more most my myself no nor not now of off on once only or other our ours out ' +
    'over own please same she should so some such than that the their them then there these ' +
    'they this those through to too under until up us very was we were what when where which ' +
    'while who whom why will with would you your yours hi hello hey thanks thank im ive dont ' +
    'cant wont whats id ill youre theres one two want need know tell much many really still ' +
    'anyone something anything able may might must shall okay ok yes yeah sure oh well ' +
    'question questions help wondering curious ' +
    // The same small words in the languages shoppers mix in (Spanish, French, Tagalog), so that
    // "po" or "para" never names a topic or routes a question.
    'el la los las del que en por para con es una mi su se lo al como pero muy hola gracias ' +
    'de un unos unas y o te tu yo mis sus este esta eso esa ya mas buenos buenas ' +
    'le les des du et est une pour avec mon mes je vous nous il elle ce cette qui dans sur pas ' +
    'au aux ou ne sont ont ma ta sa ses tes nos vos moi toi lui cest mais donc ' +
    'hasta desde cuando donde puede puedo pueden hice hacer quiero tengo tiene necesito ' +
    'algun alguna otro otra sobre entre sin tambien aqui asi bien todo toda todos nada cada ' +
    'ese eso quand combien pourquoi peux peut pouvez veux voudrais faire avoir etre aussi ' +
    'tres tout toute tous rien chaque encore deja juste alors comme ici quel quelle quels ' +
    'cuándo dónde también así aquí algún être très déjà où là ' +
    'bonjour merci oui po opo ko mo ang ng nang sa na yung ung nga lang naman ba pa din rin ' +
    'ako ikaw kayo nyo niyo ka si ni ito yan yun pero kasi kung pag salamat ' +
    // German (not "hat", "bin", "gift" or "man": English stores sell or say them).
    'der die das den dem des ein eine einen einem einer eines und oder aber ich du er es wir ihr ' +
    'mich mir dich dir uns euch sich mein meine meinen meinem meiner dein deine ihre ihren ' +
    'unser unsere euer eure ist sind war waren bin bist habe hab haben hatte wird werden ' +
    'wurde kann können könnte kannst muss müssen soll sollte wollte möchte nicht kein keine ' +
    'keinen noch schon auch nur mal doch ja nein bitte danke hallo servus moin liebe lieber ' +
    'viele grüße gruß freundlichen geehrte geehrter damen herren von vom zu zum zur im auf ' +
    'aus bei für mit nach über um unter vor wie wer wo wann warum wieso ob dass weil wenn ' +
    'als dann denn sehr gerne gern hier dort jetzt heute etwas alles nichts gibt geht euch ' +
    // Portuguese chat words and pronouns, as Brazilians type them. Kept short: a longer list of
    // small words ("tem", "com", "uma") moved conversations between skills in a Portuguese store.
    'vc vcs você voce vocês voces não nao já obg oi olá pq tb tbm né ne blz isso essa esse'
  ).split(' '),
);

/**
 * Words shoppers use for what configurations call by another name (as stems). Small on purpose:
 * only pairs that are the same thing in any store, so routing stays predictable.
 */
const SYNONYMS: Readonly<Record<string, string>> = {
  guarante: 'warranty',
  guaranty: 'warranty',
  swap: 'exchang',
  parcel: 'packag',
  reimburs: 'refund',
  cancell: 'cancel',
  cancellation: 'cancel',
  coupon: 'promo',
  discount: 'promo',
};

/**
 * Letter edges for any script: `\b` knows only ASCII letters, so "dé" would end a word at "é".
 * Used around alternatives written in languages with accents.
 */
export const LETTER_START = String.raw`(?<!\p{L})`;
export const LETTER_END = String.raw`(?!\p{L})`;

/** The alternatives of `pattern` (a `u` regex) matched only as whole words. */
export function wholeWords(pattern: RegExp): RegExp {
  return new RegExp(`${LETTER_START}(?:${pattern.source})${LETTER_END}`, 'u');
}

/** Simple English singular of one lower-case word: returns → return, policies → policy. */
export function singular(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(?:ches|shes|sses|xes)$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) {
    return word.slice(0, -1);
  }
  return word;
}

/** British spellings (singular) a shopper may use for what a configuration spells the American way. */
const BRITISH: Readonly<Record<string, string>> = {
  tyre: 'tire',
  colour: 'color',
  favourite: 'favorite',
  jewellery: 'jewelry',
  aluminium: 'aluminum',
  grey: 'gray',
  catalogue: 'catalog',
  centre: 'center',
  metre: 'meter',
  litre: 'liter',
  licence: 'license',
  mould: 'mold',
  programme: 'program',
  cheque: 'check',
  pyjamas: 'pajamas',
  cosy: 'cozy',
};

/** "-ise" verbs of support talk that American configurations spell "-ize". */
const BRITISH_ISE =
  /^(authori|recogni|organi|personali|customi|apologi|reali|priori|finali|itemi|categori|sanit|minimi)s(e|ed|es|ing|ation)$/;

/**
 * Stems a lower-case word: accents dropped (shoppers type "arrivees cassees" for "arrivées
 * cassées"), `singular`, then -ing/-ed/-ment and a final e, nothing clever; then the few shopper
 * synonyms ("guarantee" → warranty).
 */
export function stem(word: string): string {
  const w = formStem(word.normalize('NFD').replace(/\p{M}/gu, ''));
  return SYNONYMS[w] ?? w;
}

/** `stem` without the synonyms: one word in its forms (plural, tense, spelling), no other word. */
function formStem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  const one = singular(word);
  let w = BRITISH[one] ?? one.replace(BRITISH_ISE, '$1z$2');
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  if (w.length > 7 && w.endsWith('ment')) w = w.slice(0, -4);
  // "removal" → "remov", as "removing" is: the noun of a verb names the same thing.
  else if (w.length > 6 && w.endsWith('al')) w = w.slice(0, -2);
  // "shipp" → "ship", but "fall"/"dress" keep their double letter.
  if (/([b-df-hj-np-rtv-z])\1$/.test(w) && !/(?:ll|ss|zz)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

/**
 * A text in lower case without apostrophes: "don't" is "dont", and a French or Italian elided
 * article or pronoun stands apart from its word ("l'ampoule" is "l ampoule", "c'est" is "c est"),
 * so the noun matches where it is written alone.
 */
export function withoutApostrophes(text: string): string {
  return text
    .toLowerCase()
    .replace(/(?<!\p{L})([cdjlmnst]|qu)[’'](?=\p{L})/gu, '$1 ')
    .replace(/[’']/g, '');
}

/** Every lower-case word of a text, in order (letters and digits; see `withoutApostrophes`). */
export function words(text: string): string[] {
  return withoutApostrophes(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * Chat shorthand read as the words it stands for, so a phrase written once ("are you even
 * reading", "never mind") also reads "r u even reading" and "nvm".
 */
const SHORTHAND: Readonly<Record<string, string>> = {
  u: 'you',
  r: 'are',
  ur: 'your',
  pls: 'please',
  plz: 'please',
  rn: 'right now',
  idk: 'i dont know',
  nvm: 'never mind',
  tho: 'though',
  thx: 'thanks',
  bc: 'because',
  cuz: 'because',
  wanna: 'want to',
  gonna: 'going to',
  srsly: 'seriously',
  ppl: 'people',
  msg: 'message',
  convo: 'conversation',
  convos: 'conversations',
  // Portuguese chat shorthand ("vc", "pq", "obg", "hj"); not "tb", which is a terabyte.
  vc: 'voce',
  vcs: 'voces',
  pq: 'porque',
  obg: 'obrigado',
  vlw: 'valeu',
  hj: 'hoje',
  pfv: 'por favor',
  msm: 'mesmo',
  qdo: 'quando',
  mto: 'muito',
  ngm: 'ninguem',
  cmg: 'comigo',
  vdd: 'verdade',
  tbm: 'tambem',
};

/** A text with chat shorthand spelled out, everything else (case, punctuation) as it was. */
export function spelledOut(text: string): string {
  return text.replace(/[\p{L}\p{N}]+/gu, (word) => SHORTHAND[word.toLowerCase()] ?? word);
}

/**
 * A message as phrase patterns read it: its words (lower case, apostrophes dropped, chat
 * shorthand spelled out) joined by single spaces, with a space at each end, so punctuation and
 * line breaks do not matter.
 */
export function spacedWords(text: string): string {
  return ` ${words(text)
    .map((w) => SHORTHAND[w] ?? w)
    .join(' ')} `;
}

/** Distinct stemmed content words: stop words, single letters and digit runs removed. */
export function contentTokens(text: string): Set<string> {
  const tokens = new Set<string>();
  for (const word of words(text)) {
    if (word.length < 2 || STOP_WORDS.has(word) || /^\d+$/.test(word)) continue;
    tokens.add(stem(word));
  }
  return tokens;
}

/** How many of `query`'s tokens appear in `target`. */
export function overlap(query: ReadonlySet<string>, target: ReadonlySet<string>): number {
  let count = 0;
  for (const token of query) if (target.has(token)) count += 1;
  return count;
}

/** A text's sentences: split after ".", "!" or "?" and a space, and at line breaks. */
export function splitSentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+|\n+/);
}

/** Text on one line with single spaces (transcripts may carry email-style line breaks). */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Stemmed words in order (stop words kept), for phrase matching. */
export function stemmedSequence(text: string): string[] {
  return words(text).map(stem);
}

/**
 * True when `phrase` occurs in `text` in any of its words' forms, and only its own words: what a
 * quoted trigger ("reimbursement") fires on, where a synonym ("refund") would be a guess.
 */
export function containsWords(text: string, phrase: string): boolean {
  const needle = words(phrase).map(formStem).join(' ');
  return needle.length > 0 && ` ${words(text).map(formStem).join(' ')} `.includes(` ${needle} `);
}

/** True when `phrase` occurs in `text` as a run of whole (stemmed) words. */
export function containsPhrase(text: string, phrase: string): boolean {
  const needle = stemmedSequence(phrase).join(' ');
  return needle.length > 0 && ` ${stemmedSequence(text).join(' ')} `.includes(` ${needle} `);
}
