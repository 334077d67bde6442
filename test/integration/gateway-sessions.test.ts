/**
 * Device sessions for every profile, against firmware-sim devices over the simulated radio: device
 * information, battery, clock offset and setting, stored-record transfer, RACP, streams, multi-user
 * identity, stable ids across re-sent memory, late records, malformed values.
 */
import { describe, expect, it } from 'vitest';
import type { Reading } from '../../contract/index.js';
import { SimBloodPressureCuff } from '../../firmware-sim/devices/blood-pressure-cuff.js';
import { SimGlucoseMeter } from '../../firmware-sim/devices/glucose-meter.js';
import { SimHeartRateStrap } from '../../firmware-sim/devices/heart-rate-strap.js';
import { SimPulseOximeter } from '../../firmware-sim/devices/pulse-oximeter.js';
import { SimThermometer } from '../../firmware-sim/devices/thermometer.js';
import { SimWeightScale } from '../../firmware-sim/devices/weight-scale.js';
import { deviceInformation, gattTable, type SimLink, type SimPeripheral } from '../../firmware-sim/gatt/sim-peripheral.js';
import { SimulatedBleAdapter } from '../../firmware-sim/sim-adapter.js';
import { runDeviceSession, type SessionOptions, type SessionSummary } from '../../gateway/session/device-session.js';

const TZ = 'Europe/Copenhagen';
const OPTIONS: SessionOptions = { timeZone: TZ, clockSuspectAfterS: 300, lateAfterS: 1800, idleTimeoutMs: 300, maxSessionMs: 10_000 };
const wholeSecond = (msAgo: number) => new Date(Math.floor((Date.now() - msAgo) / 1000) * 1000);

async function session(
  device: SimPeripheral,
  options: Partial<SessionOptions> = {},
  lastGlucoseSequence?: number,
): Promise<{ summary: SessionSummary; readings: Reading[]; decodeErrors: string[] }> {
  const adapter = new SimulatedBleAdapter([device]);
  const conn = await adapter.connect(device.address, 1_000);
  const readings: Reading[] = [];
  const decodeErrors: string[] = [];
  const summary = await runDeviceSession(
    conn,
    { ...OPTIONS, ...options },
    {
      onReadings: async (r) => void readings.push(...r),
      onDecodeError: (c, reason) => decodeErrors.push(`${c}: ${reason}`),
      lastGlucoseSequence: () => lastGlucoseSequence,
    },
  );
  await adapter.close();
  return { summary, readings, decodeErrors };
}

