/**
 * Raw readings page in a stable (time, id) order through opaque cursors, also when several devices
 * measure in the same millisecond; trends are aggregated inside InfluxDB per hour or day and
 * component, leaving out implausible readings unless asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, startApiFixture, writeReadings, type ApiFixture } from '../support/api-fixture.js';

interface ReadingOut {
  id: string;
  measuredAt: string;
  deviceId: string;
  components: { name: string; value: number; unit: string; code: string }[];
}
interface Page {
  readings: ReadingOut[];
  nextCursor: string | null;
  from: string;
  to: string;
}
interface Trend {
  every: string;
  timeZone: string;
  agg: string;
  components: { name: string; code: string; unit: string }[];
  buckets: { start: string; values: Record<string, number> }[];
}

const T0 = Date.UTC(2026, 2, 1, 6, 0, 0);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('readings and trends', () => {
  let fx: ApiFixture;
  /** Expected order of the heart-rate readings: time, then id. */
  let expected: string[];
  /** Weight readings per day, as written: [dayIndex, value, implausible]. */
  const weights: [number, number, boolean][] = [];

  beforeAll(async () => {
    fx = await startApiFixture();
    // Three devices that measure in the same millisecond, several times, and one alone in between.
    const specs = [];
    for (let i = 0; i < 5; i++) {
      const at = new Date(T0 + i * 60_000);
      for (const device of ['sn-C', 'sn-A', 'sn-B']) specs.push({ kind: 'heart_rate' as const, at, values: { heartRate: 60 + i }, deviceId: device, id: `hr-${i}-${device}` });
      specs.push({ kind: 'heart_rate' as const, at: new Date(T0 + i * 60_000 + 30_000), values: { heartRate: 70 + i }, id: `hr-${i}-z-solo` });
    }
    await writeReadings(fx.influx, IDS.north1, specs);
    expected = [...specs].sort((a, b) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : 1)).map((s) => s.id);

    // Weight: four readings a day over three days, one implausible.
    const wspecs = [];
    for (let day = 0; day < 3; day++) {
      for (let h = 0; h < 4; h++) {
        const implausible = day === 1 && h === 2;
        const value = implausible ? 500 : 70 + day + h * 0.5;
        weights.push([day, value, implausible]);
        wspecs.push({ kind: 'body_weight' as const, at: new Date(Date.UTC(2026, 2, 1 + day, 6 + h * 3)), values: { weight: value }, implausible });
      }
    }
    await writeReadings(fx.influx, IDS.north1, wspecs);
  });

  afterAll(async () => {
    await fx?.close();
  });

  async function pages(order: 'asc' | 'desc', limit: number): Promise<ReadingOut[]> {
    const out: ReadingOut[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 100; i++) {
      const url: string = `/api/v1/patients/${IDS.north1}/readings?kind=heart_rate&from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z&order=${order}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await fx.app.inject({ method: 'GET', url, headers: fx.auth('clinician') });
      expect(res.statusCode).toBe(200);
      const page = res.json<Page>();
      expect(page.readings.length).toBeLessThanOrEqual(limit);
      out.push(...page.readings);
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    return out;
  }

  it.each([1, 2, 3, 4, 7, 50])('pages oldest first with limit %i: every reading once, in (time, id) order', async (limit) => {
    expect((await pages('asc', limit)).map((r) => r.id)).toEqual(expected);
  });

  it.each([2, 3])('pages newest first with limit %i', async (limit) => {
    expect((await pages('desc', limit)).map((r) => r.id)).toEqual([...expected].reverse());
  });

  it('answers ISO 8601 UTC times and coded components', async () => {
    const res = await fx.app.inject({ method: 'GET', url: `/api/v1/patients/${IDS.north1}/readings?kind=heart_rate&from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z&limit=1`, headers: fx.auth('carer') });
    const page = res.json<Page>();
    expect(page.from).toBe('2026-03-01T00:00:00.000Z');
    expect(page.readings[0]?.measuredAt).toMatch(ISO);
    expect(page.readings[0]?.components).toEqual([{ name: 'heartRate', code: '8867-4', value: 60, unit: '/min' }]);
  });

  const dayValues = (day: number, withImplausible: boolean) => weights.filter(([d, , bad]) => d === day && (withImplausible || !bad)).map(([, v]) => v);

  it.each([
    ['mean', (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length],
    ['min', (v: number[]) => Math.min(...v)],
    ['max', (v: number[]) => Math.max(...v)],
    ['count', (v: number[]) => v.length],
    ['last', (v: number[]) => v[v.length - 1]!],
  ] as const)('aggregates per day with %s inside InfluxDB, leaving out implausible readings', async (agg, f) => {
    const res = await fx.app.inject({
      method: 'GET',
      url: `/api/v1/patients/${IDS.north1}/trends?kind=body_weight&from=2026-03-01T00:00:00Z&to=2026-03-05T00:00:00Z&every=1d&agg=${agg}`,
      headers: fx.auth('clinician'),
    });
    expect(res.statusCode).toBe(200);
    const trend = res.json<Trend>();
    expect(trend.components).toEqual([{ name: 'weight', code: '29463-7', unit: agg === 'count' ? '{readings}' : 'kg' }]);
    // fill(none): the empty fourth day is not there. Days are the patient's (Europe/Copenhagen, CET): local midnight is 23:00 UTC.
    expect(trend.timeZone).toBe('Europe/Copenhagen');
    expect(trend.buckets.map((b) => b.start)).toEqual(['2026-02-28T23:00:00.000Z', '2026-03-01T23:00:00.000Z', '2026-03-02T23:00:00.000Z']);
    trend.buckets.forEach((b, day) => expect(b.values.weight).toBeCloseTo(f(dayValues(day, false)), 6));
  });

  it('buckets in the time zone asked for, and refuses a tz that is not a plain IANA name', async () => {
    const utc = await fx.app.inject({
      method: 'GET',
      url: `/api/v1/patients/${IDS.north1}/trends?kind=body_weight&from=2026-03-01T00:00:00Z&to=2026-03-04T00:00:00Z&every=1d&tz=UTC`,
      headers: fx.auth('clinician'),
    });
    expect(utc.json<Trend>().timeZone).toBe('UTC');
    expect(utc.json<Trend>().buckets.map((b) => b.start)).toEqual(['2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z']);
    for (const tz of ["Europe/Copenhagen')", 'Mars/Olympus_Mons']) {
      const bad = await fx.app.inject({
        method: 'GET',
        url: `/api/v1/patients/${IDS.north1}/trends?kind=body_weight&tz=${encodeURIComponent(tz)}`,
        headers: fx.auth('clinician'),
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'RPM_ERR_VALIDATION' });
    }
  });

  it("buckets in the zone of the patient's record", async () => {
    await fx.registry.createPatient({ id: 'p-ny', careTeamId: IDS.north, displayName: 'Nowak, Ny', timeZone: 'America/New_York' });
    // 23:30 local on 1 March (EST, UTC-5) and 00:30 local on 2 March: two New York days.
    await writeReadings(fx.influx, 'p-ny', [
      { kind: 'body_weight', at: new Date('2026-03-02T04:30:00Z'), values: { weight: 80 } },
      { kind: 'body_weight', at: new Date('2026-03-02T05:30:00Z'), values: { weight: 82 } },
    ]);
    const res = await fx.app.inject({
      method: 'GET',
      url: '/api/v1/patients/p-ny/trends?kind=body_weight&from=2026-03-01T05:00:00Z&to=2026-03-03T05:00:00Z&every=1d',
      headers: fx.auth('clinician'),
    });
    expect(res.json<Trend>().timeZone).toBe('America/New_York');
    expect(res.json<Trend>().buckets).toEqual([
      { start: '2026-03-01T05:00:00.000Z', values: { weight: 80 } },
      { start: '2026-03-02T05:00:00.000Z', values: { weight: 82 } },
    ]);
  });

  it('includes implausible readings when asked', async () => {
    const res = await fx.app.inject({
      method: 'GET',
      url: `/api/v1/patients/${IDS.north1}/trends?kind=body_weight&from=2026-03-01T00:00:00Z&to=2026-03-04T00:00:00Z&every=1d&agg=max&includeImplausible=true`,
      headers: fx.auth('clinician'),
    });
    expect(res.json<Trend>().buckets[1]?.values.weight).toBe(Math.max(...dayValues(1, true)));
  });

  it('aggregates per hour and per component of a panel', async () => {
    await writeReadings(fx.influx, IDS.north2, [
      { kind: 'blood_pressure', at: new Date('2026-03-01T08:05:00Z'), values: { systolic: 140, diastolic: 90 } },
      { kind: 'blood_pressure', at: new Date('2026-03-01T08:35:00Z'), values: { systolic: 120, diastolic: 80, meanArterialPressure: 93 } },
      { kind: 'blood_pressure', at: new Date('2026-03-01T10:10:00Z'), values: { systolic: 150, diastolic: 95 } },
    ]);
    const res = await fx.app.inject({
      method: 'GET',
      url: `/api/v1/patients/${IDS.north2}/trends?kind=blood_pressure&from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z&every=1h&agg=mean`,
      headers: fx.auth('clinician'),
    });
    expect(res.json<Trend>().buckets).toEqual([
      { start: '2026-03-01T08:00:00.000Z', values: { systolic: 130, diastolic: 85, meanArterialPressure: 93 } },
      { start: '2026-03-01T10:00:00.000Z', values: { systolic: 150, diastolic: 95 } },
    ]);
  });

  it('serves a 90-day hourly trend (the dashboard default) and refuses more buckets than it allows', async () => {
    const ok = await fx.app.inject({
      method: 'GET',
      url: `/api/v1/patients/${IDS.north1}/trends?kind=heart_rate&from=2026-01-01T00:00:00Z&to=2026-04-01T00:00:00Z&every=1h&agg=count`,
      headers: fx.auth('clinician'),
    });
    expect(ok.statusCode).toBe(200);
    // All twenty heart-rate readings were measured between 06:00 and 06:05 on 1 March.
    expect(ok.json<Trend>().buckets).toEqual([{ start: '2026-03-01T06:00:00.000Z', values: { heartRate: expected.length } }]);
    const tooMany = await fx.app.inject({
      method: 'GET',
      url: `/api/v1/patients/${IDS.north1}/trends?kind=heart_rate&from=2026-01-01T00:00:00Z&to=2026-04-04T00:00:00Z&every=1h`,
      headers: fx.auth('clinician'),
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json()).toMatchObject({ code: 'RPM_ERR_VALIDATION', errors: [{ path: 'querystring.from' }] });
  });
});
