/**
 * Gateways and devices as the hub last heard them, shown to admins in full and to care teams for
 * their patients' homes; the unassigned-readings inbox and assigning a device, which moves its
 * waiting readings in InfluxDB to the patient.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, startApiFixture, writeReadings, type ApiFixture } from '../support/api-fixture.js';

interface GatewayOut {
  id: string;
  state: string;
  reason?: string;
  lastSeenAt: string;
  outboxDepth?: number;
  devices: { deviceId: string; batteryPercent?: number; clockOffsetS?: number; present: boolean; address?: string }[];
  patientIds: string[];
}

describe('gateways and the unassigned inbox', () => {
  let fx: ApiFixture;
  const now = new Date();

  beforeAll(async () => {
    fx = await startApiFixture();
    const at = now.toISOString();
    fx.gatewayState.setStatus(IDS.gateway, { v: 1, state: 'online', at, reason: 'heartbeat', heartbeatS: 60, outboxDepth: 3, bluetooth: 'poweredOn' }, now);
    fx.gatewayState.setDevices(IDS.gateway, {
      v: 1,
      at,
      devices: [{ deviceId: IDS.cuff, address: 'AA:BB:CC:DD:EE:01', present: true, lastSeenAt: at, batteryPercent: 14, clockOffsetS: -95 }],
    });
    // South's box last said online, but its heartbeats stopped ten minutes ago.
    fx.gatewayState.setStatus(IDS.southGateway, { v: 1, state: 'online', at, heartbeatS: 60 }, new Date(now.getTime() - 10 * 60_000));
    fx.gatewayState.setDevices(IDS.southGateway, { v: 1, at, devices: [{ deviceId: IDS.southCuff, present: false }] });
    fx.gatewayState.setStatus('home-empty', { v: 1, state: 'offline', at, reason: 'connection_lost' }, now);
  });

  afterAll(async () => {
    await fx?.close();
  });

  async function gateways(user: 'admin' | 'clinician' | 'carer' | 'southClinician'): Promise<GatewayOut[]> {
    const res = await fx.app.inject({ method: 'GET', url: '/api/v1/gateways', headers: fx.auth(user) });
    expect(res.statusCode).toBe(200);
    return res.json<{ gateways: GatewayOut[] }>().gateways;
  }

  it('shows status, last seen, outbox depth and each device\'s battery and clock offset', async () => {
    const [north] = await gateways('carer');
    expect(north).toMatchObject({ id: IDS.gateway, state: 'online', lastSeenAt: now.toISOString(), outboxDepth: 3, patientIds: [IDS.north1] });
    expect(north?.devices).toEqual([{ deviceId: IDS.cuff, present: true, lastSeenAt: now.toISOString(), batteryPercent: 14, clockOffsetS: -95 }]);
    // The BLE address is not part of the API's answer.
    expect(north?.devices[0]).not.toHaveProperty('address');
  });

  it("shows care teams only their patients' homes and admins all, offline ones with the reason", async () => {
    expect((await gateways('clinician')).map((g) => g.id)).toEqual([IDS.gateway]);
    const south = await gateways('southClinician');
    expect(south.map((g) => [g.id, g.state, g.reason])).toEqual([[IDS.southGateway, 'offline', 'heartbeat_missed']]);
    expect((await gateways('admin')).map((g) => [g.id, g.state])).toEqual([
      ['home-empty', 'offline'],
      [IDS.gateway, 'online'],
      [IDS.southGateway, 'offline'],
    ]);
  });

  it('lists waiting readings per device, and assigning the device moves them to the patient', async () => {
    const at = (d: number) => new Date(Date.UTC(2026, 1, d, 9));
    await writeReadings(fx.influx, undefined, [
      { kind: 'blood_pressure', at: at(1), values: { systolic: 128, diastolic: 82 }, deviceId: IDS.strayDevice, id: 'stray-1' },
      { kind: 'blood_pressure', at: at(2), values: { systolic: 131, diastolic: 85 }, deviceId: IDS.strayDevice, id: 'stray-2' },
      { kind: 'heart_rate', at: at(3), values: { heartRate: 71 }, deviceId: IDS.strayDevice, id: 'stray-3' },
    ]);
    const inbox = await fx.app.inject({ method: 'GET', url: '/api/v1/unassigned', headers: fx.auth('admin') });
    expect(inbox.statusCode).toBe(200);
    // The read is on record before it is served (health data of nobody known yet: no patient id).
    const logged = await fx.services.audit.store.query({ limit: 50 });
    expect(logged.find((e) => e.requestId === String(inbox.headers['x-request-id'] ?? '') || e.action === 'unassigned.list')).toMatchObject({
      action: 'unassigned.list',
      route: 'GET /api/v1/unassigned',
      patientId: null,
      outcome: 'allowed',
    });
    expect(inbox.json()).toEqual({
      devices: [
        {
          deviceId: IDS.strayDevice,
          gatewayId: IDS.gateway,
          kinds: ['blood_pressure', 'heart_rate'],
          count: 3,
          firstMeasuredAt: at(1).toISOString(),
          lastMeasuredAt: at(3).toISOString(),
        },
      ],
    });

    const assign = await fx.app.inject({
      method: 'POST',
      url: '/api/v1/unassigned/assignments',
      headers: fx.auth('admin'),
      payload: { deviceId: IDS.strayDevice, patientId: IDS.north2, from: '2026-02-01T00:00:00Z' },
    });
    expect(assign.statusCode).toBe(201);
    expect(assign.json()).toEqual({ deviceId: IDS.strayDevice, patientId: IDS.north2, from: '2026-02-01T00:00:00.000Z', readingsMoved: 3 });

    expect((await fx.app.inject({ method: 'GET', url: '/api/v1/unassigned', headers: fx.auth('admin') })).json()).toEqual({ devices: [] });
    const readings = await fx.app.inject({
      method: 'GET',
      url: `/api/v1/patients/${IDS.north2}/readings?kind=blood_pressure&from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z`,
      headers: fx.auth('clinician'),
    });
    expect(readings.json<{ readings: { id: string }[] }>().readings.map((r) => r.id)).toEqual(['stray-1', 'stray-2']);
    // The registry resolves new readings of the device to the patient from now on.
    expect(await fx.registry.resolvePatient(IDS.strayDevice, undefined, new Date())).toBe(IDS.north2);
  });

  it('starts an assignment without `from` at the device\'s earliest waiting reading', async () => {
    const first = new Date('2026-02-10T07:30:00.000Z');
    await writeReadings(fx.influx, undefined, [
      { kind: 'spo2', at: first, values: { spo2: 95 }, deviceId: 'sn-STRAY-02', id: 'stray2-1' },
      { kind: 'spo2', at: new Date('2026-02-11T07:30:00Z'), values: { spo2: 94 }, deviceId: 'sn-STRAY-02', id: 'stray2-2' },
    ]);
    const res = await fx.app.inject({ method: 'POST', url: '/api/v1/unassigned/assignments', headers: fx.auth('admin'), payload: { deviceId: 'sn-STRAY-02', patientId: IDS.north1 } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ deviceId: 'sn-STRAY-02', patientId: IDS.north1, from: first.toISOString(), readingsMoved: 2 });
  });

  it('refuses an assignment to an unknown patient, or one that overlaps an existing assignment, naming why', async () => {
    const unknown = await fx.app.inject({
      method: 'POST',
      url: '/api/v1/unassigned/assignments',
      headers: fx.auth('admin'),
      payload: { deviceId: 'sn-OTHER', patientId: 'p-nobody', from: '2026-02-01T00:00:00Z' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'RPM_ERR_VALIDATION', errors: [{ path: 'body.patientId' }] });
    const overlap = await fx.app.inject({
      method: 'POST',
      url: '/api/v1/unassigned/assignments',
      headers: fx.auth('admin'),
      payload: { deviceId: IDS.cuff, patientId: IDS.north2, from: '2019-01-01T00:00:00Z' },
    });
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json()).toMatchObject({ code: 'RPM_ERR_CONFLICT' });
    expect(overlap.json<{ detail: string }>().detail).toContain(IDS.north1);
  });
});
