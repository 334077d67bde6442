import { describe, expect, it } from 'vitest';
import { Reading } from '../../contract/index.js';
import { PLX_CONTINUOUS_VECTORS, PLX_SPOT_CHECK_VECTORS } from '../../test/fixtures/gatt/pulse-oximeter.js';
import { readingContext } from '../../test/fixtures/gatt/reading-context.js';
import { readingsFromPlxContinuous, readingsFromPlxSpotCheck } from './from-pulse-oximeter.js';

const spot = PLX_SPOT_CHECK_VECTORS[0]!;
const clockNotSet = PLX_SPOT_CHECK_VECTORS[3]!;
const continuous = PLX_CONTINUOUS_VECTORS[1]!;

describe('readingsFromPlxSpotCheck', () => {
  it('makes spo2 and heart_rate readings at the device time with status flags', () => {
    const readings = readingsFromPlxSpotCheck(spot.expected, readingContext(spot.hex));
    expect(readings.map((r) => [r.kind, r.components[0]!.value, r.components[0]!.unit])).toEqual([
      ['spo2', 94, '%'],
      ['heart_rate', 147, '/min'],
    ]);
    expect(readings[0]).toMatchObject({
      deviceTime: '2024-11-29T23:08:57',
      status: ['measurement_ongoing', 'questionable_measurement_detected', 'equipment_malfunction_detected', 'low_perfusion_detected'],
    });
    expect(readings[0]!.id).toMatch(/^h-/);
    expect(readings[0]!.id).not.toBe(readings[1]!.id);
    for (const r of readings) expect(Reading.safeParse(r).success).toBe(true);
  });

  it('ignores the time stamp of a clock that is not set', () => {
    const [r] = readingsFromPlxSpotCheck(clockNotSet.expected, readingContext(clockNotSet.hex));
    expect(r).toMatchObject({ timeSource: 'receipt', measuredAt: '2026-11-22T12:00:00.000Z' });
    expect(r!.id).toMatch(/^u-/);
  });

  it.each(['measurementUnavailable', 'invalidMeasurementDetected', 'dataForDemonstration', 'dataForTesting', 'calibrationOngoing'])('skips values flagged %s', (flag) => {
    expect(readingsFromPlxSpotCheck({ ...spot.expected, measurementStatus: [flag] }, readingContext(spot.hex))).toEqual([]);
  });

  it('leaves out a special value but keeps the other', () => {
    const readings = readingsFromPlxSpotCheck({ ...spot.expected, spo2: 'NaN', measurementStatus: [] }, readingContext(spot.hex));
    expect(readings.map((r) => r.kind)).toEqual(['heart_rate']);
  });
});

describe('readingsFromPlxContinuous', () => {
  it('makes receipt-time readings', () => {
    const readings = readingsFromPlxContinuous(continuous.expected, readingContext(continuous.hex));
    expect(readings.map((r) => r.components[0]!.value)).toEqual([95, 90]);
    expect(readings[0]).toMatchObject({ timeSource: 'receipt', status: ['measurement_ongoing'] });
    expect(readings[0]!.id).toMatch(/^u-/);
  });

  it('skips early estimates', () => {
    expect(readingsFromPlxContinuous({ ...continuous.expected, measurementStatus: ['earlyEstimatedData'] }, readingContext(continuous.hex))).toEqual([]);
  });
});
