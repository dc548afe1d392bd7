import { describe, expect, it } from 'vitest';
import { FilterSyntaxError, matches, parseFilter } from '../../../src/sandbox/filters.js';
import { operation } from '../../../src/sandbox/operations.js';

const spec = operation('list_customer_agent_conversations_beta').query.filter ?? {};

describe('parseFilter', () => {
  it('parses the documented conversation filters, combined with commas', () => {
    const conditions = parseFilter(
      'greater-or-equal(created_at,2026-11-01T00:00:00+00:00),any(status,["open","routed-to-team"])',
      spec,
    );
    expect(conditions).toEqual([
      {
        field: 'created_at',
        operator: 'greater-or-equal',
        value: new Date('2026-11-01T00:00:00Z'),
      },
      { field: 'status', operator: 'any', value: ['open', 'routed-to-team'] },
    ]);
    expect(parseFilter("equals(status,'closed')", spec)).toEqual([
      { field: 'status', operator: 'equals', value: 'closed' },
    ]);
    expect(
      parseFilter('and(equals(status,"open"),greater-or-equal(created_at,2026-11-01))', spec),
    ).toHaveLength(2);
  });

  it.each([
    ['equals(channel,"sms")', /'channel' is not a filterable field/],
    ['less-or-equal(created_at,2026-11-01T00:00:00Z)', /operator 'less-or-equal' is not allowed/],
    ['equals(status,"lost")', /'lost' is not a valid value for 'status'/],
    ['any(status,"open")', /'any' takes a list/],
    ['greater-or-equal(created_at,2026-13-45)', /not a valid/],
    ['greater-or-equal(created_at,2026-11-01T00:00:00 00:00)', /%2B/],
    ['equals(status,"open"', /expected '\)'/],
    ['or(equals(status,"open"))', /'or' is not supported/],
    ['', /expected an operator/],
  ])('rejects %s', (text, message) => {
    expect(() => parseFilter(text, spec)).toThrow(FilterSyntaxError);
    expect(() => parseFilter(text, spec)).toThrow(message);
  });
});

describe('matches', () => {
  it('compares datetimes, equality, lists and substrings', () => {
    const [since] = parseFilter('greater-or-equal(created_at,2026-11-01T00:00:00Z)', spec);
    if (!since) throw new Error('no condition');
    expect(matches(Date.parse('2026-11-01T00:00:00Z'), since)).toBe(true);
    expect(matches(Date.parse('2026-10-31T23:59:59Z'), since)).toBe(false);
    expect(matches('open', { field: 'status', operator: 'any', value: ['open', 'closed'] })).toBe(
      true,
    );
    expect(matches('Order Lookup', { field: 'name', operator: 'contains', value: 'order' })).toBe(
      true,
    );
  });
});
