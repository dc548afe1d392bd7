import { z } from 'zod';
import { Filter } from '../filter.js';
import { plainResourceSchema } from './common.js';

export const TIMEFRAME_KEYS = [
  'today',
  'yesterday',
  'this_week',
  'last_week',
  'last_7_days',
  'last_30_days',
  'last_90_days',
  'this_month',
  'last_month',
] as const;

const IsoDateTime = z.iso.datetime({ offset: true });

/** A preset `key`, or `start` (inclusive) and `end` (exclusive) ISO-8601 datetimes. */
export const ReportTimeframeSchema = z
  .strictObject({
    key: z.enum(TIMEFRAME_KEYS).nullish(),
    start: IsoDateTime.nullish(),
    end: IsoDateTime.nullish(),
  })
  .refine((t) => (t.key != null) !== (t.start != null || t.end != null), {
    error: 'give either a preset key or start and end, not both and not neither',
  })
  .refine((t) => (t.start == null) === (t.end == null), {
    error: 'start and end go together',
  })
  .refine((t) => t.start == null || t.end == null || Date.parse(t.start) < Date.parse(t.end), {
    error: 'start must be before end (end is exclusive)',
  });
export type ReportTimeframe = z.input<typeof ReportTimeframeSchema>;

export const ValuesReportQuerySchema = z.strictObject({
  statistics: z.array(z.enum(['volume', 'resolution-rate'])).min(1),
  timeframe: ReportTimeframeSchema,
  /** Exactly one of `channel` or `status`, or none for one overall row. */
  groupings: z
    .array(z.enum(['channel', 'status']))
    .max(1)
    .optional(),
});
export type ValuesReportQuery = z.input<typeof ValuesReportQuerySchema>;

export const SkillValuesReportQuerySchema = z.strictObject({
  statistics: z.array(z.literal('volume')).min(1),
  timeframe: ReportTimeframeSchema,
  /** Required by the API and always `['skill']`; filled in when omitted. */
  groupings: z.tuple([z.literal('skill')]).default(['skill']),
  /** Klaviyo filter syntax, e.g. `any(skill,["sk_1"])` or `any(channel,["sms"])`. */
  filter: z.union([z.string().min(1), z.instanceof(Filter).transform((f) => f.build())]).nullish(),
});
export type SkillValuesReportQuery = z.input<typeof SkillValuesReportQuerySchema>;

/** One row: the bucket's grouping values and the requested statistics. */
export const ValuesRowSchema = z.looseObject({
  groupings: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  statistics: z.record(z.string(), z.number().nullable()),
});
export type ValuesRow = z.infer<typeof ValuesRowSchema>;

const ResultsSchema = z.looseObject({ results: z.array(ValuesRowSchema) });

export const ValuesReportSchema = plainResourceSchema(
  'customer-agent-values-report',
  ResultsSchema,
);
export type ValuesReport = z.infer<typeof ValuesReportSchema>;

export const SkillValuesReportSchema = plainResourceSchema(
  'customer-agent-skill-values-report',
  ResultsSchema,
);
export type SkillValuesReport = z.infer<typeof SkillValuesReportSchema>;
