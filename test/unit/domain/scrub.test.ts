import { describe, expect, it } from 'vitest';
import {
  extractShopperNames,
  findPersonalData,
  scrubPersonalData,
} from '../../../src/domain/scrub.js';

describe('scrubPersonalData', () => {
  it('replaces emails and phone numbers in a shopper message', () => {
    const text =
      'Hi, I never got my tent. Reach me at jane.doe@example.com or +1 (415) 555-0134 after 5pm.';
    const result = scrubPersonalData(text);
    expect(result.text).toBe('Hi, I never got my tent. Reach me at [email] or [phone] after 5pm.');
    expect(result.found).toEqual(['email', 'phone']);
  });

  it.each([
    ['(415) 555-0134'],
    ['415-555-0134'],
    ['415.555.0134'],
    ['4155550134'],
    ['1-800-555-0199'],
    ['+44 20 7946 0958'],
    ['+49-30-1234567'],
    ['020 7946 0958'],
    ['07700 900123'],
  ])('treats %s as a phone number', (phone) => {
    expect(scrubPersonalData(`Call ${phone} today`).text).toBe('Call [phone] today');
  });

  it('finds a short local number only where the text says it is a phone number', () => {
    expect(scrubPersonalData('text me at 555-0134 please').text).toBe('text me at [phone] please');
    expect(scrubPersonalData('Stakes weigh 200-1000 grams').found).toEqual([]);
  });

  it('leaves prices, dates, years, SKUs, sizes and short numbers alone', () => {
    const text =
      'The Ridgeline 2P tent (SKU TNT-2P-GRN) is $349.99, was $1,299.00 in 2025; ships 2026-11-02 ' +
      'or 11/02/2026 at 10:30. Returns within 30 days, sizes 10 12 14, 4 stakes, code TRAIL-2026-04.';
    expect(scrubPersonalData(text)).toEqual({ text, found: [] });
  });

  it.each([
    ['Where is order #10423?', 'Where is [order number]?'],
    ['my order 10423 never came', 'my [order number] never came'],
    ['It was order no. AB-10423.', 'It was [order number].'],
    ['order number 123456789 is late', '[order number] is late'],
    ['Order ID: 55501 shipped', '[order number] shipped'],
  ])('scrubs the order number in %j', (input, expected) => {
    expect(scrubPersonalData(input).text).toBe(expected);
  });

  it('does not read a year or a quantity after "order" as an order number', () => {
    expect(scrubPersonalData('Order 2026 gear early; order 2 tents').found).toEqual([]);
  });

  it('scrubs card-like digit runs before they can look like phones', () => {
    const text =
      'I paid with 4111 1111 1111 1111 and then 5500-0000-0000-0004 and 378282246310005.';
    const result = scrubPersonalData(text);
    expect(result.text).toBe('I paid with [card number] and then [card number] and [card number].');
    expect(result.found).toEqual(['card_number']);
  });

  it('scrubs a street address', () => {
    const result = scrubPersonalData('Ship it to 742 Evergreen Terrace, Apt 3 instead.');
    expect(result.text).toBe('Ship it to [address] instead.');
  });

  it('scrubs given names whole-word and case-insensitively, full name first', () => {
    const text = 'Jane Doe asked twice; JANE said the janel stove was fine. Doe again.';
    const result = scrubPersonalData(text, { names: ['Jane Doe'] });
    expect(result.text).toBe(
      '[name] asked twice; [name] said the janel stove was fine. [name] again.',
    );
  });

  it('does not scrub a name part that is an everyday word on its own', () => {
    const result = scrubPersonalData('You may return it. May Lee wrote in.', {
      names: ['May Lee'],
    });
    expect(result.text).toBe('You may return it. [name] wrote in.');
  });

  it('finds known order ids even without a keyword, ignoring dashes', () => {
    const result = scrubPersonalData('Refund AB-10423 and 10423-ish things', {
      orderNumbers: ['AB10423'],
    });
    expect(result.text).toBe('Refund [order number] and 10423-ish things');
  });
});

describe('findPersonalData', () => {
  it('reports kind, verbatim text and a normalized value without changing the text', () => {
    const matches = findPersonalData(
      'Email JANE.DOE@Example.com, phone +1 415 555 0134, order #AB-10423',
    );
    expect(matches.map(({ kind, text, value }) => ({ kind, text, value }))).toEqual([
      { kind: 'email', text: 'JANE.DOE@Example.com', value: 'jane.doe@example.com' },
      { kind: 'phone', text: '+1 415 555 0134', value: '4155550134' },
      { kind: 'order_number', text: 'order #AB-10423', value: 'AB10423' },
    ]);
  });

  it('normalizes the same phone number written two ways to the same value', () => {
    const [a] = findPersonalData('(415) 555-0134');
    const [b] = findPersonalData('+1.415.555.0134');
    expect(a?.value).toBe('4155550134');
    expect(b?.value).toBe(a?.value);
  });

  it('applies the filter', () => {
    const matches = findPersonalData('a@b.co and c@d.co', { filter: (m) => m.value === 'c@d.co' });
    expect(matches.map((m) => m.text)).toEqual(['c@d.co']);
  });
});

describe('extractShopperNames', () => {
  it('finds names shoppers give about themselves', () => {
    const names = extractShopperNames([
      { role: 'user', content: 'Hello, my name is Jane Doe and my tent arrived torn.' },
      { role: 'user', content: "I'm Marco, I ordered the stove last week" },
      { role: 'user', content: 'this is Priya from Boulder, following up' },
      { role: 'user', content: 'my name is li wei' },
    ]);
    expect(names).toEqual(['Jane Doe', 'Marco', 'Priya', 'li wei']);
  });

  it('finds sign-offs at the end of a user message', () => {
    expect(
      extractShopperNames([
        { role: 'user', content: 'Can you check the refund?\nThanks, Jane' },
        { role: 'user', content: 'Still waiting on the boots.\n- Tomás' },
        { role: 'user', content: 'Best regards,\nOlu Adeyemi' },
      ]),
    ).toEqual(['Jane', 'Tomás', 'Olu Adeyemi']);
  });

  it('finds the name the agent greets the shopper by', () => {
    const names = extractShopperNames([
      { role: 'agent', content: "Hi Jane, I'm sorry about the torn tent." },
      { role: 'agent', content: 'Hi there, how can I help?' },
    ]);
    expect(names).toEqual(['Jane']);
  });

  it('ignores everyday words and mid-message thanks', () => {
    const names = extractShopperNames([
      { role: 'user', content: "I'm Not happy. This is Ridiculous. I'm Looking for a refund." },
      { role: 'user', content: 'Thanks, Great. This is Urgent!' },
      { role: 'user', content: 'Thanks for the help with my order, it came today.' },
      { role: 'agent', content: 'My name is Trailhead Assistant.' },
    ]);
    expect(names).toEqual([]);
  });
});
