/**
 * A box offline for a week: the home's line is down (a TCP proxy refusing connections stands for it)
 * while the resident's devices produce a week of readings, downloaded by the gateway in several sessions
 * into its outbox. When the line comes back, everything is replayed (throttled) and lands in InfluxDB
 * once, with the measurement times the devices stamped, and flagged late where it was downloaded late.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reading } from '../../contract/index.js';
import { SimBloodPressureCuff } from '../../firmware-sim/devices/blood-pressure-cuff.js';
import { SimGlucoseMeter } from '../../firmware-sim/devices/glucose-meter.js';
import { SimThermometer } from '../../firmware-sim/devices/thermometer.js';
import { SimulatedBleAdapter } from '../../firmware-sim/sim-adapter.js';
import type { RunningGateway } from '../../gateway/main.js';
import { startTestGateway } from '../support/gateway-fixture.js';
import { defaultSeed, FIXTURE, startHubFixture, type HubFixture } from '../support/hub-fixture.js';
import { pointsOf, type PointRow } from '../support/influx-points.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const TZ = 'Europe/Copenhagen';
const DAY = 86_400_000;

describe('a week offline, then the network returns', () => {
  let fixture: HubFixture;
  let proxy: TcpProxy;
  let gateway: RunningGateway;
  let dir: { path: string; remove: () => Promise<void> };
  const stored: Reading[] = [];
  const cuff = new SimBloodPressureCuff({ address: 'c0:ff:ee:00:60:01', serial: FIXTURE.cuffSerial, timeZone: TZ });
  const thermometer = new SimThermometer({ address: 'c0:ff:ee:01:60:02', serial: 'THM-6002', timeZone: TZ });
  const meter = new SimGlucoseMeter({ address: 'c0:ff:ee:03:60:03', serial: 'GLM-6003', timeZone: TZ });

  beforeAll(async () => {
    const seed = await defaultSeed();
    const assign = (deviceId: string) => ({ deviceId, patientId: FIXTURE.patientId, from: '2020-01-01T00:00:00Z' });
    fixture = await startHubFixture({ ...seed, assignments: [...(seed.assignments ?? []), assign('sn-THM-6002'), assign('sn-GLM-6003')] });
    proxy = await startTcpProxy(fixture.hub.mqttPort, false); // the line is down from the start
    dir = await tempDir('gw-week');
    gateway = await startTestGateway(new SimulatedBleAdapter([cuff, thermometer, meter], { advertiseEveryMs: 30 }), {
      gatewayId: FIXTURE.gatewayId,
      secret: FIXTURE.gatewaySecret,
      hubUrl: proxy.url,
      dataDir: dir.path,
      timeZone: TZ,
      devices: [cuff, thermometer, meter].map((d) => ({ address: d.address })),
      batchSize: 20,
      replayRatePerS: 400,
    });
    gateway.runtime.onStored((r) => stored.push(...r));
  });

  afterAll(async () => {
    await gateway?.stop();
    await proxy?.close();
    await fixture?.close();
    await dir?.remove();
  });

  const now = Math.floor(Date.now() / 60_000) * 60_000;
  /** Measurement times spread over the past 7 days: cuff three times a day, thermometer daily, glucose twice. */
  const week = Array.from({ length: 7 }, (_, d) => {
    const day = now - (7 - d) * DAY;
    return { cuff: [day + 2 * 3600_000, day + 9 * 3600_000, day + 16 * 3600_000], thermometer: [day + 7 * 3600_000], glucose: [day + 6 * 3600_000, day + 18 * 3600_000] };
  });
  const recent = now - 5 * 60_000; // one more, taken five minutes before it was downloaded

  it('collects a week of readings into the outbox while the hub is unreachable', async () => {
    let expected = 0;
    for (const day of week) {
      // Each simulated day the devices are used, advertise, and the gateway downloads their records.
      for (const t of day.cuff) cuff.measure({ systolic: 130 + (t % 7), diastolic: 82, pulseRate: 70 }, new Date(t));
      for (const t of day.thermometer) thermometer.measure(36.7, new Date(t));
      for (const t of day.glucose) meter.measure(105, new Date(t));
      expected += day.cuff.length * 2 + day.thermometer.length + day.glucose.length;
      await waitFor(`${expected} readings in the outbox`, () => (gateway.outbox.depth === expected ? true : undefined));
    }
    cuff.measure({ systolic: 128, diastolic: 80, pulseRate: 68 }, new Date(recent));
    expected += 2;
    await waitFor('the last reading in the outbox', () => (gateway.outbox.depth === expected ? true : undefined));
    expect(gateway.link.connected).toBe(false);
    expect(await pointsOf(fixture.influx, 'blood_pressure')).toEqual([]);
    // The glucose meter was asked only for new records each time.
    expect(meter.racpRequests.length).toBe(7);
    expect(meter.sentSequences).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
  });

  it('replays everything once the network returns: all of it, once, at the right times, late where late', async () => {
    proxy.up();
    await waitFor('an empty outbox', () => (gateway.outbox.depth === 0 ? true : undefined), 60_000);
    const byKind = async (measurement: string) => pointsOf(fixture.influx, measurement);
    // Acknowledged means durable at the hub; its store may reach InfluxDB a moment later.
    const [bp, hr, temp, glucose] = await waitFor('everything in InfluxDB', async () => {
      const all = await Promise.all([byKind('blood_pressure'), byKind('heart_rate'), byKind('body_temperature'), byKind('blood_glucose')]);
      return all.flat().length === stored.length ? all : undefined;
    });
    const times = (rows: PointRow[]) => rows.map((r) => r.time).sort((a, b) => a - b);
    const cuffTimes = [...week.flatMap((d) => d.cuff), recent];
    expect(times(bp)).toEqual(cuffTimes);
    expect(times(hr)).toEqual(cuffTimes);
    expect(times(temp)).toEqual(week.flatMap((d) => d.thermometer));
    expect(times(glucose)).toEqual(week.flatMap((d) => d.glucose));

    // Every reading the gateway stored is in InfluxDB under its id, and nothing else is.
    const all = [...bp, ...hr, ...temp, ...glucose];
    expect(new Set(all.map((r) => r.reading_id))).toEqual(new Set(stored.map((r) => r.id)));
    expect(all).toHaveLength(stored.length);
    expect(all.every((r) => r.patient === FIXTURE.patientId && r.gateway === FIXTURE.gatewayId)).toBe(true);

    // Downloaded hours or days after they were taken: late. The one taken five minutes before: not late.
    const lateOf = (rows: PointRow[]) => rows.sort((a, b) => a.time - b.time).map((r) => r.late);
    expect(lateOf(bp)).toEqual([...week.flatMap((d) => d.cuff).map(() => true), false]);
    expect(temp.every((r) => r.late === true)).toBe(true);
    expect(bp.every((r) => r.clock_suspect === false)).toBe(true);
  });
});
