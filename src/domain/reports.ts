/**
 * The customer-agent reports as the loop reads them back from `stores.reports`: the reports pull
 * (jobs/pull-reports.job.ts) writes one metric point per window and kind, synthesis attaches the
 * latest to findings, and the impact check compares windows before and after an apply. The pull
 * stores `{ results }`, but older points and tests may hold the report resource, its document or
 * a summary, so the reading is tolerant: an unknown shape gives nulls, never an error.
 */

/** Metric point kind of the values report (volume, resolution rate). */
export const VALUES_REPORT_KIND = 'values';
/** Metric point kind of the skill-values report (volume grouped by skill). */
export const SKILL_VALUES_REPORT_KIND = 'skill-values';

/** One row of a report: its groupings (none for the overall row) and statistics. */
export interface ReportRow {
  groupings: Record<string, unknown>;
  statistics: Record<string, unknown>;
}

/** A values report reduced to the two numbers the loop uses. */
export interface ValuesSummary {
  /** Conversations in the window, when the report gave volumes. */
  volume: number | null;
  /** Share resolved by the agent, 0..1. */
  resolutionRate: number | null;
}

const RATE_KEYS = ['resolution-rate', 'resolution_rate', 'resolutionRate'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first finite number under one of `keys`. */
function numberIn(record: Record<string, unknown>, ...keys: string[]): number | null {
  for (const key of keys) {
    const value = record[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return null;
}

/**
 * The report rows in a stored metric point, however the pull stored them: the report resource
 * (`attributes.results`), its document (`data.attributes.results`), `{ results }` or the rows.
 * Rows without statistics are dropped.
 */
export function reportRows(data: unknown): ReportRow[] {
  let candidate: unknown = data;
  if (isRecord(candidate) && isRecord(candidate['data'])) candidate = candidate['data'];
  if (isRecord(candidate) && isRecord(candidate['attributes'])) {
    candidate = candidate['attributes'];
  }
  if (isRecord(candidate)) candidate = candidate['results'];
  if (!Array.isArray(candidate)) return [];
  return candidate.flatMap((row: unknown) =>
    isRecord(row) && isRecord(row['statistics'])
      ? [
          {
            groupings: isRecord(row['groupings']) ? row['groupings'] : {},
            statistics: row['statistics'],
          },
        ]
      : [],
  );
}

/**
 * A rate as a fraction in [0, 1]: reports that give percentages (above 1) are scaled down, and
 * anything still above 1 is clamped; a negative rate is no rate.
 */
export function rateFraction(rate: number | null): number | null {
  if (rate === null || !Number.isFinite(rate) || rate < 0) return null;
  return Math.min(1, rate > 1 ? rate / 100 : rate);
}

/**
 * The overall volume and resolution rate of a values report: a rate given directly (a summary),
 * else the overall (ungrouped) rows, else all grouped rows. The rate is weighted by volume over
 * the rows that give both; without volumes, the overall row's rate stands alone (grouped rates
 * without volumes cannot be combined, so they give none).
 */
export function summarizeValues(data: unknown): ValuesSummary {
  if (isRecord(data)) {
    const direct = numberIn(data, ...RATE_KEYS);
    if (direct !== null) {
      return { volume: numberIn(data, 'volume'), resolutionRate: rateFraction(direct) };
    }
  }
  const rows = reportRows(data);
  const overall = rows.filter((r) => Object.keys(r.groupings).length === 0);
  const used = overall.length > 0 ? overall : rows;
  let volume: number | null = null;
  let weighted = 0;
  let ratedVolume = 0;
  let unweighted: number | null = null;
  for (const row of used) {
    const count = numberIn(row.statistics, 'volume');
    const rate = rateFraction(numberIn(row.statistics, ...RATE_KEYS));
    if (count !== null) volume = (volume ?? 0) + count;
    if (rate === null) continue;
    unweighted ??= rate;
    if (count === null || count <= 0) continue;
    weighted += rate * count;
    ratedVolume += count;
  }
  if (ratedVolume > 0) return { volume, resolutionRate: weighted / ratedVolume };
  return { volume, resolutionRate: overall.length > 0 ? unweighted : null };
}

/**
 * Conversations per skill as a skill-values report names them (machine name, display name or
 * id, spelled as the report spells it): its `skillVolumes` summary, else the rows grouped by
 * `skill`. Rows without a skill or a volume are left out.
 */
export function skillVolumes(data: unknown): Map<string, number> {
  const volumes = new Map<string, number>();
  const add = (name: unknown, count: number | null) => {
    if (typeof name === 'string' && count !== null) {
      volumes.set(name, (volumes.get(name) ?? 0) + count);
    }
  };
  const summarized = isRecord(data) ? data['skillVolumes'] : undefined;
  if (isRecord(summarized)) {
    for (const [name, count] of Object.entries(summarized)) {
      add(name, typeof count === 'number' && Number.isFinite(count) ? count : null);
    }
    return volumes;
  }
  for (const row of reportRows(data)) {
    add(row.groupings['skill'], numberIn(row.statistics, 'volume'));
  }
  return volumes;
}
