import { defineJob, pullReportsContract } from '../src/queue/index.js';
import { SKILL_VALUES_REPORT_KIND, VALUES_REPORT_KIND } from '../src/domain/reports.js';
import { DAY_MS } from '../src/time.js';

/**
 * Pulls the account's values report (volume, resolution rate) and per-skill volume for one window
 * and stores them as a time series: synthesis attaches them to findings, and the impact check
 * compares windows before and after a change.
 */
export const pullReportsJob = defineJob({
  ...pullReportsContract,
  async handle({ accountId, days = 1, end }, { deps, log }) {
    const client = deps.klaviyo(accountId, 'read');
    const windowEnd = end ? new Date(end) : deps.now();
    const windowStart = new Date(windowEnd.getTime() - days * DAY_MS);
    const timeframe = { start: windowStart.toISOString(), end: windowEnd.toISOString() };
    const [values, skillValues] = await Promise.all([
      client.reports.values({ statistics: ['volume', 'resolution-rate'], timeframe }),
      client.reports.skillValues({ statistics: ['volume'], groupings: ['skill'], timeframe }),
    ]);
    const window = { windowStart: timeframe.start, windowEnd: timeframe.end };
    await deps.stores.reports.put(accountId, {
      kind: VALUES_REPORT_KIND,
      ...window,
      data: { results: values.attributes.results },
    });
    await deps.stores.reports.put(accountId, {
      kind: SKILL_VALUES_REPORT_KIND,
      ...window,
      data: { results: skillValues.attributes.results },
    });
    log.info({ ...window }, 'reports stored');
    return { ...window, values: values.attributes.results };
  },
});
