import { describe, expect, it } from 'vitest';
import { Reading } from '../../contract/index.js';
import { GLUCOSE_VECTORS } from '../../test/fixtures/gatt/glucose.js';
import { readingContext } from '../../test/fixtures/gatt/reading-context.js';
import { glucoseMeasurementTime, glucoseMmolPerL, readingsFromGlucose } from './from-glucose.js';

const [nordic, mgdl, mol, control, noConcentration] = GLUCOSE_VECTORS;

describe('glucose normalisation', () => {
  it.each([
    [0.0009, 'kg/L', 5], // 90 mg/dL / 18.0156 = 4.996
    [0.0018, 'kg/L', 9.99], // 180 mg/dL
    [0.0056, 'mol/L', 5.6],
    [0.00001, 'kg/L', 0.06], // 1 mg/dL
  ] as const)('%s %s = %s mmol/L', (value, unit, mmol) => {
    expect(glucoseMmolPerL(value, unit)).toBe(mmol);
  });

  it('adds the time offset to the base time across midnight', () => {
    expect(glucoseMeasurementTime({ baseTime: { year: 2026, month: 12, day: 31, hours: 23, minutes: 50, seconds: 5 }, timeOffset: 15 })).toEqual({
      year: 2027,
      month: 1,
      day: 1,
      hours: 0,
      minutes: 5,
      seconds: 5,
    });
  });
});

describe('readingsFromGlucose', () => {
  it('stores mmol/L at base time + offset with sensor status, the id keyed by sequence number', () => {
    const [r] = readingsFromGlucose(mgdl!.expected, readingContext(mgdl!.hex));
    expect(r).toMatchObject({ kind: 'blood_glucose', components: [{ name: 'glucose', code: '15074-8', value: 5, unit: 'mmol/L' }], deviceTime: '2026-11-22T07:30:00' });
    expect(r!.id).toMatch(/^h-/);
    expect(Reading.safeParse(r).success).toBe(true);

    const [n] = readingsFromGlucose(nordic!.expected, readingContext(nordic!.hex));
    expect(n!.deviceTime).toBe('2019-02-27T11:05:30'); // 11:10:30 - 5 min
    expect(n!.status).toEqual(['device_battery_low', 'sample_size_insufficient', 'sensor_temperature_too_low']);
  });

  it('gives a re-sent record the same id and another record another id', () => {
    const first = readingsFromGlucose(mol!.expected, readingContext(mol!.hex))[0]!.id;
    const again = readingsFromGlucose(mol!.expected, readingContext(mol!.hex, { receivedAt: new Date('2026-11-23T08:00:00Z') }))[0]!.id;
    const other = readingsFromGlucose(mgdl!.expected, readingContext(mgdl!.hex))[0]!.id;
    expect(again).toBe(first);
    expect(other).not.toBe(first);
  });

  it('ignores control-solution tests and records without a concentration', () => {
    expect(readingsFromGlucose(control!.expected, readingContext(control!.hex))).toEqual([]);
    expect(readingsFromGlucose(noConcentration!.expected, readingContext(noConcentration!.hex))).toEqual([]);
  });

  it('keeps a stable id when the meter does not know the date', () => {
    const m = { sequenceNumber: 3, glucoseConcentration: 0.0009, unit: 'kg/L' as const, type: 'capillaryPlasma', sampleLocation: 'finger', contextInformationFollows: false };
    const [r] = readingsFromGlucose(m, readingContext('02 0300 0000 00 00 00 00 00 5ab0 12'));
    expect(r).toMatchObject({ timeSource: 'receipt' });
    expect(r!.id).toMatch(/^h-/);
  });
});
