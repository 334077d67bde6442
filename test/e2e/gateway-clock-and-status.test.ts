/**
 * Through the real hub (Aedes on TCP, ingest, InfluxDB): a device clock two hours off is corrected and
 * flagged; device status (battery, clock offset, presence) reaches the hub; the Last Will marks the
 * gateway offline when its connection dies; a device registered by the hub survives a gateway restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reading } from '../../contract/index.js';
import { topics } from '../../contract/index.js';
import { SimBloodPressureCuff } from '../../firmware-sim/devices/blood-pressure-cuff.js';
import { SimThermometer } from '../../firmware-sim/devices/thermometer.js';
import { SimulatedBleAdapter } from '../../firmware-sim/sim-adapter.js';
import { formatLocal } from '../../gateway/profiles/date-time.js';
import { utcToLocal } from '../../gateway/time/zoned-time.js';
import type { RunningGateway } from '../../gateway/main.js';
import { startTestGateway } from '../support/gateway-fixture.js';
import { defaultSeed, FIXTURE, startHubFixture, type HubFixture } from '../support/hub-fixture.js';
import { pointsOf } from '../support/influx-points.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const TZ = 'Europe/Copenhagen';

describe('gateway clock handling and device status through the hub', () => {
  let fixture: HubFixture;
  let proxy: TcpProxy;
  let gateway: RunningGateway;
  let dir: { path: string; remove: () => Promise<void> };
  const stored: Reading[] = [];
  const cuff = new SimBloodPressureCuff({ address: 'c0:ff:ee:00:40:01', serial: FIXTURE.cuffSerial, timeZone: TZ, clockOffsetS: 7200, batteryPercent: 64 });
  const thermometer = new SimThermometer({ address: 'c0:ff:ee:01:40:02', serial: 'THM-4002', timeZone: TZ });
  const adapter = new SimulatedBleAdapter([cuff, thermometer], { advertiseEveryMs: 50 });
  const config = () => ({
    gatewayId: FIXTURE.gatewayId,
    secret: FIXTURE.gatewaySecret,
    hubUrl: proxy.url,
    dataDir: dir.path,
    timeZone: TZ,
    devices: [{ address: cuff.address }],
  });

  beforeAll(async () => {
    fixture = await startHubFixture(await defaultSeed());
    proxy = await startTcpProxy(fixture.hub.mqttPort);
    dir = await tempDir('gw-status');
    gateway = await startTestGateway(adapter, config());
    gateway.runtime.onStored((r) => stored.push(...r));
  });

  afterAll(async () => {
    await gateway?.stop();
    await proxy?.close();
    await fixture?.close();
    await dir?.remove();
  });

  it('corrects a device clock two hours fast: measuredAt is the true time, flagged clockSuspect, offset about 7200 s', async () => {
    const trueTime = new Date(Math.floor(Date.now() / 1000) * 1000 - 5 * 60_000);
    cuff.measure({ systolic: 162, diastolic: 97, pulseRate: 81 }, trueTime);
    const rows = await waitFor('the reading in InfluxDB', async () => {
      const points = await pointsOf(fixture.influx, 'blood_pressure');
      // A query racing the write may see a point's fields one by one (InfluxDB 1.x): wait for the whole point.
      return points.length > 0 && points.every((p) => p.systolic != null && p.clock_suspect != null && p.late != null) ? points : undefined;
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ time: trueTime.getTime(), clock_suspect: true, late: false, systolic: 162, device: FIXTURE.cuffDeviceId, patient: FIXTURE.patientId });
    const published = stored.find((r) => r.kind === 'blood_pressure')!;
    expect(published.measuredAt).toBe(trueTime.toISOString());
    expect(published.clockOffsetS).toBeCloseTo(7200, 0);
    // The device's own stamp is kept as sent: local wall-clock time, two hours ahead of the truth.
    expect(published.deviceTime).toBe(formatLocal(utcToLocal(new Date(trueTime.getTime() + 7200_000), TZ)));
  });

  it('reports battery, clock offset, presence and last connection on the devices topic', async () => {
    const report = await waitFor('a device report at the hub', () => {
      const devices = fixture.hub.gatewayState.get(FIXTURE.gatewayId)?.devices?.devices;
      return devices?.find((d) => d.deviceId === FIXTURE.cuffDeviceId && d.lastConnectedAt) ?? undefined;
    });
    expect(report).toMatchObject({ address: cuff.address, present: true, batteryPercent: 64, clockOffsetS: 7200, manufacturer: 'SimCare', model: 'BP-100' });
    expect(report.rssi).toBe(-60);
  });

  it('the Last Will marks the gateway offline at the hub when its connection dies, and it comes back', async () => {
    await waitFor('online status', () => (fixture.hub.gatewayState.get(FIXTURE.gatewayId)?.status?.state === 'online' ? true : undefined));
    proxy.down(); // the home's line drops: the broker sees the socket die without DISCONNECT
    const status = await waitFor('the Last Will', () => {
      const s = fixture.hub.gatewayState.get(FIXTURE.gatewayId)?.status;
      return s?.state === 'offline' ? s : undefined;
    });
    expect(status.reason).toBe('connection_lost');
    // The retained status the broker now serves is the Will.
    const retained = await new Promise<string[]>((resolve, reject) => {
      const payloads: string[] = [];
      // Aedes' persistence holds the retained messages it serves to new subscribers (not in its typings).
      const { persistence } = fixture.hub.broker.aedes as unknown as { persistence: { createRetainedStream(pattern: string): NodeJS.ReadableStream } };
      const stream = persistence.createRetainedStream(topics.status(FIXTURE.gatewayId));
      stream.on('data', (packet: { payload: Buffer }) => payloads.push(packet.payload.toString()));
      stream.on('end', () => resolve(payloads));
      stream.on('error', reject);
    });
    expect(retained.map((p) => (JSON.parse(p) as { state: string }).state)).toEqual(['offline']);
    proxy.up();
    await waitFor('online again', () => (fixture.hub.gatewayState.get(FIXTURE.gatewayId)?.status?.state === 'online' ? true : undefined), 20_000);
  });

  it('keeps a device the hub registered across a gateway restart, and forgets one it unregistered', async () => {
    const publish = (command: object) =>
      new Promise<void>((resolve, reject) =>
        fixture.hub.broker.aedes.publish(
          { cmd: 'publish', topic: topics.commands(FIXTURE.gatewayId), payload: Buffer.from(JSON.stringify(command)), qos: 1, retain: false, dup: false },
          (err) => (err ? reject(err) : resolve()),
        ),
      );
    await waitFor('connected', () => (gateway.link.connected ? true : undefined));
    await publish({ v: 1, id: 'cmd-1', issuedAt: new Date().toISOString(), type: 'register_device', address: thermometer.address.toUpperCase() });
    await waitFor('registered', () => (gateway.runtime.registeredAddresses.includes(thermometer.address) ? true : undefined));
    await publish({ v: 1, id: 'cmd-2', issuedAt: new Date().toISOString(), type: 'unregister_device', address: cuff.address });
    await waitFor('unregistered', () => (gateway.runtime.registeredAddresses.includes(cuff.address) ? undefined : true));

    await gateway.stop();
    gateway = await startTestGateway(new SimulatedBleAdapter([cuff, thermometer], { advertiseEveryMs: 50 }), config());
    // The config file still lists the cuff, but the hub's unregistration wins; the thermometer stays.
    expect(gateway.runtime.registeredAddresses).toEqual([thermometer.address]);
    const takenAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    thermometer.measure(38.4, takenAt);
    const rows = await waitFor('the temperature in InfluxDB', async () => {
      const points = await pointsOf(fixture.influx, 'body_temperature');
      return points.length > 0 ? points : undefined;
    });
    expect(rows[0]).toMatchObject({ time: takenAt.getTime(), temperature: 38.4, device: 'sn-THM-4002', patient: '_unassigned' });
  });
});
