import { describe, expect, it } from 'vitest';
import {
  containsPhrase,
  containsWords,
  contentTokens,
  singular,
  spacedWords,
  stem,
  wholeWords,
  words,
} from '../../../src/domain/text.js';

describe('singular', () => {
  it('drops English plural endings and leaves other words alone', () => {
    expect(singular('returns')).toBe('return');
    expect(singular('policies')).toBe('policy');
    expect(singular('boxes')).toBe('box');
    expect(singular('addresses')).toBe('address');
    expect(singular('status')).toBe('status');
    expect(singular('dress')).toBe('dress');
    expect(singular('axes')).toBe('axe');
  });
});

describe('stem', () => {
  it('starts from the singular, so a plural and its singular always share a stem', () => {
    for (const word of ['returns', 'policies', 'boxes', 'axes', 'warranties', 'shipments']) {
      expect(stem(word)).toBe(stem(singular(word)));
    }
  });

  it('strips verb endings and maps the few shopper synonyms', () => {
    expect(stem('shipping')).toBe(stem('ship'));
    expect(stem('removal')).toBe(stem('removing'));
    expect(stem('renewal')).toBe(stem('renew'));
    expect(stem('returned')).toBe('return');
    expect(stem('guarantee')).toBe('warranty');
    // Shoppers leave accents out: "arrivees cassees", "societe", "envio".
    expect(stem('cassées')).toBe(stem('cassees'));
    expect(stem('société')).toBe(stem('societe'));
    expect(stem('envío')).toBe(stem('envio'));
    expect(stem('coupons')).toBe('promo');
  });

  it('reads British spellings as the American ones configurations use', () => {
    expect(stem('tyres')).toBe(stem('tire'));
    expect(stem('colour')).toBe(stem('color'));
    expect(stem('authorised')).toBe(stem('authorized'));
    // Words that only end like "-ise" keep their spelling.
    expect(stem('promise')).toBe('promis');
  });
});

describe('words and contentTokens', () => {
  it('lower-cases, drops inner apostrophes and keeps letters of any script', () => {
    expect(words("Don't ship to Zürich?")).toEqual(['dont', 'ship', 'to', 'zürich']);
  });

  it('drops the small words of the languages shoppers mix in, so they never name a topic', () => {
    expect([...contentTokens('pakitrack po yung box ko, para sa Cavite')]).toEqual([
      'pakitrack',
      'box',
      'cavit',
    ]);
    expect([...contentTokens('bonjour, est-ce que le sirop est pour vous?')]).toEqual(['sirop']);
  });

  it('keeps content words only, stemmed', () => {
    expect([...contentTokens('Can I return my boots for a refund? Order 12345')]).toEqual([
      'return',
      'boot',
      'refund',
      'order',
    ]);
  });

  it('matches phrases on whole stemmed words', () => {
    expect(containsPhrase('I want my money back, please', 'money back')).toBe(true);
    expect(containsPhrase('Is the moneyback guarantee real?', 'money back')).toBe(false);
  });
});

describe('containsWords', () => {
  it('finds a quoted trigger in any form of its words, and no synonym of it', () => {
    expect(containsWords('They want the reimbursements itemized', 'reimbursement')).toBe(true);
    expect(containsWords('When will my refund arrive?', 'reimbursement')).toBe(false);
    expect(containsWords('my tyres went flat', 'flat tire')).toBe(false);
    expect(containsWords('the tyre is flat', 'tire')).toBe(true);
  });
});

describe('words', () => {
  it('stands an elided French article apart from its noun, and keeps English contractions whole', () => {
    expect(words("L'ampoule d'origine n'est plus")).toEqual([
      'l',
      'ampoule',
      'd',
      'origine',
      'n',
      'est',
      'plus',
    ]);
    expect(words("qu'il l’a reçue")).toEqual(['qu', 'il', 'l', 'a', 'reçue']);
    expect(words("I don't think it's the store's fault")).toEqual([
      'i',
      'dont',
      'think',
      'its',
      'the',
      'stores',
      'fault',
    ]);
  });

  it('leaves the small words of French and Spanish out of content words', () => {
    expect([...contentTokens("Le prix de l'ampoule et des frais de livraison")]).toEqual([
      ...contentTokens('prix ampoule frais livraison'),
    ]);
    expect([...contentTokens('Ya tengo un pedido de una carriola')]).toEqual([
      ...contentTokens('pedido carriola'),
    ]);
    expect([...contentTokens('¿Hasta cuándo puedo facturar?')]).toEqual([
      ...contentTokens('facturar'),
    ]);
    expect([...contentTokens("Quand pouvez-vous livrer à l'entrepôt ?")]).toEqual([
      ...contentTokens('livrer entrepôt'),
    ]);
  });
});

describe('spacedWords', () => {
  it('spells out chat shorthand, so a phrase written once reads both', () => {
    expect(spacedWords('r u even reading this rn??')).toBe(' are you even reading this right now ');
    expect(spacedWords('nvm, idk ur sizes')).toBe(' never mind i dont know your sizes ');
    // Only whole words: "use", "run" and "rural" stay as they are.
    expect(spacedWords('use the rural run')).toBe(' use the rural run ');
  });
});

describe('wholeWords', () => {
  it('matches accented alternatives only as whole words, where \\b would cut at the accent', () => {
    const decease = wholeWords(/d[ée]c[èe]s|su (?:p[aá]gina|web) dice/u);
    expect(decease.test('suite au décès de ma mère')).toBe(true);
    expect(decease.test('su página dice otra cosa')).toBe(true);
    expect(decease.test('prédécès')).toBe(false);
    expect(decease.test('décèsé')).toBe(false);
    // Every alternative is bounded, not only the first and last.
    expect(wholeWords(/ab|cd|ef/u).test('xcdx')).toBe(false);
  });
});
