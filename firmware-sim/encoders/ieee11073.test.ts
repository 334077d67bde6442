import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFloat, decodeSfloat, isSpecial, type SpecialValue } from '../../gateway/profiles/ieee11073.js';
import { fuzzSeed } from '../../test/fixtures/gatt/decoder-suite.js';
import { FLOAT_VECTORS, SFLOAT_VECTORS } from '../../test/fixtures/gatt/ieee11073.js';
import { encodeFloat, encodeSfloat, floatExponentFor, sfloatExponentFor } from './ieee11073.js';

describe('encodeSfloat', () => {
  it.each(SFLOAT_VECTORS.map((v) => [`0x${v.raw.toString(16).padStart(4, '0')} (${v.note})`, v] as const))('%s', (_name, v) => {
    expect(isSpecial(v.value) ? encodeSfloat(v.value) : encodeSfloat(v.value, v.exponent)).toBe(v.raw);
  });

  it('never writes a finite value into a special value slot (-2046 at exponent 0 would be -INF)', () => {
    expect(() => encodeSfloat(-2046, 0)).toThrow(RangeError);
    expect(() => encodeSfloat(2046, 0)).toThrow(RangeError);
    expect(encodeSfloat(-204.6, -1)).toBe(0xf802);
  });

  it.each([
    [120, 0],
    [37.6, -1],
    [8.7, -1],
    [0.0009, -4], // 9e-4: the fewest decimals, not the 90e-5 a meter may send
    // Values from StanfordSpezi/SpeziBluetooth Tests/SpeziBluetoothTests/MedFloatTests.swift (which also stores 123000 as 1230e2):
    [123000, 2],
    [-12.34, -2],
    [0.0000012, -7],
  ])('chooses the exponent for %s: %s', (value, exponent) => {
    expect(sfloatExponentFor(value)).toBe(exponent);
  });

  it('re-encodes every one of the 65536 SFLOATs to the same value', () => {
    for (let raw = 0; raw <= 0xffff; raw++) {
      const v = decodeSfloat(raw);
      const again = isSpecial(v) ? encodeSfloat(v) : encodeSfloat(v, sfloatExponentFor(v));
      expect(decodeSfloat(again)).toBe(v);
    }
  });
});

describe('encodeFloat', () => {
  it.each(FLOAT_VECTORS.map((v) => [`0x${v.raw.toString(16).padStart(8, '0')} (${v.note})`, v] as const))('%s', (_name, v) => {
    expect(isSpecial(v.value) ? encodeFloat(v.value) : encodeFloat(v.value, v.exponent)).toBe(v.raw);
  });

  it.each(['NaN', 'NRes', '+INF', '-INF', 'reserved'] as SpecialValue[])('round-trips %s', (name) => {
    expect(decodeFloat(encodeFloat(name))).toBe(name);
  });

  const seed = fuzzSeed();
  it(`re-encodes random FLOATs to the same value (fast-check seed ${seed})`, () => {
    console.log(`[fast-check] FLOAT re-encode: seed ${seed}`);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (raw) => {
        const v = decodeFloat(raw);
        const again = isSpecial(v) ? encodeFloat(v) : encodeFloat(v, floatExponentFor(v));
        expect(decodeFloat(again)).toBe(v);
      }),
      { seed, numRuns: 5000, verbose: true },
    );
  });
});
