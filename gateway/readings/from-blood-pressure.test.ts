import { describe, expect, it } from 'vitest';
import { Reading } from '../../contract/index.js';
import type { BloodPressureMeasurement } from '../profiles/blood-pressure-measurement.js';
import { BLOOD_PRESSURE_MEASUREMENT_VECTORS } from '../../test/fixtures/gatt/blood-pressure-measurement.js';
import { readingContext } from '../../test/fixtures/gatt/reading-context.js';
import { readingsFromBloodPressure } from './from-blood-pressure.js';

const [nordicFull, nordicKpa, nordicMinimal, stamped, failed] = BLOOD_PRESSURE_MEASUREMENT_VECTORS;
// Five minutes after the stamped vector's 2026-12-03 08:30 CET.
const receivedAt = new Date('2026-12-03T07:35:00Z');
const ctxFor = (hex: string) => readingContext(hex, { receivedAt });

describe('readingsFromBloodPressure', () => {
  it('makes a blood_pressure and a heart_rate reading at the device time, with LOINC codes, user index and no flags for a clear status', () => {
    const [bp, hr, ...rest] = readingsFromBloodPressure(stamped!.expected, ctxFor(stamped!.hex));
    expect(rest).toEqual([]);
    const time = { deviceTime: '2026-12-03T08:30:00', measuredAt: '2026-12-03T07:30:00.000Z', timeSource: 'device', clockSuspect: false, late: false };
    expect(bp).toMatchObject({
      kind: 'blood_pressure',
      device: { id: 'eui64-0807060504030201', userIndex: 2 },
      components: [
        { name: 'systolic', code: '8480-6', value: 142, unit: 'mm[Hg]' },
        { name: 'diastolic', code: '8462-4', value: 91, unit: 'mm[Hg]' },
        { name: 'meanArterialPressure', code: '8478-0', value: 108, unit: 'mm[Hg]' },
      ],
      ...time,
      status: [],
    });
    expect(hr).toMatchObject({
      kind: 'heart_rate',
      device: { userIndex: 2 },
      components: [{ name: 'heartRate', code: '8867-4', value: 72, unit: '/min' }],
      ...time,
      status: [],
    });
    // Time-stamped: the ids are stable hashes, different per kind, the same on a second delivery.
    expect(bp!.id).toMatch(/^h-/);
    expect(hr!.id).not.toBe(bp!.id);
    expect(readingsFromBloodPressure(stamped!.expected, ctxFor(stamped!.hex)).map((r) => r.id)).toEqual([bp!.id, hr!.id]);
    expect(Reading.safeParse(bp).success).toBe(true);
    expect(Reading.safeParse(hr).success).toBe(true);
  });

  it('converts kPa to mmHg, rounded to 0.1 (18.9/11/15.9 kPa = 141.8/82.5/119.3 mmHg), and keeps the pulse rate as is', () => {
    const [bp, hr] = readingsFromBloodPressure(nordicKpa!.expected, ctxFor(nordicKpa!.hex));
    expect(bp!.components).toEqual([
      { name: 'systolic', code: '8480-6', value: 141.8, unit: 'mm[Hg]' },
      { name: 'diastolic', code: '8462-4', value: 82.5, unit: 'mm[Hg]' },
      { name: 'meanArterialPressure', code: '8478-0', value: 119.3, unit: 'mm[Hg]' },
    ]);
    expect(hr!.components).toEqual([{ name: 'heartRate', code: '8867-4', value: 60, unit: '/min' }]);
    expect(bp!.status).toEqual(['cuff_too_loose', 'pulse_rate_below_range']);
    expect(hr!.status).toEqual(['cuff_too_loose', 'pulse_rate_below_range']);
  });

  it('turns every set status bit into a flag; a year-0 time stamp falls back to the receipt time and a ULID', () => {
    const [bp, hr] = readingsFromBloodPressure(nordicFull!.expected, ctxFor(nordicFull!.hex));
    expect(bp!.status).toEqual(['body_movement', 'cuff_too_loose', 'irregular_pulse', 'improper_position']);
    expect(bp).toMatchObject({ timeSource: 'receipt', measuredAt: '2026-12-03T07:35:00.000Z', device: { userIndex: 1 } });
    expect(bp!.deviceTime).toBeUndefined();
    expect(bp!.id).toMatch(/^u-/);
    expect(hr!.components[0]!.value).toBe(60);
  });

  it('flags a pulse rate above range', () => {
    const m: BloodPressureMeasurement = {
      ...stamped!.expected,
      measurementStatus: { bodyMovement: false, cuffTooLoose: false, irregularPulse: false, pulseRateRange: 'above', improperPosition: false },
    };
    expect(readingsFromBloodPressure(m, ctxFor(stamped!.hex))[0]!.status).toEqual(['pulse_rate_above_range']);
  });

  it('without pulse rate, user id or status: one reading, no user index, no status', () => {
    const readings = readingsFromBloodPressure(nordicMinimal!.expected, ctxFor(nordicMinimal!.hex));
    expect(readings).toHaveLength(1);
    expect(readings[0]!.kind).toBe('blood_pressure');
    expect(readings[0]!.device.userIndex).toBeUndefined();
    expect(readings[0]!.status).toBeUndefined();
  });

  it('makes nothing of a failed measurement (NaN pressures, NRes pulse rate)', () => {
    expect(readingsFromBloodPressure(failed!.expected, ctxFor(failed!.hex))).toEqual([]);
  });

  it('leaves a special component out and keeps the rest; with no systolic or diastolic only the pulse rate remains', () => {
    const partial: BloodPressureMeasurement = { unit: 'mmHg', systolic: 'NaN', diastolic: 80, meanArterialPressure: 'NRes' };
    const [bp, ...rest] = readingsFromBloodPressure(partial, ctxFor('00'));
    expect(rest).toEqual([]);
    expect(bp!.components).toEqual([{ name: 'diastolic', code: '8462-4', value: 80, unit: 'mm[Hg]' }]);

    const onlyMap: BloodPressureMeasurement = { unit: 'kPa', systolic: 'NaN', diastolic: '+INF', meanArterialPressure: 12, pulseRate: 64 };
    const readings = readingsFromBloodPressure(onlyMap, ctxFor('00'));
    expect(readings.map((r) => r.kind)).toEqual(['heart_rate']);
    expect(readings[0]!.components).toEqual([{ name: 'heartRate', code: '8867-4', value: 64, unit: '/min' }]);
  });
});
