import { describe, expect, it } from 'vitest';
import { languageOf } from '../../../src/domain/language.js';

describe('languageOf', () => {
  it('reads the language most of the configuration is written in', () => {
    expect(
      languageOf([
        'Answers questions about shipping times and the carriers we use.',
        'Look up the order first and give the tracking link.',
      ]),
    ).toBe('en');
    expect(
      languageOf([
        'Répond aux questions sur les délais de livraison et le suivi des colis.',
        'Vérifier la commande avant de donner une date.',
      ]),
    ).toBe('fr');
    expect(
      languageOf([
        'Responde las preguntas sobre el envío y el seguimiento de los pedidos.',
        'Pide el número de pedido si el cliente no lo ha dado.',
      ]),
    ).toBe('es');
  });

  it('stays English when another language only names things, and with nothing to read', () => {
    expect(
      languageOf([
        'Answers questions about the Crème de la Crème and Café del Mar collections, and their care.',
      ]),
    ).toBe('en');
    expect(languageOf([])).toBe('en');
    expect(languageOf(['', 'SKU-123'])).toBe('en');
  });
});
