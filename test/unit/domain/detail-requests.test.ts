import { describe, expect, it } from 'vitest';
import { givenDetails, requestedDetails } from '../../../src/domain/detail-requests.js';

describe('detail requests', () => {
  it('reads what the agent asks for, only where it asks', () => {
    expect(
      [...requestedDetails('Could you share the email you used and the order number?')].sort(),
    ).toEqual(['email', 'order']);
    expect([
      ...requestedDetails('Please reply with photos; we will look it up from your email address.'),
    ]).toEqual(['photo']);
    expect([...requestedDetails('Your order shipped today.')]).toEqual([]);
  });

  it('reads what the shopper gave: numbers, emails, attachments, parts', () => {
    expect([...givenDetails('order 88412, sam@example.com')].sort()).toEqual(['email', 'order']);
    expect([...givenDetails('Photo attached, part G is missing')].sort()).toEqual([
      'photo',
      'product',
    ]);
    expect([...givenDetails('It cost $1,249.00 in total')]).toEqual([]);
  });
});
