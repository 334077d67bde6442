import { z } from 'zod';
import { VITAL_KINDS } from '../../../contract/index.js';
import { isTrendTimeZone, TREND_AGGREGATE_NAMES, TREND_INTERVAL_MS, type TrendInterval } from '../../../contract/trends.js';
import { fromBeforeTo, InstantIn, InstantOut, PatientParams } from '../../common-schemas.js';

/** Buckets per answer at most: 92 days hourly, or about 27 years daily. */
export const MAX_BUCKETS = 2_208;

export const TrendsParams = PatientParams;

const intervals = Object.keys(TREND_INTERVAL_MS) as [TrendInterval, ...TrendInterval[]];
const aggregates = TREND_AGGREGATE_NAMES;

export const TrendsQuery = z
  .object({
    kind: z.enum(VITAL_KINDS),
    from: InstantIn.optional().describe('ISO 8601 start (inclusive); default: 30 days before `to`'),
    to: InstantIn.optional().describe('ISO 8601 end (exclusive); default: now'),
    every: z.enum(intervals).default('1d').describe("Bucket width; buckets start at local midnights (hours) in `tz`"),
    // Checked strictly here: the zone is written into the InfluxQL text (tz() takes no bound parameter).
    tz: z
      .string()
      .max(64)
      .refine(isTrendTimeZone, 'an IANA time zone name such as Europe/Copenhagen')
      .optional()
      .describe("IANA time zone of the buckets; default: the patient's zone (Europe/Copenhagen when the record has none)"),
    agg: z.enum(aggregates).default('mean').describe('Aggregate per bucket and component'),
    includeImplausible: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true')
      .describe('Include readings flagged implausible (outside what a living person can produce)'),
  })
  .refine(...fromBeforeTo);

export const TrendsResponse = z.object({
  patientId: z.string(),
  kind: z.enum(VITAL_KINDS),
  from: InstantOut,
  to: InstantOut,
  every: z.enum(intervals),
  timeZone: z.string().describe('IANA time zone whose local days (hours) the buckets are'),
  agg: z.enum(aggregates),
  components: z.array(z.object({ name: z.string(), code: z.string().describe('LOINC'), unit: z.string().describe('UCUM') })),
  buckets: z.array(
    z.object({
      start: InstantOut.describe('Start of the bucket'),
      values: z.record(z.string(), z.number()).describe('Aggregated value per component name; absent when the bucket has none'),
    }),
  ),
});
