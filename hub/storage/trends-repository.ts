/**
 * Trends: a patient's readings of one kind aggregated into time buckets inside InfluxDB
 * (InfluxQL `GROUP BY time(...)`), one value per component and bucket. Only whitelisted intervals
 * and aggregate functions reach the query text; ids and times are bound parameters.
 */
import { CATALOGUE, type VitalKind } from '../../contract/index.js';
import { META_FIELDS } from './reading-points.js';
import { quoteIdent, type InfluxV1Client } from './influx-v1.js';

/** Bucket widths offered, and their InfluxQL duration literals. */
export const TREND_INTERVALS = { '1h': { influx: '1h', ms: 3_600_000 }, '1d': { influx: '1d', ms: 86_400_000 } } as const;
export type TrendInterval = keyof typeof TREND_INTERVALS;

/** Aggregates offered, and the InfluxQL function of each (`last` is a selector: the latest value in the bucket). */
export const TREND_AGGREGATES = { mean: 'MEAN', min: 'MIN', max: 'MAX', count: 'COUNT', last: 'LAST' } as const;
export type TrendAggregate = keyof typeof TREND_AGGREGATES;

export interface TrendQuery {
  readonly patientId: string;
  readonly kind: VitalKind;
  readonly from: Date;
  readonly to: Date;
  readonly every: TrendInterval;
  readonly agg: TrendAggregate;
  /** Readings flagged implausible (outside what a living person can produce) distort a mean; left out unless asked. */
  readonly includeImplausible?: boolean;
}

export interface TrendBucket {
  /** Start of the bucket, ISO 8601 UTC. */
  readonly start: string;
  /** Aggregated value per component name; components without readings in the bucket are absent. */
  readonly values: Readonly<Record<string, number>>;
}

export interface TrendsRepository {
  trend(query: TrendQuery): Promise<TrendBucket[]>;
}

/** The InfluxQL text of a trend query (exported for tests: it must contain only whitelisted words). */
export function trendInfluxQl(query: Pick<TrendQuery, 'kind' | 'every' | 'agg' | 'includeImplausible'>): string {
  const spec = CATALOGUE[query.kind];
  const fn = TREND_AGGREGATES[query.agg];
  const interval = TREND_INTERVALS[query.every].influx;
  const fields = spec.components.map((c) => `${fn}(${quoteIdent(c.name)}) AS ${quoteIdent(c.name)}`).join(', ');
  const quality = query.includeImplausible ? '' : ` AND ${quoteIdent(META_FIELDS.implausible)} = false`;
  // fill(none): buckets without readings are left out rather than reported as null or zero.
  return `SELECT ${fields} FROM ${quoteIdent(spec.measurement)} WHERE "patient" = $patient AND time >= $from AND time < $to${quality} GROUP BY time(${interval}) fill(none)`;
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
