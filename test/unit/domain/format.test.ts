import { describe, expect, it } from 'vitest';
import { percent, roundTo } from '../../../src/domain/format.js';

describe('percent', () => {
  it('shows one decimal by default', () => {
    expect(percent(0.153)).toBe('15.3%');
    expect(percent(0.1)).toBe('10.0%');
    expect(percent(0)).toBe('0.0%');
  });

  it('rounds to the digits asked for', () => {
    expect(percent(0.6, { digits: 0 })).toBe('60%');
    expect(percent(0.125, { digits: 0 })).toBe('13%');
    expect(percent(0.12345, { digits: 2 })).toBe('12.35%');
  });

  it('drops trailing zeros when asked', () => {
    expect(percent(0.7, { trim: true })).toBe('70%');
    expect(percent(0.555, { trim: true })).toBe('55.5%');
    expect(percent(0.05, { trim: true })).toBe('5%');
  });
});

describe('roundTo', () => {
  it('rounds to the decimals asked for', () => {
    expect(roundTo(0.123456, 4)).toBe(0.1235);
    expect(roundTo(0.5555, 3)).toBe(0.556);
    expect(roundTo(0.7, 2)).toBe(0.7);
  });
});
