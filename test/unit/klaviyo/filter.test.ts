import { describe, expect, it } from 'vitest';
import { filter, Filter, RequestValidationError } from '../../../src/klaviyo/index.js';
import { filterToString } from '../../../src/klaviyo/filter.js';

describe('filter builder', () => {
  it('joins conditions with commas (AND), datetimes unquoted and strings quoted', () => {
    const built = filter()
      .greaterOrEqual('created_at', new Date('2026-07-01T00:00:00.000Z'))
      .equals('status', 'routed-to-team')
      .build();
    expect(built).toBe(
      'greater-or-equal(created_at,2026-07-01T00:00:00+00:00),equals(status,"routed-to-team")',
    );
  });

  it('writes any() lists of quoted strings', () => {
    expect(filter().anyOf('status', ['open', 'resolved-by-ai']).build()).toBe(
      'any(status,["open","resolved-by-ai"])',
    );
    expect(filter().anyOf('skill', ['sk_1']).toString()).toBe('any(skill,["sk_1"])');
  });

  it('keeps ISO datetime strings unquoted and milliseconds when present', () => {
    expect(filter().greaterOrEqual('created_at', '2026-01-02T03:04:05+00:00').build()).toBe(
      'greater-or-equal(created_at,2026-01-02T03:04:05+00:00)',
    );
    expect(filter().lessOrEqual('updated_at', new Date('2026-01-02T03:04:05.250Z')).build()).toBe(
      'less-or-equal(updated_at,2026-01-02T03:04:05.250+00:00)',
    );
  });

  it('escapes quotes and backslashes, leaves numbers, booleans and null bare', () => {
    expect(filter().contains('name', 'say "hi" \\o/').build()).toBe(
      'contains(name,"say \\"hi\\" \\\\o/")',
    );
    expect(filter().equals('n', 3).equals('b', false).equals('x', null).build()).toBe(
      'equals(n,3),equals(b,false),equals(x,null)',
    );
  });

  it('is immutable', () => {
    const base = filter().equals('status', 'open');
    const more = base.equals('channel', 'sms');
    expect(base.build()).toBe('equals(status,"open")');
    expect(more.build()).toBe('equals(status,"open"),equals(channel,"sms")');
  });

  it('rejects bad field names, empty any() lists and invalid dates', () => {
    expect(() => filter().equals('status) or (x', 'y')).toThrow(RequestValidationError);
    expect(() => filter().anyOf('status', [])).toThrow(RequestValidationError);
    expect(() => filter().greaterOrEqual('created_at', new Date('nope'))).toThrow(
      RequestValidationError,
    );
  });

  it('accepts a raw string or a builder where a filter is expected', () => {
    expect(filterToString('equals(status,"open")')).toBe('equals(status,"open")');
    expect(filterToString(new Filter())).toBeUndefined();
    expect(filterToString(undefined)).toBeUndefined();
  });
});
