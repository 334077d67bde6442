/**
 * The noble-facing code, through noble's real `Noble` class over fake bindings that serve firmware-sim
 * devices (test/support/sim-noble-bindings.ts): scanning, the scan watchdog, connecting, GATT reads,
 * writes and indications, and a full device session, without a radio.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SimBloodPressureCuff } from '../../firmware-sim/devices/blood-pressure-cuff.js';
import { SimHeartRateStrap } from '../../firmware-sim/devices/heart-rate-strap.js';
import type { AdapterState, Advertisement } from '../../gateway/ble/adapter.js';
import { HEALTH_SERVICES } from '../../gateway/ble/gatt-uuids.js';
import { NobleAdapter } from '../../gateway/ble/noble-adapter.js';
import { runDeviceSession } from '../../gateway/session/device-session.js';
import type { Reading } from '../../contract/index.js';
import { SimNobleBindings } from '../support/sim-noble-bindings.js';
import { waitFor } from '../support/wait-for.js';

const TZ = 'Europe/Copenhagen';
const adapters: NobleAdapter[] = [];
afterEach(async () => {
  for (const a of adapters.splice(0)) await a.close();
});

function adapterOver(bindings: SimNobleBindings, options: ConstructorParameters<typeof NobleAdapter>[0] = {}): NobleAdapter {
  const adapter = new NobleAdapter({ noble: bindings.noble(), ...options });
  adapters.push(adapter);
  return adapter;
}

describe('NobleAdapter over noble with fake bindings', () => {
  it('scans without a service filter and passes on only health devices', async () => {
    const cuff = new SimBloodPressureCuff({ address: 'c0:ff:ee:00:10:01', serial: 'BPC-1001', timeZone: TZ });
    const phone = { ...cuff, address: 'aa:bb:cc:00:00:01', advertisedServices: ['fe9f'], isAdvertising: () => true, gatt: cuff.gatt, onConnect() {}, onDisconnect() {} };
    cuff.measure({ systolic: 120, diastolic: 80 });
    const bindings = new SimNobleBindings([cuff, phone]);
    const adapter = adapterOver(bindings);
    const seen: Advertisement[] = [];
    await adapter.startScanning(HEALTH_SERVICES, (ad) => seen.push(ad));
    await waitFor('an advertisement', () => (seen.length > 0 ? true : undefined));
    expect(adapter.state()).toBe('poweredOn');
    // Unfiltered at the radio (so any advertisement proves the scan alive), filtered here.
    expect(bindings.startCalls[0]).toEqual([]);
    expect(new Set(seen.map((a) => a.address))).toEqual(new Set([cuff.address]));
    expect(seen[0]).toMatchObject({ address: cuff.address, localName: 'SimCare BP-100', serviceUuids: ['1810'], rssi: -58 });
  });

  it('runs a whole device session over noble: device info, battery, clock, indications', async () => {
    const cuff = new SimBloodPressureCuff({ address: 'c0:ff:ee:00:10:02', serial: 'BPC-1002', timeZone: TZ, clockOffsetS: 7200, batteryPercent: 42 });
    const takenAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 120_000);
    cuff.measure({ systolic: 151, diastolic: 93, pulseRate: 70 }, takenAt);
    const bindings = new SimNobleBindings([cuff]);
    const adapter = adapterOver(bindings);
    await adapter.startScanning(HEALTH_SERVICES, () => undefined);
    await waitFor('the cuff advertising', () => (bindings.scanning ? true : undefined));
    await new Promise((r) => setTimeout(r, 60));

    const conn = await adapter.connect(cuff.address, 2_000);
    expect(conn.services.get('1810')).toContain('2a35');
    const stored: Reading[] = [];
    const summary = await runDeviceSession(
      conn,
      { timeZone: TZ, clockSuspectAfterS: 300, lateAfterS: 1800, idleTimeoutMs: 2_000, maxSessionMs: 10_000, setDeviceClock: true },
      { onReadings: async (r) => void stored.push(...r), onDecodeError: () => undefined },
    );
    expect(summary).toMatchObject({ deviceId: 'sn-BPC-1002', batteryPercent: 42, clockOffsetS: 7200, readings: 2, rejected: 0 });
    expect(summary.clockSetAt).toBeDefined();
    expect(cuff.clockWrites).toHaveLength(1);
    expect(Math.abs(cuff.clockOffsetS)).toBeLessThan(2);
    const bp = stored.find((r) => r.kind === 'blood_pressure')!;
    expect(bp).toMatchObject({ measuredAt: takenAt.toISOString(), clockSuspect: true, clockOffsetS: 7200 });
    expect(conn.connected).toBe(false); // the cuff dropped the link after its records
  });

  it('delivers notifications but not the answers to plain reads as values', async () => {
    const strap = new SimHeartRateStrap({ address: 'c0:ff:ee:00:10:03', serial: 'HR-1003', timeZone: TZ, notifyEveryMs: 10, heartRate: () => 64 });
    strap.putOn();
    const bindings = new SimNobleBindings([strap]);
    const adapter = adapterOver(bindings);
    await adapter.startScanning(HEALTH_SERVICES, () => undefined);
    await waitFor('the strap seen', () => (bindings.scanning ? true : undefined));
    await new Promise((r) => setTimeout(r, 60));
    const conn = await adapter.connect(strap.address, 2_000);
    const values: Uint8Array[] = [];
    await conn.subscribe('180d', '2a37', (v) => values.push(v));
    await waitFor('three notifications', () => (values.length >= 3 ? true : undefined));
    const before = values.length;
    // A read of another characteristic fires noble's 'data' event with isNotification = false.
    expect(await conn.read('180d', '2a38')).toEqual(Uint8Array.of(0x01));
    expect(values.slice(before).every((v) => v[1] === 64)).toBe(true);
    await conn.disconnect();
    await waitFor('disconnected', () => (conn.connected ? undefined : true));
  });

  it('refuses clearly: a device never seen, a refused connection, a write the device rejects', async () => {
    const cuff = new SimBloodPressureCuff({ address: 'c0:ff:ee:00:10:04', serial: 'BPC-1004', timeZone: TZ, clockWritable: false });
    cuff.measure({ systolic: 120, diastolic: 80 });
    const bindings = new SimNobleBindings([cuff]);
    const adapter = adapterOver(bindings);
    await adapter.startScanning(HEALTH_SERVICES, () => undefined);
    await waitFor('powered on', () => (adapter.state() === 'poweredOn' ? true : undefined));
    await expect(adapter.connect('c0:ff:ee:99:99:99', 500)).rejects.toThrow('c0:ff:ee:99:99:99 has not been seen advertising');
    await new Promise((r) => setTimeout(r, 60));
    bindings.refuseConnections = true;
    await expect(adapter.connect(cuff.address, 500)).rejects.toThrow('connection refused (simulated)');
    bindings.refuseConnections = false;
    const conn = await adapter.connect(cuff.address, 2_000);
    await expect(conn.write('1805', '2a2b', new Uint8Array(10), true)).rejects.toThrow('write not permitted');
    await conn.disconnect();
  });

  it('restarts a scan that went silent (the BlueZ stall) and says so', async () => {
    const cuff = new SimBloodPressureCuff({ address: 'c0:ff:ee:00:10:05', serial: 'BPC-1005', timeZone: TZ });
    const bindings = new SimNobleBindings([cuff]);
    const warnings: string[] = [];
    const adapter = adapterOver(bindings, { scanWatchdogMs: 150, log: { info: () => undefined, warn: (_o, msg) => warnings.push(msg) } });
    const seen: Advertisement[] = [];
    await adapter.startScanning(HEALTH_SERVICES, (ad) => seen.push(ad));
    cuff.measure({ systolic: 120, diastolic: 80 });
    await waitFor('advertisements', () => (seen.length > 0 ? true : undefined));
    const startsBefore = bindings.scanStarts;
    bindings.stalled = true;
    await waitFor('a watchdog restart', () => (adapter.watchdogRestarts > 0 && bindings.scanStarts > startsBefore ? true : undefined));
    expect(warnings).toContain('no advertisements heard: restarting the BLE scan');
    const count = seen.length;
    await waitFor('advertisements after the restart', () => (seen.length > count ? true : undefined));
  });

  it('resumes scanning after the bindings stopped it (HCI stops scanning to connect)', async () => {
    const bindings = new SimNobleBindings([]);
    const adapter = adapterOver(bindings);
    await adapter.startScanning(HEALTH_SERVICES, () => undefined);
    await waitFor('scanning', () => (bindings.scanStarts === 1 ? true : undefined));
    bindings.emit('scanStop');
    await waitFor('scanning again', () => (bindings.scanStarts === 2 ? true : undefined));
  });

  it('reports an adapter that noble finds unusable, and close() stops noble', async () => {
    const bindings = new SimNobleBindings([], 'unsupported');
    const adapter = adapterOver(bindings);
    const states: AdapterState[] = [];
    adapter.onStateChange((s) => states.push(s));
    await adapter.startScanning(HEALTH_SERVICES, () => undefined);
    await waitFor('unsupported', () => (adapter.state() === 'unsupported' ? true : undefined));
    // noble's own retry loop flips poweredOff <-> unsupported; both reach the runtime, which logs once.
    bindings.setState('poweredOff');
    bindings.setState('unsupported');
    expect(states).toEqual(['unsupported', 'poweredOff', 'unsupported']);
    await adapter.close();
    expect(bindings.stops).toBe(1);
  });

  it('without a Bluetooth controller never starts noble, reports unsupported once and looks again later', async () => {
    let checks = 0;
    const adapter = new NobleAdapter({ controllerPresent: async () => (checks++, false), adapterRetryMs: 20 });
    adapters.push(adapter);
    const states: AdapterState[] = [];
    adapter.onStateChange((s) => states.push(s));
    await adapter.startScanning(HEALTH_SERVICES, () => undefined);
    expect(adapter.state()).toBe('unsupported');
    await waitFor('a second look', () => (checks >= 3 ? true : undefined));
    expect(states).toEqual(['unsupported']);
    await expect(adapter.connect('c0:ff:ee:00:00:01', 100)).rejects.toThrow('bluetooth adapter is unsupported');
    await adapter.close();
    const after = checks;
    await new Promise((r) => setTimeout(r, 100));
    expect(checks).toBe(after); // close() ended the retries
  });
});
