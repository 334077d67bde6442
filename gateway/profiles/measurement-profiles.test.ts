import { describe, expect, it } from 'vitest';
import { INTERMEDIATE_CUFF_PRESSURE_VECTORS } from '../../test/fixtures/gatt/blood-pressure.js';
import { GLUCOSE_CONTEXT_VECTORS, GLUCOSE_VECTORS } from '../../test/fixtures/gatt/glucose.js';
import { HEART_RATE_VECTORS } from '../../test/fixtures/gatt/heart-rate.js';
import { readingContext } from '../../test/fixtures/gatt/reading-context.js';
import { TEMPERATURE_VECTORS } from '../../test/fixtures/gatt/thermometer.js';
import { bytes } from '../../test/fixtures/gatt/vector.js';
import { MEASUREMENT_PROFILES, profileFor } from './measurement-profiles.js';

describe('MEASUREMENT_PROFILES', () => {
  it('registers every measurement characteristic once, under its service', () => {
    expect(MEASUREMENT_PROFILES.map((p) => `${p.service}/${p.characteristic}`)).toEqual([
      '1810/2a35',
      '1810/2a36',
      '1809/2a1c',
      '1809/2a1e',
      '181d/2a9d',
      '181b/2a9c',
      '1808/2a18',
      '1808/2a34',
      '1822/2a5e',
      '1822/2a5f',
      '180d/2a37',
    ]);
  });

  it('decodes and makes readings in one step', () => {
    const v = TEMPERATURE_VECTORS[0]!;
    const result = profileFor('2a1c')!.decodeReadings(bytes(v.hex), readingContext(v.hex));
    expect(result.ok && result.value.map((r) => r.kind)).toEqual(['body_temperature']);
    const g = GLUCOSE_VECTORS[1]!;
    expect(profileFor('2a18')!.decodeReadings(bytes(g.hex), readingContext(g.hex))).toMatchObject({ ok: true, value: [{ kind: 'blood_glucose' }] });
  });

  it('reports malformed values', () => {
    expect(profileFor('2a37')!.decodeReadings(bytes('17 0101'), readingContext(''))).toMatchObject({ ok: false, reason: /rrIntervals\[0\]/ });
  });

  it('stores nothing from intermediate values and glucose context, but still checks them', () => {
    const icp = INTERMEDIATE_CUFF_PRESSURE_VECTORS[1]!;
    expect(profileFor('2a36')!.decodeReadings(bytes(icp.hex), readingContext(icp.hex))).toEqual({ ok: true, value: [] });
    const ctx = GLUCOSE_CONTEXT_VECTORS[0]!;
    expect(profileFor('2a34')!.decodeReadings(bytes(ctx.hex), readingContext(ctx.hex))).toEqual({ ok: true, value: [] });
    expect(profileFor('2a1e')!.decodeReadings(bytes('00 72'), readingContext('')).ok).toBe(false);
  });

  it('samples the heart rate stream to one reading per minute per device', () => {
    const v = HEART_RATE_VECTORS[2]!;
    const hr = profileFor('2a37')!;
    const device = { id: 'sampling-test-strap' };
    const at = (iso: string) => hr.decodeReadings(bytes(v.hex), readingContext(v.hex, { device, receivedAt: new Date(iso) }));
    expect(at('2026-11-22T12:00:00Z')).toMatchObject({ ok: true, value: [{ kind: 'heart_rate' }] });
    expect(at('2026-11-22T12:00:01Z')).toEqual({ ok: true, value: [] });
    expect(at('2026-11-22T12:01:00Z')).toMatchObject({ ok: true, value: [{ kind: 'heart_rate' }] });
  });
});
