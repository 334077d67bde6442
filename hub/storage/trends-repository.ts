/**
 * Trends: a patient's readings of one kind aggregated into time buckets inside InfluxDB
 * (InfluxQL `GROUP BY time(...)`), one value per component and bucket. Buckets follow the patient's
 * local calendar (`tz(...)`): a clinician reads "daily" as the patient's days, 23 h and 25 h DST days
 * included. Only whitelisted intervals, aggregate functions and strictly checked zone names reach the
 * query text; ids and times are bound parameters.
 */
import { CATALOGUE, type VitalKind } from '../../contract/index.js';
import { DEFAULT_TREND_TIME_ZONE, isTrendTimeZone, TREND_INTERVAL_MS, type TrendAggregate, type TrendInterval } from '../../contract/trends.js';
import { META_FIELDS } from './reading-points.js';
import { quoteIdent, type InfluxV1Client } from './influx-v1.js';

export { DEFAULT_TREND_TIME_ZONE, isTrendTimeZone, type TrendAggregate, type TrendInterval } from '../../contract/trends.js';

/** Bucket widths offered (contract/trends.ts), and their InfluxQL duration literals. */
export const TREND_INTERVALS = {
  '1h': { influx: '1h', ms: TREND_INTERVAL_MS['1h'] },
  '1d': { influx: '1d', ms: TREND_INTERVAL_MS['1d'] },
} as const satisfies Record<TrendInterval, { influx: string; ms: number }>;

/** Aggregates offered (contract/trends.ts), and the InfluxQL function of each (`last` is a selector). */
export const TREND_AGGREGATES = { mean: 'MEAN', min: 'MIN', max: 'MAX', count: 'COUNT', last: 'LAST' } as const satisfies Record<TrendAggregate, string>;

export interface TrendQuery {
  readonly patientId: string;
  readonly kind: VitalKind;
  readonly from: Date;
  readonly to: Date;
  readonly every: TrendInterval;
  readonly agg: TrendAggregate;
  /** Readings flagged implausible (outside what a living person can produce) distort a mean; left out unless asked. */
  readonly includeImplausible?: boolean;
  /** IANA zone whose local midnights (and hours) bound the buckets; default Europe/Copenhagen. */
  readonly timeZone?: string;
}

export interface TrendBucket {
  /** Start of the bucket (local midnight or hour in the query's zone), ISO 8601 UTC. */
  readonly start: string;
  /** Aggregated value per component name; components without readings in the bucket are absent. */
  readonly values: Readonly<Record<string, number>>;
}

export interface TrendsRepository {
  trend(query: TrendQuery): Promise<TrendBucket[]>;
}

/** The InfluxQL text of a trend query (exported for tests: it must contain only whitelisted words). */
export function trendInfluxQl(query: Pick<TrendQuery, 'kind' | 'every' | 'agg' | 'includeImplausible' | 'timeZone'>): string {
  const timeZone = query.timeZone ?? DEFAULT_TREND_TIME_ZONE;
  // The routes validate first; this is the last line before the text, so it throws rather than trusts.
  if (!isTrendTimeZone(timeZone)) throw new RangeError('trend time zone is not a safe IANA zone name');
  const spec = CATALOGUE[query.kind];
  const fn = TREND_AGGREGATES[query.agg];
  const interval = TREND_INTERVALS[query.every].influx;
  const fields = spec.components.map((c) => `${fn}(${quoteIdent(c.name)}) AS ${quoteIdent(c.name)}`).join(', ');
  const quality = query.includeImplausible ? '' : ` AND ${quoteIdent(META_FIELDS.implausible)} = false`;
  // fill(none): buckets without readings are left out rather than reported as null or zero.
  return `SELECT ${fields} FROM ${quoteIdent(spec.measurement)} WHERE "patient" = $patient AND time >= $from AND time < $to${quality} GROUP BY time(${interval}) fill(none) tz('${timeZone}')`;
}

export function createTrendsRepository(influx: InfluxV1Client): TrendsRepository {
  return {
    async trend(query) {
      const series = await influx.query(trendInfluxQl(query), {
        patient: query.patientId,
        from: query.from.toISOString(),
        to: query.to.toISOString(),
      });
      const buckets: TrendBucket[] = [];
      for (const s of series) {
        const time = s.columns.indexOf('time');
        const components = CATALOGUE[query.kind].components.map((c) => ({ name: c.name, i: s.columns.indexOf(c.name) }));
        for (const row of s.values) {
          const values: Record<string, number> = {};
          for (const { name, i } of components) {
            const v = i >= 0 ? row[i] : null;
            if (typeof v === 'number') values[name] = v;
          }
          if (Object.keys(values).length > 0) buckets.push({ start: new Date(Number(row[time])).toISOString(), values });
        }
      }
      return buckets.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    },
  };
}
