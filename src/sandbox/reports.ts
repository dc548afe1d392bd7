import {
  FilterSyntaxError,
  matches,
  parseDatetime,
  parseFilter,
  type Condition,
} from './filters.js';
import { invalidPointer } from './http-errors.js';
import { SKILL_REPORT_FILTER } from './operations.js';
import type { ConversationState } from './store.js';

/**
 * Reports computed from the stored conversations, so they always agree with what the
 * conversation endpoints return. A conversation belongs to a timeframe by its `created_at`
 * (start inclusive, end exclusive). Preset keys are UTC calendar periods (`today`, `this_week`
 * from Monday, `this_month`...) or rolling windows ending now (`last_7_days`, `last_30_days`,
 * `last_90_days`).
 *
 * resolution-rate = conversations `resolved-by-ai` / conversations in a final state
 * (`resolved-by-ai`, `routed-to-team` or `closed`; `open` ones are not decided yet), rounded to
 * four decimals; 0 when no conversation is final.
 */

const DAY = 86_400_000;
const FINAL = new Set(['resolved-by-ai', 'routed-to-team', 'closed']);

/** A report timeframe: a preset `key`, or `start` and `end`. */
export interface Timeframe {
  key?: string | null | undefined;
  start?: string | null | undefined;
  end?: string | null | undefined;
}

/** One row of `results`, as the spec's `ValuesData`. */
export interface ValuesRow {
  groupings: Record<string, string>;
  statistics: Record<string, number>;
}

const TIMEFRAME = '/data/attributes/timeframe';

/** The [start, end) window in epoch ms for a timeframe, relative to `now`. */
export function resolveTimeframe(timeframe: Timeframe, now: number): [number, number] {
  const { key, start, end } = timeframe;
  if (key != null) {
    if (start != null || end != null) {
      throw invalidPointer(TIMEFRAME, 'give either a preset key or start and end, not both');
    }
    return presetWindow(key, now);
  }
  if (start == null || end == null) {
    throw invalidPointer(TIMEFRAME, 'the timeframe needs a preset key, or both start and end');
  }
  const from = parseDatetime(start);
  const to = parseDatetime(end);
  if (!from) throw invalidPointer(`${TIMEFRAME}/start`, `'${start}' is not an ISO-8601 datetime`);
  if (!to) throw invalidPointer(`${TIMEFRAME}/end`, `'${end}' is not an ISO-8601 datetime`);
  if (from.getTime() >= to.getTime())
    throw invalidPointer(`${TIMEFRAME}/end`, 'end must be after start');
  return [from.getTime(), to.getTime()];
}

function presetWindow(key: string, now: number): [number, number] {
  const day = Math.floor(now / DAY) * DAY;
  const week = day - ((new Date(day).getUTCDay() + 6) % 7) * DAY;
  const date = new Date(now);
  const month = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  const nextMonth = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  const lastMonth = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - 1, 1);
  const windows: Record<string, [number, number]> = {
    today: [day, day + DAY],
    yesterday: [day - DAY, day],
    this_week: [week, week + 7 * DAY],
    last_week: [week - 7 * DAY, week],
    last_7_days: [now - 7 * DAY, now + 1],
    last_30_days: [now - 30 * DAY, now + 1],
    last_90_days: [now - 90 * DAY, now + 1],
    this_month: [month, nextMonth],
    last_month: [lastMonth, month],
  };
  const window = windows[key];
  if (!window) throw invalidPointer(`${TIMEFRAME}/key`, `'${key}' is not a timeframe key`);
  return window;
}

function inWindow(conversations: readonly ConversationState[], [start, end]: [number, number]) {
  return conversations.filter((c) => c.created_at >= start && c.created_at < end);
}

/** Rows of the values report: one overall row, or one per channel or status. */
export function valuesReport(
  conversations: readonly ConversationState[],
  request: { statistics: string[]; groupings?: string[] | undefined; timeframe: Timeframe },
  now: number,
): ValuesRow[] {
  const groupings = request.groupings ?? [];
  if (groupings.length > 1) {
    throw invalidPointer(
      '/data/attributes/groupings',
      'give at most one grouping: channel or status',
    );
  }
  if (request.statistics.length === 0) {
    throw invalidPointer('/data/attributes/statistics', 'ask for at least one statistic');
  }
  const selected = inWindow(conversations, resolveTimeframe(request.timeframe, now));
  const grouping = groupings[0] as 'channel' | 'status' | undefined;
  const buckets = new Map<string, ConversationState[]>();
  for (const c of selected) {
    const bucket = grouping ? c[grouping] : '';
    buckets.set(bucket, [...(buckets.get(bucket) ?? []), c]);
  }
  if (!grouping && buckets.size === 0) buckets.set('', []);
  return [...buckets.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([bucket, items]) => ({
      groupings: grouping ? { [grouping]: bucket } : {},
      statistics: Object.fromEntries(
        [...new Set(request.statistics)].map((s) => [
          s,
          s === 'volume' ? items.length : resolutionRate(items),
        ]),
      ),
    }));
}

/** resolved-by-ai / final conversations, four decimals (0 when none is final). */
export function resolutionRate(conversations: readonly ConversationState[]): number {
  const final = conversations.filter((c) => FINAL.has(c.status));
  if (final.length === 0) return 0;
  const resolved = final.filter((c) => c.status === 'resolved-by-ai').length;
  return Math.round((resolved / final.length) * 10_000) / 10_000;
}

/** Rows of the skill-values report: per-skill volume, counted once per conversation per skill. */
export function skillValuesReport(
  conversations: readonly ConversationState[],
  request: {
    statistics: string[];
    groupings: string[];
    timeframe: Timeframe;
    filter?: string | null | undefined;
  },
  now: number,
): ValuesRow[] {
  if (request.groupings.length !== 1) {
    throw invalidPointer(
      '/data/attributes/groupings',
      "the skill report needs exactly one grouping: 'skill'",
    );
  }
  if (request.statistics.length === 0) {
    throw invalidPointer('/data/attributes/statistics', "ask for at least one statistic: 'volume'");
  }
  const conditions = reportFilter(request.filter);
  const skillConditions = conditions.filter((c) => c.field === 'skill');
  const channelConditions = conditions.filter((c) => c.field === 'channel');
  const volume = new Map<string, number>();
  for (const c of inWindow(conversations, resolveTimeframe(request.timeframe, now))) {
    if (!channelConditions.every((cond) => matches(c.channel, cond))) continue;
    for (const skill of new Set(c.skills)) {
      if (skillConditions.every((cond) => matches(skill, cond)))
        volume.set(skill, (volume.get(skill) ?? 0) + 1);
    }
  }
  return [...volume.entries()]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([skill, count]) => ({ groupings: { skill }, statistics: { volume: count } }));
}

function reportFilter(text: string | null | undefined): Condition[] {
  if (text == null || text.trim() === '') return [];
  try {
    return parseFilter(text, SKILL_REPORT_FILTER);
  } catch (error) {
    if (!(error instanceof FilterSyntaxError)) throw error;
    throw invalidPointer('/data/attributes/filter', `Invalid filter '${text}': ${error.message}`);
  }
}
