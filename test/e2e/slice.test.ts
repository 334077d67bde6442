/**
 * The thin slice through every part, on real ports: firmware-sim cuff -> simulated radio -> gateway
 * (decode, outbox, MQTT QoS 1) -> Aedes on TCP -> hub ingest -> InfluxDB -> HTTP API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimBloodPressureCuff } from '../../firmware-sim/devices/blood-pressure-cuff.js';
import { SimulatedBleAdapter } from '../../firmware-sim/sim-adapter.js';
import type { RunningGateway } from '../../gateway/main.js';
import { startTestGateway } from '../support/gateway-fixture.js';
import { FIXTURE, startHubFixture, type HubFixture } from '../support/hub-fixture.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

interface ApiReading {
  id: string;
  measuredAt: string;
  deviceId: string;
  gatewayId: string;
  components: { name: string; code: string; value: number; unit: string }[];
  flags: { late: boolean; clockSuspect: boolean; implausible: boolean };
}

describe('reading from simulated cuff to API', () => {
  let fixture: HubFixture;
  let gateway: RunningGateway;
  let gatewayDir: { path: string; remove: () => Promise<void> };
  const cuff = new SimBloodPressureCuff({ address: 'c0:ff:ee:00:00:01', serial: FIXTURE.cuffSerial, timeZone: 'Europe/Copenhagen' });

  beforeAll(async () => {
    fixture = await startHubFixture();
    gatewayDir = await tempDir('gw');
    gateway = await startTestGateway(new SimulatedBleAdapter([cuff], { advertiseEveryMs: 50 }), {
      gatewayId: FIXTURE.gatewayId,
      secret: FIXTURE.gatewaySecret,
      hubUrl: fixture.mqttUrl,
      dataDir: gatewayDir.path,
      timeZone: 'Europe/Copenhagen',
      devices: [{ address: cuff.address }],
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await fixture?.close();
    await gatewayDir?.remove();
  });

  async function fetchReadings(kind: string): Promise<ApiReading[]> {
    const res = await fetch(`${fixture.api.url}/api/v1/patients/${FIXTURE.patientId}/readings?kind=${kind}&from=2026-01-01T00:00:00Z&to=2030-01-01T00:00:00Z`, {
      headers: { authorization: `Bearer ${FIXTURE.clinicianToken}` },
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { readings: ApiReading[] }).readings;
  }

  it('stores exactly the values and measurement time the device encoded', async () => {
    // Whole seconds: the GATT Date Time has no fractions.
    const takenAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    cuff.measure({ systolic: 142, diastolic: 91, meanArterialPressure: 108, pulseRate: 77 }, takenAt);

    // InfluxDB 1.x makes a point's fields visible one by one while it writes them: a query that races
    // the write may see some components only. Wait for the whole reading, then check it exactly.
    const bp = await waitFor('blood pressure in the API', async () => {
      const rows = await fetchReadings('blood_pressure');
      return rows.length > 0 && rows[0]!.components.length === 3 ? rows : undefined;
    });
    expect(bp).toHaveLength(1);
    expect(bp[0]).toMatchObject({
      measuredAt: takenAt.toISOString(),
      deviceId: FIXTURE.cuffDeviceId,
      gatewayId: FIXTURE.gatewayId,
      flags: { late: false, clockSuspect: false, implausible: false },
    });
    expect(bp[0]!.components).toEqual([
      { name: 'systolic', code: '8480-6', value: 142, unit: 'mm[Hg]' },
      { name: 'diastolic', code: '8462-4', value: 91, unit: 'mm[Hg]' },
      { name: 'meanArterialPressure', code: '8478-0', value: 108, unit: 'mm[Hg]' },
    ]);

    const hr = await waitFor('pulse rate in the API', async () => {
      const rows = await fetchReadings('heart_rate');
      return rows.length > 0 ? rows : undefined;
    });
    expect(hr[0]).toMatchObject({ measuredAt: takenAt.toISOString(), components: [{ name: 'heartRate', code: '8867-4', value: 77, unit: '/min' }] });
    // The outbox let go of the readings only after the hub acknowledged them.
    await waitFor('empty outbox', () => (gateway.outbox.depth === 0 ? true : undefined));
  });
});
