import { describe, expect, it } from 'vitest';
import {
  QUOTED_PHRASE,
  closestRule,
  indexRules,
  matchRule,
  ruleTriggers,
  sameOrCompound,
} from '../../../src/domain/rule-triggers.js';
import { contentTokens } from '../../../src/domain/text.js';

const phrasesOf = (description: string) => ruleTriggers({ title: 'Rule', description }).phrases;

describe('rule triggers', () => {
  it('reads phrases in straight and curly English quotes', () => {
    expect(phrasesOf('Hand off when the shopper says "lawyer" or “chargeback”.')).toEqual([
      'lawyer',
      'chargeback',
    ]);
  });

  it('reads phrases in German „…“ and French «…» quotes', () => {
    expect(phrasesOf('Übergib, sobald der Kunde „Anwalt“ oder „Klage“ schreibt.')).toEqual([
      'Anwalt',
      'Klage',
    ]);
    // With the spaces French puts inside, plain or no-break.
    expect(
      phrasesOf('Transférer dès que le client écrit « avocat » ou «\u202fmise en demeure\u202f».'),
    ).toEqual(['avocat', 'mise en demeure']);
    expect(phrasesOf('Mixed: „Rückbuchung" and «plainte» and "refund".')).toEqual([
      'Rückbuchung',
      'plainte',
      'refund',
    ]);
  });

  it('reads no phrase from apostrophes, single quotes or marks that open nothing', () => {
    for (const description of [
      "Hand off when the shopper's order is lost.",
      'Übergib bei ‚Betrug‘ an das Team.',
      'Siehe Hilfe » Rückgabe » Fristen.',
      'Transférer quand le client parle d’un avocat.',
    ]) {
      expect(phrasesOf(description), description).toEqual([]);
    }
  });

  it('fires a rule on its German or French quoted phrase only', () => {
    const rules = indexRules([
      {
        title: 'Rechtliches',
        description: 'Übergib, sobald der Kunde „Anwalt“ erwähnt.',
        status: 'enabled',
      },
      {
        title: 'Juridique',
        description: 'Transférer si le client parle d’un « avocat ».',
        status: 'enabled',
      },
    ]);
    expect(matchRule('Mein Anwalt meldet sich bei Ihnen.', rules)).toMatchObject({
      rule: { title: 'Rechtliches' },
      triggers: ['Anwalt'],
    });
    expect(matchRule('Mon avocat va vous écrire.', rules)).toMatchObject({
      rule: { title: 'Juridique' },
      triggers: ['avocat'],
    });
    // A quoted rule fires on its phrases, not on the other words of its description.
    expect(matchRule('Der Kunde erwähnt die Lieferung.', rules)).toBeNull();
  });

  it('leaves a description without its quoted phrases when they are taken out', () => {
    const text = 'Übergib bei „Anwalt“ oder « avocat » oder "lawyer" sofort.';
    expect(text.replace(QUOTED_PHRASE, ' ').replace(/\s+/g, ' ')).toBe(
      'Übergib bei oder oder sofort.',
    );
  });
});

describe('a rule read for its sense', () => {
  const rules = indexRules([
    {
      title: 'Lost or padlocked accounts',
      description: 'Hand off when a shopper says their account was "hacked".',
      status: 'enabled',
    },
    {
      title: 'Chargebacks',
      description: 'Hand off when the shopper mentions a "chargeback" with their bank.',
      status: 'enabled',
    },
  ]);

  it('joins a compound from two words of the text, not from one word that starts it', () => {
    expect(sameOrCompound('padlock', contentTokens('the pad lock icon'))).toBe(true);
    expect(sameOrCompound('chargeback', contentTokens('my charger stopped charging'))).toBe(false);
  });

  it('finds the rule by compounds only when asked to', () => {
    const text = 'my account shows a pad lock and I cannot get in';
    expect(closestRule(text, rules)?.triggers).toEqual(['account']);
    expect(closestRule(text, rules, true)?.triggers.sort()).toEqual(['account', 'padlock']);
  });
});
