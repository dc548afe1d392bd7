import { words } from './text.js';

/**
 * The language a store's configuration is written in, so that what the loop drafts into it (a
 * rule's exception, a skill's line, a snippet) reads like the rest of it. English, French, Spanish,
 * German and (Brazilian) Portuguese: the languages the drafter has wording for
 * (src/domain/wording.ts).
 */

export const LANGUAGES = ['en', 'fr', 'es', 'de', 'pt'] as const;
export type Language = (typeof LANGUAGES)[number];

// Small words each language uses in every paragraph and the others do not (so not "la", "que",
// "en", "de", "un" or "no", which two of them share; nor German "des", "du" and "es", which French
// or Spanish has too, "in", "so", "was", "am" and "an", which English has, or "im", which is
// English "I'm" once its apostrophe is gone). Portuguese, which shares most small words with
// Spanish, is told apart by those it spells its own way ("não", "você", "uma", "na", "ao", "pelo",
// "também"): not "o", "para", "por", "como", "ser", "este" or "esta" (Spanish), "ou" and "foi"
// (French), "do" and "as" (English), "um" and "das" (German), "e" (of "e-mail"), "com" (counted
// apart, see below), nor "os", "da", "dos" and "mas", which Spanish writes too (the last for "más" when its
// accent is dropped). Accents are part of a word: "está" is not "esta".
const MARKERS: Record<Language, ReadonlySet<string>> = {
  en: new Set(
    'the and to of is for you your with are it this that we our be or when they their from'.split(
      ' ',
    ),
  ),
  fr: new Set(
    'le les des du et est une pour avec vous votre vos nous notre dans sur pas qui au aux sont ce cette ou'.split(
      ' ',
    ),
  ),
  es: new Set(
    'el los las del y es una para con usted su sus nuestro nuestra por al son este esta pero cuando'.split(
      ' ',
    ),
  ),
  de: new Set(
    'der die das den dem und ist sind nicht mit für auf ein eine einen einem einer sie ihr ihre wir unser unsere bei oder auch wenn zu zum zur vom von nach sich wird werden dass'.split(
      ' ',
    ),
  ),
  pt: new Set(
    'não você vocês é são uma umas na nas ao aos à às pelo pela pelos pelas seu sua seus suas nosso nossa nossos nossas também quando em isso isto essa esse ele ela eles elas já até após nem'.split(
      ' ',
    ),
  ),
};

/**
 * Portuguese spellings no other of these languages has: the nasal "ã" and "õ" ("cartão",
 * "devoluções"), "ç" before a final vowel ("preço", "peças": French has "ça", "reçu" and "leçon"),
 * "lh" and "nh" before one ("trabalho", "minha": Spanish writes "ll" and "ñ"), and
 * "obrigado"/"obrigada". Unlike a small word, none is ever Spanish, so each counts twice: Portuguese
 * text outweighs the Spanish small words it has too ("para", "por", "este").
 */
const PORTUGUESE_SPELLING =
  /[ãõ]|\p{L}ç(?:a|as|o|os)$|\p{L}(?:lh|nh)(?:a|as|o|os|e|es)$|^obrigad[ao]s?$/u;

/** Portuguese "com" ("with"), but not the "com" of an address ("loja.com.br", "@gmail.com"). */
const PORTUGUESE_COM = /(?<![\p{L}\p{N}.@/-])com(?![\p{L}\p{N}.])/giu;

/** The languages other than English, which a text must show clearly to be read as one of them. */
const OTHERS = LANGUAGES.filter((language) => language !== 'en');

/**
 * The language most of `texts` is written in: the one whose marker words come up most, English
 * unless another has clearly more (a French store's English product names do not make it English)
 * and more than any third one.
 */
export function languageOf(texts: readonly string[]): Language {
  const counts = Object.fromEntries(LANGUAGES.map((language) => [language, 0])) as Record<
    Language,
    number
  >;
  for (const text of texts) {
    for (const word of words(text)) {
      for (const language of LANGUAGES) if (MARKERS[language].has(word)) counts[language] += 1;
      if (!MARKERS.pt.has(word) && PORTUGUESE_SPELLING.test(word)) counts.pt += 2;
    }
    counts.pt += text.match(PORTUGUESE_COM)?.length ?? 0;
  }
  const [best, ...rest] = [...OTHERS].sort((a, b) => counts[b] - counts[a]);
  if (best === undefined) return 'en';
  const clear = rest.every((other) => counts[best] > counts[other]);
  return clear && counts[best] > counts.en * 1.5 ? best : 'en';
}
