import { describe, expect, it } from 'vitest';
import { Reading } from '../../contract/index.js';
import { readingContext } from '../../test/fixtures/gatt/reading-context.js';
import { TEMPERATURE_VECTORS } from '../../test/fixtures/gatt/thermometer.js';
import { readingsFromTemperature } from './from-thermometer.js';

const [nordic, beurer, plain, nan] = TEMPERATURE_VECTORS;

describe('readingsFromTemperature', () => {
  it('makes one body_temperature reading at the device time, with a stable id and the site', () => {
    const ctx = readingContext(nordic!.hex);
    const [r, ...rest] = readingsFromTemperature(nordic!.expected, ctx);
    expect(rest).toEqual([]);
    expect(r).toMatchObject({
      kind: 'body_temperature',
      components: [{ name: 'temperature', code: '8310-5', value: 37.6, unit: 'Cel' }],
      deviceTime: '2012-12-05T11:50:27',
      measuredAt: '2012-12-05T10:50:27.000Z', // CET
      timeSource: 'device',
      late: true,
      status: ['site_finger'],
    });
    expect(r!.id).toMatch(/^h-/);
    expect(readingsFromTemperature(nordic!.expected, readingContext(nordic!.hex))[0]!.id).toBe(r!.id);
    expect(Reading.safeParse(r).success).toBe(true);
  });

  it('converts °F to °C (78.4 °F = 25.78 °C)', () => {
    const [r] = readingsFromTemperature(beurer!.expected, readingContext(beurer!.hex));
    expect(r!.components[0]!.value).toBe(25.78);
    expect(r!.status).toEqual(['site_reserved_255']);
  });

  it('uses the receipt time and a ULID without a device time stamp', () => {
    const [r] = readingsFromTemperature(plain!.expected, readingContext(plain!.hex));
    expect(r).toMatchObject({ timeSource: 'receipt', measuredAt: '2026-11-22T12:00:00.000Z' });
    expect(r!.id).toMatch(/^u-/);
    expect(r!.status).toBeUndefined();
  });

  it('makes nothing of a special value', () => {
    expect(readingsFromTemperature(nan!.expected, readingContext(nan!.hex))).toEqual([]);
  });
});