describe('device sessions', () => {
  it('reads device information and battery at each connection, and reports a drained battery', async () => {
    const cuff = new SimBloodPressureCuff({ address: 'c0:ff:ee:00:20:01', serial: 'BPC-2001', timeZone: TZ, batteryPercent: 80 });
    cuff.measure({ systolic: 130, diastolic: 85 });
    const first = await session(cuff);
    expect(first.summary).toMatchObject({ deviceId: 'sn-BPC-2001', batteryPercent: 80, device: { manufacturer: 'SimCare', model: 'BP-100', firmware: '1.4.2' } });
    cuff.drainBattery(75);
    cuff.measure({ systolic: 131, diastolic: 84 });
    expect((await session(cuff)).summary.batteryPercent).toBe(5);
  });

  it('a cuff that re-sends its whole memory yields the same reading ids every time', async () => {
    const cuff = new SimBloodPressureCuff({ address: 'c0:ff:ee:00:20:02', serial: 'BPC-2002', timeZone: TZ, resendMemory: true });
    cuff.measure({ systolic: 141, diastolic: 90, pulseRate: 66 }, wholeSecond(600_000));
    cuff.measure({ systolic: 137, diastolic: 88, pulseRate: 64 }, wholeSecond(300_000));
    const first = await session(cuff);
    cuff.measure({ systolic: 135, diastolic: 86, pulseRate: 65 }, wholeSecond(60_000));
    const second = await session(cuff);
    expect(first.readings).toHaveLength(4); // two measurements, each blood pressure + pulse
    expect(second.readings).toHaveLength(6);
    const firstIds = first.readings.map((r) => r.id);
    expect(second.readings.slice(0, 4).map((r) => r.id)).toEqual(firstIds);
    expect(new Set(second.readings.map((r) => r.id)).size).toBe(6);
    expect(firstIds.every((id) => id.startsWith('h-'))).toBe(true);
  });

  it('corrects a clock two hours fast, flags it, and sets it when configured', async () => {
    const cuff = new SimBloodPressureCuff({ address: 'c0:ff:ee:00:20:03', serial: 'BPC-2003', timeZone: TZ, clockOffsetS: 7200 });
    const takenAt = wholeSecond(90_000);
    cuff.measure({ systolic: 150, diastolic: 95 }, takenAt);
    const first = await session(cuff, { setDeviceClock: true });
    expect(first.summary.clockOffsetS).toBe(7200);
    expect(first.summary.clockSetAt).toBeDefined();
    expect(first.readings[0]).toMatchObject({ measuredAt: takenAt.toISOString(), clockSuspect: true, clockOffsetS: 7200, late: false });
    // The device clock now runs right: the next reading needs no correction and is not suspect.
    expect(cuff.clockWrites).toHaveLength(1);
    const later = wholeSecond(30_000);
    cuff.measure({ systolic: 140, diastolic: 90 }, later);
    const second = await session(cuff, { setDeviceClock: true });
    expect(second.summary.clockOffsetS).toBe(0);
    expect(second.summary.clockSetAt).toBeUndefined();
    expect(second.readings[0]).toMatchObject({ clockSuspect: false, clockOffsetS: 0 });
    // A clock set over the air lags by the write's latency (and CTS keeps 1/256 s): the stamp may be a second early.
    expect(Math.abs(Date.parse(second.readings[0]!.measuredAt) - later.getTime())).toBeLessThanOrEqual(1000);
  });

  it('measures but leaves alone a clock that is not writable, or when setting is not configured', async () => {
    const readOnly = new SimBloodPressureCuff({ address: 'c0:ff:ee:00:20:04', serial: 'BPC-2004', timeZone: TZ, clockOffsetS: -600, clockWritable: false });
    const takenAt = wholeSecond(120_000);
    readOnly.measure({ systolic: 120, diastolic: 80 }, takenAt);
    const result = await session(readOnly, { setDeviceClock: true });
    expect(result.summary.clockOffsetS).toBe(-600);
    expect(result.summary.notes).toEqual(['current time not set: characteristic 2a2b is not writable']);
    expect(result.readings[0]).toMatchObject({ measuredAt: takenAt.toISOString(), clockSuspect: true });

    const notConfigured = new SimBloodPressureCuff({ address: 'c0:ff:ee:00:20:05', serial: 'BPC-2005', timeZone: TZ, clockOffsetS: 3600 });
    notConfigured.measure({ systolic: 120, diastolic: 80 });
    await session(notConfigured);
    expect(notConfigured.clockWrites).toHaveLength(0);
  });

  it('marks records downloaded long after they were taken as late', async () => {
    const thermometer = new SimThermometer({ address: 'c0:ff:ee:01:20:06', serial: 'THM-2006', timeZone: TZ });
    const longAgo = wholeSecond(3 * 3600_000);
    const recent = wholeSecond(60_000);
    thermometer.measure(37.9, longAgo);
    thermometer.measure(36.9, recent);
    const { readings } = await session(thermometer);
    expect(readings.map((r) => [r.kind, r.measuredAt, r.late, r.components[0]!.value])).toEqual([
      ['body_temperature', longAgo.toISOString(), true, 37.9],
      ['body_temperature', recent.toISOString(), false, 36.9],
    ]);
  });

  it('keeps household members apart on a multi-user scale: the user index is part of the identity', async () => {
    const scale = new SimWeightScale({ address: 'c0:ff:ee:02:20:07', serial: 'WSC-2007', timeZone: TZ });
    const at = wholeSecond(30_000);
    scale.measure(71.2, 1, at);
    scale.measure(71.2, 2, at);
    const { readings } = await session(scale);
    expect(readings.map((r) => [r.device.id, r.device.userIndex, r.components[0]!.value])).toEqual([
      ['sn-WSC-2007', 1, 71.2],
      ['sn-WSC-2007', 2, 71.2],
    ]);
    expect(readings[0]!.id).not.toBe(readings[1]!.id);
  });

  it('reads a spot-check oximeter: SpO2 and pulse rate with the device time', async () => {
    const ox = new SimPulseOximeter({ address: 'c0:ff:ee:04:20:08', serial: 'OXI-2008', timeZone: TZ });
    const at = wholeSecond(45_000);
    ox.measure(96, 71, at);
    const { readings } = await session(ox);
    expect(readings.map((r) => [r.kind, r.components[0]!.value, r.measuredAt])).toEqual([
      ['spo2', 96, at.toISOString()],
      ['heart_rate', 71, at.toISOString()],
    ]);
  });

  it('asks a glucose meter for all records first, then only for newer ones, and handles "no records found"', async () => {
    const meter = new SimGlucoseMeter({ address: 'c0:ff:ee:03:20:09', serial: 'GLM-2009', timeZone: TZ });
    for (const mg of [95, 120, 143]) meter.measure(mg, wholeSecond(600_000));
    const first = await session(meter);
    expect(Buffer.from(meter.racpRequests[0]!).toString('hex')).toBe('0101'); // report stored records, all
    expect(first.summary.glucose).toEqual({ request: 'reportStoredRecords allRecords', response: 'success', complete: true, lastSequence: 3 });
    expect(first.readings.map((r) => r.components[0]!.value)).toEqual([5.27, 6.66, 7.94]);

    meter.measure(101, wholeSecond(60_000));
    meter.measure(180, wholeSecond(30_000));
    const second = await session(meter, {}, 3);
    // GLS 1.0 §3.4.1: op code 0x01, operator 0x03 (>=), filter type 0x01 (sequence number), 4 (uint16 LE).
    expect(Buffer.from(meter.racpRequests[1]!).toString('hex')).toBe('0103010400');
    expect(second.summary.glucose).toMatchObject({ response: 'success', complete: true, lastSequence: 5 });
    expect(second.readings).toHaveLength(2);

    meter.startAdvertising(); // e.g. the resident pressed its Bluetooth button without measuring
    const third = await session(meter, {}, 5);
    expect(Buffer.from(meter.racpRequests[2]!).toString('hex')).toBe('0103010600');
    expect(third.summary.glucose).toEqual({ request: 'reportStoredRecords >= 6', response: 'noRecordsFound', complete: true });
    expect(third.readings).toEqual([]);
    // The same record always has the same id (its sequence number is part of it).
    expect(first.readings[0]!.id).toMatch(/^h-/);
  });

  it('gives up on a meter that never answers its RACP, aborts the procedure, and stores nothing wrong', async () => {
    const meter = new SimGlucoseMeter({ address: 'c0:ff:ee:03:20:10', serial: 'GLM-2010', timeZone: TZ });
    meter.measure(99);
    // A meter firmware that swallows requests: no indication ever comes back.
    const racp = meter.gatt.get('1808')!.get('2a52')!;
    meter.gatt.get('1808')!.set('2a52', { ...racp, write: (v) => void meter.racpRequests.push(Uint8Array.from(v)) });
    const result = await session(meter, { racpTimeoutMs: 200 });
    expect(result.summary.glucose).toEqual({ request: 'reportStoredRecords allRecords', response: 'timeout', complete: false });
    expect(Buffer.from(meter.racpRequests[1]!).toString('hex')).toBe('0300'); // abort operation
  });

  it('samples a heart-rate strap that never disconnects, until the session cap ends it', async () => {
    const strap = new SimHeartRateStrap({ address: 'c0:ff:ee:05:20:11', serial: 'HRS-2011', timeZone: TZ, notifyEveryMs: 10, heartRate: () => 72 });
    strap.putOn();
    const { summary, readings } = await session(strap, { maxSessionMs: 400, idleTimeoutMs: 5_000 });
    expect(summary.values).toBeGreaterThan(5);
    // One stored reading per device per minute (readings/sampler.ts), the rest is sampled away.
    expect(readings).toHaveLength(1);
    expect(readings[0]).toMatchObject({ kind: 'heart_rate', timeSource: 'receipt', components: [{ name: 'heartRate', value: 72 }] });
    expect(readings[0]!.id).toMatch(/^u-/);
    expect(summary.clockOffsetS).toBeUndefined(); // no clock on a strap
  });

  it('reports a malformed value and keeps the good ones around it', async () => {
    let link: SimLink | undefined;
    // A truncated value, then a good one: mmHg, no time stamp, 128 / 80 / 96 as SFLOATs.
    const values = [Uint8Array.of(0x1e, 0x82), Uint8Array.of(0x00, 0x80, 0x00, 0x50, 0x00, 0x60, 0x00)];
    const flaky: SimPeripheral = {
      address: 'c0:ff:ee:00:20:13',
      localName: 'Flaky',
      advertisedServices: ['1810'],
      isAdvertising: () => true,
      gatt: gattTable({
        '180a': deviceInformation({ manufacturer: 'Flaky', model: 'F1', serial: 'FLK-1' }),
        '1810': {
          '2a35': {
            subscribe: (push) => {
              values.forEach((v, i) => setTimeout(() => push(v), 5 * (i + 1)));
              setTimeout(() => link?.drop(), 50);
              return () => undefined;
            },
          },
        },
      }),
      onConnect: (l) => (link = l),
      onDisconnect: () => undefined,
    };
    const { summary, readings, decodeErrors } = await session(flaky);
    expect(decodeErrors).toEqual(['2a35: truncated: systolic needs 2 bytes at offset 1, payload has 2']);
    expect(summary).toMatchObject({ values: 2, rejected: 1, readings: 1 });
    expect(readings[0]).toMatchObject({ kind: 'blood_pressure', device: { id: 'sn-FLK-1' }, components: [{ value: 128 }, { value: 80 }, { value: 96 }] });
  });
});
