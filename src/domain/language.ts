import { words } from './text.js';

/**
 * The language a store's configuration is written in, so that what the loop drafts into it (a
 * rule's exception, a skill's line, a snippet) reads like the rest of it. English, French and
 * Spanish: the languages the drafter has wording for (src/domain/wording.ts).
 */

export const LANGUAGES = ['en', 'fr', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

// Small words each language uses in every paragraph and the other two do not (so not "la",
// "que", "en", "de", "un" or "no", which two of them share).
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
};

/**
 * The language most of `texts` is written in: the one whose marker words come up most, English
 * unless another has clearly more (a French store's English product names do not make it English).
 */
export function languageOf(texts: readonly string[]): Language {
  const counts: Record<Language, number> = { en: 0, fr: 0, es: 0 };
  for (const text of texts) {
    for (const word of words(text)) {
      for (const language of LANGUAGES) if (MARKERS[language].has(word)) counts[language] += 1;
    }
  }
  const best: Language = counts.fr >= counts.es ? 'fr' : 'es';
  const other = best === 'fr' ? counts.es : counts.fr;
  return counts[best] > counts.en * 1.5 && counts[best] > other ? best : 'en';
}
