import { describe, expect, it } from 'vitest';
import { codesIn, givenDetails, requestedDetails } from '../../../src/domain/detail-requests.js';

describe('detail requests', () => {
  it('reads what the agent asks for, only where it asks', () => {
    expect(
      [...requestedDetails('Could you share the email you used and the order number?')].sort(),
    ).toEqual(['email', 'order']);
    expect([
      ...requestedDetails('Please reply with photos; we will look it up from your email address.'),
    ]).toEqual(['photo']);
    expect([...requestedDetails('Your order shipped today.')]).toEqual([]);
    // Imperatives ask too: "Reply with your order number", "Please also send a photo".
    expect([...requestedDetails('Sorry! Reply with your order number and I will look.')]).toEqual([
      'order',
    ]);
    expect([...requestedDetails('Thanks. Please also send a photo of the box.')]).toEqual([
      'photo',
    ]);
    expect([...requestedDetails('Share the photos with friends and tag us!')]).toEqual([]);
  });

  it('reads what the shopper gave: numbers, emails, attachments, parts', () => {
    expect([...givenDetails('order 88412, sam@example.com')].sort()).toEqual([
      'email',
      'order',
      'reference',
    ]);
    expect([...givenDetails('Photo attached, part G is missing')].sort()).toEqual([
      'photo',
      'product',
    ]);
    expect([...givenDetails('It cost $1,249.00 in total')]).toEqual([]);
    // A postcode named as such is an address detail, not an order number.
    expect(givenDetails('need to book assembly. zip 30307').has('order')).toBe(false);
    expect(givenDetails('postcode: EX4 6PX please').has('order')).toBe(false);
    // A code that ends a sentence is given all the same; a decimal is no code.
    expect(givenDetails('It was order GS2603318.').has('order')).toBe(true);
    expect(givenDetails('The part measured 1250.75 mm').has('order')).toBe(false);
  });

  it('lists the codes a message gives, spelled without # or dashes, years left out', () => {
    expect([...codesIn('order #204694. Serial MG75-20931, bought in 2025')].sort()).toEqual([
      '204694',
      'MG7520931',
    ]);
  });

  it('reads booking, claim and serial numbers, and sizes, asked for and given', () => {
    expect([...requestedDetails("I'll just need your booking reference and the name.")]).toEqual([
      'reference',
    ]);
    expect([...requestedDetails('Could you share your booking reference number?')]).toEqual([
      'reference',
    ]);
    expect([...requestedDetails('What size do you usually wear?')]).toEqual(['size']);
    // Registries, rentals, vouchers and loyalty accounts are numbered like bookings.
    for (const noun of ['registry', 'rental', 'voucher', 'gift card', 'loyalty']) {
      expect([...requestedDetails(`Can you tell me the ${noun} number?`)], noun).toEqual([
        'reference',
      ]);
    }
    expect([...givenDetails('my claim is WS-2284, the handle broke again')]).toContain('reference');
    expect([...givenDetails('I wear a size 10 normally')]).toEqual(['size']);
    // Dates are not read: a rescheduling shopper gives the old one and is asked for the new one.
    expect([...requestedDetails('What date would you like instead?')]).toEqual([]);
  });

  it('reads the details asked for in Spanish and French questions', () => {
    expect([...requestedDetails('¡Claro! ¿Me compartes tu número de pedido?')]).toEqual(['order']);
    expect([...requestedDetails('¿Qué artículo quieres cambiar?')]).toEqual(['product']);
    expect(
      [...requestedDetails('Pouvez-vous m’envoyer une photo et votre numéro de commande ?')].sort(),
    ).toEqual(['order', 'photo']);
    expect([...requestedDetails('¿A qué correo te mando la guía?')]).toEqual(['email']);
    // A model of something else the shopper owns is no product they already named.
    expect([...requestedDetails('Quel modèle d’enceinte avez-vous ?')]).toEqual([]);
    expect([...requestedDetails('Tu pedido sale mañana.')]).toEqual([]);
  });

  it('reads the details asked for in German, in questions and in requests', () => {
    const asked = (text: string) => [...requestedDetails(text)].sort();
    expect(asked('Können Sie mir Ihre Bestellnummer nennen?')).toEqual(['order']);
    expect(asked('Wie lautet die Auftragsnummer oder Rechnungsnummer?')).toEqual(['order']);
    expect(asked('Unter welcher Telefonnummer oder Handynummer erreichen wir dich?')).toEqual([
      'phone',
    ]);
    expect(asked('Magst du mir deine E-Mail-Adresse schicken?')).toEqual(['email']);
    expect(asked('An welche Lieferadresse soll das Paket gehen?')).toEqual(['address']);
    expect(asked('Ist das noch Ihre Adresse?')).toEqual(['address']);
    expect(asked('Welche Größe trägst du normalerweise?')).toEqual(['size']);
    expect(asked('Und welche Rahmengröße hat dein Rad?')).toEqual(['size']);
    expect(asked('Wie lautet die Seriennummer oder die Rahmennummer?')).toEqual(['reference']);
    expect(asked('Hast du deine Kundennummer zur Hand?')).toEqual(['reference']);
    expect(asked('Hast du ein Foto oder ein Bild vom Schaden?')).toEqual(['photo']);
    expect(asked('Kannst du mir die Fotos schicken?')).toEqual(['photo']);
    // Requests that end in a full stop ask too; the object ends where the agent says what follows.
    expect(asked('Bitte senden Sie uns ein Foto vom Typenschild.')).toEqual(['photo']);
    expect(asked('Schick mir bitte deine Bestellnummer und ein paar Bilder.')).toEqual([
      'order',
      'photo',
    ]);
    expect(asked('Teilen Sie mir bitte Ihre Bestellnummer mit.')).toEqual(['order']);
    expect(asked('Dafür brauche ich noch Ihre Kundennummer.')).toEqual(['reference']);
    expect(asked('Bitte schicken Sie uns ein Foto, damit wir die Bestellnummer prüfen.')).toEqual([
      'photo',
    ]);
    // Dates and names are not read, as in English.
    expect(asked('Welches Datum passt Ihnen für den Termin?')).toEqual([]);
    expect(asked('Auf welchen Namen läuft die Bestellung?')).toEqual([]);
  });

  it('reads German lookalikes as asking for nothing', () => {
    for (const text of [
      // Statements about a detail, not requests for it.
      'Ihre Bestellnummer lautet RS-12345.',
      'Wir haben die Rechnung an Ihre E-Mail-Adresse geschickt.',
      'Bitte beachten Sie, dass die Bestellnummer auf der Rechnung steht.',
      'Wir senden Ihnen ein neues Foto vom Ersatzteil.',
      // Words that contain a detail's name but are another thing.
      'Möchten Sie unsere Größentabelle sehen?',
      'Sollen wir Sie telefonisch kontaktieren?',
      'Welches Handy nutzen Sie für die App?',
      'Ist der Rahmen beschädigt?',
      'Ist das eine Frage zur Fotografie?',
      'Meinst du die IP-Adresse des Routers?',
    ]) {
      expect([...requestedDetails(text)], text).toEqual([]);
    }
    // A French postal address is an address, an e-mail address is not.
    expect([...requestedDetails('Quelle est votre adresse e-mail ?')]).toEqual(['email']);
  });

  it('reads a German shopper giving an order number', () => {
    expect(givenDetails('RS-12345').has('order')).toBe(true);
    expect(givenDetails('meine Bestellnummer ist 4711').has('order')).toBe(true);
    expect(givenDetails('Bestellung vom 12.03., bezahlt mit 49,90 €').has('order')).toBe(false);
  });
});
