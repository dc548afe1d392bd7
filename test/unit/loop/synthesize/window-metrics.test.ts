import { describe, expect, it } from 'vitest';
import { metricsFromReports } from '../../../../src/loop/synthesize/window-metrics.js';

describe('metricsFromReports', () => {
  const skills = [{ id: 'sk_1', names: ['order_status', 'Order status'] }];

  it('reads the report resources as the API returns them', () => {
    const values = {
      type: 'customer-agent-values-report',
      id: 'r1',
      attributes: {
        results: [{ groupings: {}, statistics: { volume: 50, 'resolution-rate': 0.7 } }],
      },
    };
    const skillValues = {
      attributes: {
        results: [
          { groupings: { skill: 'order_status' }, statistics: { volume: 12 } },
          { groupings: { skill: 'unknown_skill' }, statistics: { volume: 3 } },
        ],
      },
    };
    expect(metricsFromReports(values, skillValues, skills)).toEqual({
      resolutionRate: 0.7,
      skillVolumes: { sk_1: 12 },
    });
  });

  it('weights grouped rows by volume and scales percentages', () => {
    const values = {
      results: [
        { groupings: { channel: 'sms' }, statistics: { volume: 10, 'resolution-rate': 50 } },
        { groupings: { channel: 'email' }, statistics: { volume: 30, 'resolution-rate': 90 } },
      ],
    };
    expect(metricsFromReports(values, undefined, skills).resolutionRate).toBeCloseTo(0.8, 6);
  });

  it('tolerates missing and unknown shapes', () => {
    expect(metricsFromReports(undefined, undefined, skills)).toEqual({
      resolutionRate: null,
      skillVolumes: {},
    });
    expect(metricsFromReports('nonsense', { weird: true }, skills)).toEqual({
      resolutionRate: null,
      skillVolumes: {},
    });
    expect(
      metricsFromReports({ resolutionRate: 0.5 }, { skillVolumes: { sk_1: 4 } }, skills),
    ).toEqual({ resolutionRate: 0.5, skillVolumes: { sk_1: 4 } });
  });
});
