import { describe, expect, it } from 'vitest';
import { VITAL_KINDS } from '../../contract/index.js';
import { freshInfluxDatabase } from '../../test/setup/influx.js';
import type { InfluxV1Client } from './influx-v1.js';
import { createTrendsRepository, isTrendTimeZone, TREND_AGGREGATES, TREND_INTERVALS, trendInfluxQl, type TrendAggregate, type TrendInterval } from './trends-repository.js';

describe('trend InfluxQL', () => {
  it('aggregates every component of a panel in InfluxDB, by time bucket, leaving empty buckets out', () => {
    expect(trendInfluxQl({ kind: 'blood_pressure', every: '1h', agg: 'mean' })).toBe(
      'SELECT MEAN("systolic") AS "systolic", MEAN("diastolic") AS "diastolic", MEAN("meanArterialPressure") AS "meanArterialPressure" FROM "blood_pressure" WHERE "patient" = $patient AND time >= $from AND time < $to AND "implausible" = false GROUP BY time(1h) fill(none) tz(\'Europe/Copenhagen\')',
    );
  });

  it('writes a checked zone name into tz() and refuses anything that is not a plain IANA name', () => {
    expect(trendInfluxQl({ kind: 'heart_rate', every: '1d', agg: 'mean', timeZone: 'America/Argentina/Buenos_Aires' })).toMatch(/ tz\('America\/Argentina\/Buenos_Aires'\)$/);
    expect(isTrendTimeZone('Etc/GMT+1')).toBe(true);
    for (const bad of ["Europe/Copenhagen') ; DROP DATABASE x --", "Europe/Copenhagen'", 'Mars/Olympus_Mons', 'Europe/../Copenhagen', '', ' Europe/Copenhagen', 'x'.repeat(65)]) {
      expect(isTrendTimeZone(bad)).toBe(false);
      expect(() => trendInfluxQl({ kind: 'heart_rate', every: '1d', agg: 'mean', timeZone: bad })).toThrow(RangeError);
    }
  });

  it('uses only whitelisted words and bound parameters for every kind, interval and aggregate', () => {
    for (const kind of VITAL_KINDS) {
      for (const every of Object.keys(TREND_INTERVALS) as TrendInterval[]) {
        for (const agg of Object.keys(TREND_AGGREGATES) as TrendAggregate[]) {
          for (const includeImplausible of [false, true]) {
            const q = trendInfluxQl({ kind, every, agg, includeImplausible });
            expect(q).toContain(`GROUP BY time(${TREND_INTERVALS[every].influx}) fill(none) tz('Europe/Copenhagen')`);
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

/** Daily buckets in the patient's zone: Copenhagen's local days, including the 25 h and 23 h DST days. */
describe('trends in the patient time zone (real influxd)', () => {
  const point = (iso: string, value: number) => `heart_rate,patient=p-tz heartRate=${value},implausible=false ${Date.parse(iso)}`;
  const dailyMeans = async (influx: InfluxV1Client, from: string, to: string) =>
    (
      await createTrendsRepository(influx).trend({
        patientId: 'p-tz',
        kind: 'heart_rate',
        from: new Date(from),
        to: new Date(to),
        every: '1d',
        agg: 'mean',
        timeZone: 'Europe/Copenhagen',
      })
    ).map((b) => [b.start, b.values['heartRate']]);

  it('starts daily buckets at local midnight around the autumn night (25 h day holds its local day)', async () => {
    const influx = await freshInfluxDatabase('trends_tz');
    await influx.write([
      point('2026-10-24T21:30:00Z', 10), // 24 Oct 23:30 CEST
      point('2026-10-24T22:30:00Z', 20), // 25 Oct 00:30 CEST
      point('2026-10-25T22:30:00Z', 40), // 25 Oct 23:30 CET, the day's 25th hour
      point('2026-10-25T23:30:00Z', 70), // 26 Oct 00:30 CET
    ]);
    expect(await dailyMeans(influx, '2026-10-23T22:00:00Z', '2026-10-26T23:00:00Z')).toEqual([
      ['2026-10-23T22:00:00.000Z', 10],
      ['2026-10-24T22:00:00.000Z', 30],
      ['2026-10-25T23:00:00.000Z', 70],
    ]);
  });

  it('starts daily buckets at local midnight around the spring night (23 h day holds its local day)', async () => {
    const influx = await freshInfluxDatabase('trends_tz');
    await influx.write([
      point('2026-03-28T22:30:00Z', 10), // 28 Mar 23:30 CET
      point('2026-03-28T23:30:00Z', 20), // 29 Mar 00:30 CET
      point('2026-03-29T21:30:00Z', 40), // 29 Mar 23:30 CEST, the day's last hour
      point('2026-03-29T22:30:00Z', 70), // 30 Mar 00:30 CEST
    ]);
    expect(await dailyMeans(influx, '2026-03-27T23:00:00Z', '2026-03-30T22:00:00Z')).toEqual([
      ['2026-03-27T23:00:00.000Z', 10],
      ['2026-03-28T23:00:00.000Z', 30],
      ['2026-03-29T22:00:00.000Z', 70],
    ]);
  });
});
