/** `rpm-gateway decode`: fields as the device sent them, readings as the gateway would store them. */
import { describe, expect, it } from 'vitest';
import { Reading } from '../../contract/index.js';
import { describeCharacteristic, PLACEHOLDER_DEVICE_ID } from './describe.js';

const now = new Date('2026-11-22T12:00:00Z');
// Blood Pressure Measurement: 120/80/93 mmHg, time stamp 2026-11-22 09:15:00, pulse 72, user 1, status 0 (BLS 1.1.1 §3.1, constructed).
const BP = '1e 7800 5000 5d00 ea07 0b 16 09 0f 00 4800 01 0000';

describe('describeCharacteristic', () => {
  it('shows every field in the device unit, the time stamp as the device wrote it, and the readings', () => {
    const r = describeCharacteristic('2a35', BP, { now, timeZone: 'Europe/Copenhagen' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.output.characteristic).toBe('Blood Pressure Measurement (0x2a35)');
    expect(r.output.fields).toEqual({
      unit: 'mmHg',
      systolic: 120,
      diastolic: 80,
      meanArterialPressure: 93,
      timestamp: '2026-11-22T09:15:00',
      pulseRate: 72,
      userId: 1,
      measurementStatus: { bodyMovement: false, cuffTooLoose: false, irregularPulse: false, pulseRateRange: 'within', improperPosition: false },
      units: { pulseRate: '/min' },
    });
    expect(r.output.readings.map((x) => x.kind)).toEqual(['blood_pressure', 'heart_rate']);
    expect(r.output.readings[0]!.device).toEqual({ id: PLACEHOLDER_DEVICE_ID, userIndex: 1 });
    expect(r.output.readings[0]!.measuredAt).toBe('2026-11-22T08:15:00.000Z'); // CET = UTC+1
    for (const reading of r.output.readings) expect(Reading.safeParse(reading).success).toBe(true);
  });

  it.each(['2a35', '0x2A35', '2A35', '00002a35-0000-1000-8000-00805f9b34fb'])('accepts the characteristic as %s', (arg) => {
    expect(describeCharacteristic(arg, BP, { now }).ok).toBe(true);
  });

  it('decodes a bare SFLOAT or FLOAT from its little-endian wire octets', () => {
    expect(describeCharacteristic('sfloat', '6f f0')).toEqual({
      ok: true,
      output: { characteristic: 'sfloat', fields: { value: 11.1, mantissa: 111, exponent: -1, raw: '0xf06f' }, readings: [] },
    });
    expect(describeCharacteristic('float', 'b0 0e 00 fe')).toEqual({
      ok: true,
      output: { characteristic: 'float', fields: { value: 37.6, mantissa: 3760, exponent: -2, raw: '0xfe000eb0' }, readings: [] },
    });
    expect(describeCharacteristic('sfloat', 'ff 07')).toMatchObject({ ok: true, output: { fields: { value: 'NaN' } } });
    expect(describeCharacteristic('sfloat', 'ff')).toMatchObject({ ok: false, reason: /exactly 2 bytes/ });
  });

  it('gives fields and no readings for characteristics that are not measurements', () => {
    expect(describeCharacteristic('2a19', '5a')).toEqual({
      ok: true,
      output: { characteristic: 'Battery Level (0x2a19)', fields: { batteryLevel: 90, units: { batteryLevel: '%' } }, readings: [] },
    });
    expect(describeCharacteristic('2a52', '01 03 01 2a 00')).toMatchObject({
      ok: true,
      output: { fields: { direction: 'request', opCode: 'reportStoredRecords', filter: { operator: 'greaterThanOrEqualTo', sequenceNumber: 42 } }, readings: [] },
    });
    expect(describeCharacteristic('2a52', '05 00 02 01')).toMatchObject({ ok: true, output: { fields: { direction: 'response', numberOfRecords: 258 } } });
    expect(describeCharacteristic('2a2b', 'e707 01 02 14 16 07 01 ff 01')).toMatchObject({ ok: true, output: { fields: { dateTime: '2023-01-02T20:22:07' } } });
  });

  it('normalises units in readings while fields keep the device unit', () => {
    // 98.6 °F as 986e-1 (HTS 1.0 §3.1, constructed).
    const r = describeCharacteristic('2a1c', '01 da0300ff', { now });
    expect(r).toMatchObject({ ok: true, output: { fields: { unit: 'degF', temperature: 98.6 } } });
    if (r.ok) expect(r.output.readings[0]!.components).toEqual([{ name: 'temperature', code: '8310-5', value: 37, unit: 'Cel' }]);
  });

  it.each([
    ['2a35', 'zz', /bad hex/],
    ['2a35', '', /no bytes/],
    ['2a35', '1e 78', /Blood Pressure Measurement \(0x2a35\): truncated: diastolic/],
    ['2aff', '00', /no decoder for characteristic 0x2aff/],
    ['pressure', '00', /unknown characteristic "pressure"/],
  ])('refuses %s %j', (arg, hex, reason) => {
    expect(describeCharacteristic(arg, hex)).toMatchObject({ ok: false, reason });
  });

  it('refuses an unknown time zone instead of throwing', () => {
    expect(describeCharacteristic('2a35', BP, { timeZone: 'Mars/Olympus' })).toMatchObject({ ok: false, reason: /unknown time zone/ });
  });
});
