import { describe, expect, it } from 'vitest';
import {
  rateFraction,
  reportRows,
  skillVolumes,
  summarizeValues,
} from '../../../src/domain/reports.js';

const row = (statistics: Record<string, unknown>, groupings: Record<string, unknown> = {}) => ({
  groupings,
  statistics,
});

describe('reportRows', () => {
  it('finds the rows in the resource, its document, { results } or a bare array', () => {
    const rows = [row({ volume: 1 })];
    expect(reportRows({ attributes: { results: rows } })).toEqual(rows);
    expect(reportRows({ data: { attributes: { results: rows } } })).toEqual(rows);
    expect(reportRows({ results: rows })).toEqual(rows);
    expect(reportRows(rows)).toEqual(rows);
    expect(reportRows({ results: [{ groupings: {} }, 'x', null] })).toEqual([]);
    expect(reportRows('nonsense')).toEqual([]);
  });
});

describe('rateFraction', () => {
  it('scales percentages down and clamps to [0, 1]', () => {
    expect(rateFraction(0.7)).toBe(0.7);
    expect(rateFraction(70)).toBe(0.7);
    expect(rateFraction(150)).toBe(1);
    expect(rateFraction(-0.1)).toBeNull();
    expect(rateFraction(null)).toBeNull();
  });
});

describe('summarizeValues', () => {
  it('reads the overall row', () => {
    expect(summarizeValues({ results: [row({ volume: 50, 'resolution-rate': 0.7 })] })).toEqual({
      volume: 50,
      resolutionRate: 0.7,
    });
  });

  it('weights grouped rows by volume, counting only rows that give a rate', () => {
    const data = {
      results: [
        row({ volume: 10, 'resolution-rate': 50 }, { channel: 'sms' }),
        row({ volume: 30, 'resolution-rate': 90 }, { channel: 'email' }),
        row({ volume: 60 }, { channel: 'whatsapp' }),
      ],
    };
    const summary = summarizeValues(data);
    expect(summary.volume).toBe(100);
    expect(summary.resolutionRate).toBeCloseTo(0.8, 6);
  });

  it('clamps a rate above 100% to 1', () => {
    expect(summarizeValues({ results: [row({ volume: 5, resolution_rate: 250 })] })).toEqual({
      volume: 5,
      resolutionRate: 1,
    });
  });

  it('takes a summary rate as given, and gives nulls for what it cannot read', () => {
    expect(summarizeValues({ resolutionRate: 0.5 })).toEqual({ volume: null, resolutionRate: 0.5 });
    expect(summarizeValues({ results: [row({ 'resolution-rate': 0.6 })] })).toEqual({
      volume: null,
      resolutionRate: 0.6,
    });
    // Grouped rates without volumes cannot be combined.
    expect(
      summarizeValues({ results: [row({ 'resolution-rate': 0.6 }, { channel: 'sms' })] }),
    ).toEqual({ volume: null, resolutionRate: null });
    expect(summarizeValues(undefined)).toEqual({ volume: null, resolutionRate: null });
  });
});

describe('skillVolumes', () => {
  it('sums the rows grouped by skill, or reads a summary', () => {
    const data = {
      results: [
        row({ volume: 12 }, { skill: 'order_status' }),
        row({ volume: 3 }, { skill: 'order_status' }),
        row({ volume: 4 }),
        row({}, { skill: 'returns' }),
      ],
    };
    expect(skillVolumes(data)).toEqual(new Map([['order_status', 15]]));
    expect(skillVolumes({ skillVolumes: { sk_1: 4, sk_2: 'x' } })).toEqual(new Map([['sk_1', 4]]));
  });
});
