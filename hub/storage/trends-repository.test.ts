import { describe, expect, it } from 'vitest';
import { VITAL_KINDS } from '../../contract/index.js';
import { TREND_AGGREGATES, TREND_INTERVALS, trendInfluxQl, type TrendAggregate, type TrendInterval } from './trends-repository.js';

describe('trend InfluxQL', () => {
  it('aggregates every component of a panel in InfluxDB, by time bucket, leaving empty buckets out', () => {
    expect(trendInfluxQl({ kind: 'blood_pressure', every: '1h', agg: 'mean' })).toBe(
      'SELECT MEAN("systolic") AS "systolic", MEAN("diastolic") AS "diastolic", MEAN("meanArterialPressure") AS "meanArterialPressure" FROM "blood_pressure" WHERE "patient" = $patient AND time >= $from AND time < $to AND "implausible" = false GROUP BY time(1h) fill(none)',
    );
  });

  it('uses only whitelisted words and bound parameters for every kind, interval and aggregate', () => {
    for (const kind of VITAL_KINDS) {
      for (const every of Object.keys(TREND_INTERVALS) as TrendInterval[]) {
        for (const agg of Object.keys(TREND_AGGREGATES) as TrendAggregate[]) {
          for (const includeImplausible of [false, true]) {
            const q = trendInfluxQl({ kind, every, agg, includeImplausible });
            expect(q).toContain(`GROUP BY time(${TREND_INTERVALS[every].influx}) fill(none)`);
            expect(q).toContain(`${TREND_AGGREGATES[agg]}(`);
            expect(q).toContain('"patient" = $patient AND time >= $from AND time < $to');
            expect(q.includes('"implausible" = false')).toBe(!includeImplausible);
            expect(q).not.toMatch(/;|--/);
          }
        }
      }
    }
  });
});
