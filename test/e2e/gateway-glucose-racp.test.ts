/**
 * A glucose meter holds 10 records; the gateway fetched 6 of them before (and was restarted since):
 * only the 4 new ones are requested and received, checked on the RACP request bytes the simulated
 * meter received, and all 10 end up in InfluxDB exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimGlucoseMeter } from '../../firmware-sim/devices/glucose-meter.js';
import { SimulatedBleAdapter } from '../../firmware-sim/sim-adapter.js';
import type { RunningGateway } from '../../gateway/main.js';
import { startTestGateway } from '../support/gateway-fixture.js';
import { defaultSeed, FIXTURE, startHubFixture, type HubFixture } from '../support/hub-fixture.js';
import { pointsOf } from '../support/influx-points.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const TZ = 'Europe/Stockholm';
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('glucose meter through the hub: RACP fetches only new records', () => {
  let fixture: HubFixture;
  let gateway: RunningGateway | undefined;
  let dir: { path: string; remove: () => Promise<void> };
  const meter = new SimGlucoseMeter({ address: 'c0:ff:ee:03:50:01', serial: 'GLM-5001', timeZone: TZ });
  const start = () =>
    startTestGateway(new SimulatedBleAdapter([meter], { advertiseEveryMs: 50 }), {
      gatewayId: FIXTURE.gatewayId,
      secret: FIXTURE.gatewaySecret,
      hubUrl: fixture.mqttUrl,
      dataDir: dir.path,
      timeZone: TZ,
      devices: [{ address: meter.address }],
    });

  beforeAll(async () => {
    const seed = await defaultSeed();
    fixture = await startHubFixture({ ...seed, assignments: [...(seed.assignments ?? []), { deviceId: 'sn-GLM-5001', patientId: FIXTURE.patientId, from: '2020-01-01T00:00:00Z' }] });
    dir = await tempDir('gw-glucose');
  });

  afterAll(async () => {
    await gateway?.stop();
    await fixture?.close();
    await dir?.remove();
  });

  const glucosePoints = () => pointsOf(fixture.influx, 'blood_glucose');

  it('fetches all 6 records the first time', async () => {
    const base = Math.floor(Date.now() / 60_000) * 60_000 - 24 * 3600_000;
    for (let i = 0; i < 6; i++) meter.measure(90 + i * 5, new Date(base + i * 3600_000));
    gateway = await start();
    await waitFor('6 glucose points', async () => ((await glucosePoints()).length === 6 ? true : undefined));
    expect(meter.racpRequests.map(hex)).toEqual(['0101']); // report stored records: all
    expect(meter.sentSequences).toEqual([1, 2, 3, 4, 5, 6]);
    await waitFor('the sequence saved', () => (gateway!.deviceStore.device(meter.address)?.glucose?.lastSequence === 6 ? true : undefined));
    await gateway.stop();
    gateway = undefined;
  });

  it('after a restart asks for sequence >= 7 and receives only the 4 new records', async () => {
    const base = Math.floor(Date.now() / 60_000) * 60_000 - 3 * 3600_000;
    for (let i = 0; i < 4; i++) meter.measure(150 + i, new Date(base + i * 600_000));
    gateway = await start();
    const rows = await waitFor('10 glucose points', async () => {
      const points = await glucosePoints();
      return points.length === 10 ? points : undefined;
    });
    // GLS 1.0 §3.4.1: 0x01 report stored records, 0x03 greater than or equal to, filter 0x01 sequence number, 7 as uint16 LE.
    expect(meter.racpRequests.map(hex)).toEqual(['0101', '0103010700']);
    expect(meter.sentSequences).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(new Set(rows.map((r) => r.reading_id)).size).toBe(10);
    expect(rows.every((r) => r.patient === FIXTURE.patientId)).toBe(true);
    // 150 mg/dL = 8.33 mmol/L (catalogue factor 18.0156), stored in the catalogue's unit.
    expect(rows.map((r) => r.glucose)).toContain(8.33);
  });
});
