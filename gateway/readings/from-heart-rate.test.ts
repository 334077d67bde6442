import { describe, expect, it } from 'vitest';
import { Reading } from '../../contract/index.js';
import { HEART_RATE_VECTORS } from '../../test/fixtures/gatt/heart-rate.js';
import { readingContext } from '../../test/fixtures/gatt/reading-context.js';
import { readingsFromHeartRate } from './from-heart-rate.js';

describe('readingsFromHeartRate', () => {
  it('makes one heart_rate reading at receipt time', () => {
    const v = HEART_RATE_VECTORS[2]!; // 85 /min, contact detected
    const [r, ...rest] = readingsFromHeartRate(v.expected, readingContext(v.hex));
    expect(rest).toEqual([]);
    expect(r).toMatchObject({ kind: 'heart_rate', components: [{ name: 'heartRate', code: '8867-4', value: 85, unit: '/min' }], timeSource: 'receipt' });
    expect(r!.id).toMatch(/^u-/);
    expect(Reading.safeParse(r).success).toBe(true);
  });

  it('makes nothing without skin contact or without a beat', () => {
    const lost = HEART_RATE_VECTORS[1]!;
    expect(readingsFromHeartRate(lost.expected, readingContext(lost.hex))).toEqual([]);
    expect(readingsFromHeartRate({ heartRate: 0, sensorContact: 'detected' }, readingContext('06 00'))).toEqual([]);
  });
});
