/**
 * IEEE 11073-20601 medical floats: every special value, negative mantissas and exponents, the edges
 * of both ranges, and the rule that a reserved mantissa is special only with exponent 0.
 * Vectors: test/fixtures/gatt/ieee11073.ts (sources in each note).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzSeed } from '../../test/fixtures/gatt/decoder-suite.js';
import { FLOAT_VECTORS, SFLOAT_VECTORS } from '../../test/fixtures/gatt/ieee11073.js';
import { ByteReader } from './byte-reader.js';
import { decodeFloat, decodeSfloat, isSpecial, readFloat, readSfloat } from './ieee11073.js';

describe('SFLOAT (16-bit)', () => {
  it.each(SFLOAT_VECTORS.map((v) => [`0x${v.raw.toString(16).padStart(4, '0')}`, v] as const))('%s', (_raw, v) => {
    expect(decodeSfloat(v.raw), v.note).toBe(v.value);
  });

  it('reads little-endian from the wire and names the field when cut short', () => {
    expect(readSfloat(new ByteReader(Uint8Array.of(0x6f, 0xf0)), 'x')).toBe(11.1);
    expect(() => readSfloat(new ByteReader(Uint8Array.of(0x6f)), 'systolic')).toThrow(/systolic needs 2 bytes/);
  });

  it('decodes every one of the 65536 values to a finite number or a special name', () => {
    let specials = 0;
    for (let raw = 0; raw <= 0xffff; raw++) {
      const v = decodeSfloat(raw);
      if (isSpecial(v)) specials++;
      else expect(Number.isFinite(v)).toBe(true);
    }
    expect(specials).toBe(5);
  });
});

describe('FLOAT (32-bit)', () => {
  it.each(FLOAT_VECTORS.map((v) => [`0x${v.raw.toString(16).padStart(8, '0')}`, v] as const))('%s', (_raw, v) => {
    expect(decodeFloat(v.raw), v.note).toBe(v.value);
  });

  it('smallest exponent -128: within one part in 1e15 (10^128 is not exact in binary, so 1 / 10^128 may miss the literal by an ulp)', () => {
    const v = decodeFloat(0x80000001);
    expect(typeof v).toBe('number');
    expect(Math.abs((v as number) - 1e-128) / 1e-128).toBeLessThan(1e-15);
  });

  it('reads little-endian from the wire', () => {
    expect(readFloat(new ByteReader(Uint8Array.of(0xb0, 0x0e, 0x00, 0xfe)), 'temperature')).toBe(37.6);
  });

  const seed = fuzzSeed();
  it(`never yields NaN or infinity as a number (fast-check seed ${seed})`, () => {
    console.log(`[fast-check] FLOAT: seed ${seed}`);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (raw) => {
        const v = decodeFloat(raw);
        if (!isSpecial(v)) expect(Number.isFinite(v)).toBe(true);
      }),
      { seed, numRuns: 20_000, verbose: true },
    );
  });
});
