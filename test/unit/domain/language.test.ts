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

  it('reads a German configuration as German, its English product names included', () => {
    expect(
      languageOf([
        'Beantwortet Fragen zu Lieferzeiten und zur Sendungsverfolgung der Pakete.',
        'Frage nach der Bestellnummer, falls sie fehlt, und nenne das Versanddatum.',
        'Übergib das Gespräch an das Team, wenn der Kunde von einem Unfall berichtet.',
      ]),
    ).toBe('de');
    expect(
      languageOf([
        'Beratung zum Bosch Performance Line CX, zum PowerTube 750 und zum Smart System.',
        'Empfiehl bei Fragen zur Reichweite den Range Extender; der Akku ist mit dem Charger for the Road kompatibel.',
        'Rückgabe innerhalb von 30 Tagen, wenn das Rad nicht gefahren wurde.',
      ]),
    ).toBe('de');
  });

  it('reads a Brazilian Portuguese configuration as Portuguese, not Spanish', () => {
    expect(
      languageOf([
        'Status do pedido, código de rastreio dos Correios, prazo de entrega e atrasos.',
        'Você informa o prazo e envia o link de rastreio. Não transfira dúvidas de frete.',
      ]),
    ).toBe('pt');
    // The same lines in Spanish stay Spanish.
    expect(
      languageOf([
        'Estado del pedido, código de seguimiento, plazo de entrega y retrasos.',
        'Usted informa el plazo y envía el enlace de seguimiento. No transfiera las dudas de envío.',
      ]),
    ).toBe('es');
  });

  it('does not read English, French or Spanish as German', () => {
    expect(
      languageOf([
        'Answers questions about the Die Hard box set and the Das Boot poster, and their shipping.',
        'Ask for the order number when the shopper has not given it.',
      ]),
    ).toBe('en');
    expect(
      languageOf([
        'Répond aux questions des clients sur le suivi des colis et les retours du magasin.',
        'Demander le numéro de commande avant de donner une date de livraison.',
      ]),
    ).toBe('fr');
    expect(
      languageOf([
        'Responde las preguntas de los clientes sobre el envío, las devoluciones y los reembolsos.',
        'Es importante pedir el número de pedido antes de dar una fecha.',
      ]),
    ).toBe('es');
  });

  it('stays English when another language only names things, and with nothing to read', () => {
    expect(
      languageOf([
        'Answers questions about the Crème de la Crème and Café del Mar collections, and their care.',
      ]),
    ).toBe('en');
    expect(
      languageOf([
        'Answers questions about the Haus der Kunst prints and the Bei Mir Bist Du Schön record, and their care.',
      ]),
    ).toBe('en');
    expect(languageOf([])).toBe('en');
    expect(languageOf(['', 'SKU-123'])).toBe('en');
  });
});
