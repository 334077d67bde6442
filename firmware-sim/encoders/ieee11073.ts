/**
 * IEEE 11073-20601 SFLOAT / FLOAT encoders: the inverse of gateway/profiles/ieee11073.ts.
 * A device picks its exponent (a cuff sends whole mmHg with exponent 0, a thermometer 0.1 °C with -1).
 */
import type { SpecialValue } from '../../gateway/profiles/ieee11073.js';

const SFLOAT_SPECIAL_RAW: Readonly<Record<SpecialValue, number>> = {
  NaN: 0x07ff,
  NRes: 0x0800,
  '+INF': 0x07fe,
  '-INF': 0x0802,
  reserved: 0x0801,
};

const FLOAT_SPECIAL_RAW: Readonly<Record<SpecialValue, number>> = {
  NaN: 0x007fffff,
  NRes: 0x00800000,
  '+INF': 0x007ffffe,
  '-INF': 0x00800002,
  reserved: 0x00800001,
};

/**
 * Finite mantissas per exponent. With exponent 0 the mantissas 0x7FE..0x802 (SFLOAT) and
 * 0x7FFFFE..0x800002 (FLOAT) are the special values (IEEE 11073-20601 §F.6, §F.8), so a finite value
 * there stays within ±2045 / ±8388605; any other exponent has the whole two's-complement range.
 */
export function sfloatMantissaRange(exponent: number): readonly [number, number] {
  return exponent === 0 ? [-2045, 2045] : [-2048, 2047];
}

export function floatMantissaRange(exponent: number): readonly [number, number] {
  return exponent === 0 ? [-8_388_605, 8_388_605] : [-8_388_608, 8_388_607];
}

function mantissaFor(value: number, exponent: number): number {
  return Math.round(exponent < 0 ? value * 10 ** -exponent : value / 10 ** exponent);
}

/** Raw 16-bit SFLOAT. Throws if the value does not fit the 12-bit mantissa at this exponent (a sim bug, not radio data). */
export function encodeSfloat(value: number | SpecialValue, exponent = 0): number {
  if (typeof value === 'string') return SFLOAT_SPECIAL_RAW[value];
  if (exponent < -8 || exponent > 7) throw new RangeError(`SFLOAT exponent ${exponent} outside -8..7`);
  const mantissa = mantissaFor(value, exponent);
  const [min, max] = sfloatMantissaRange(exponent);
  if (mantissa < min || mantissa > max) throw new RangeError(`SFLOAT mantissa ${mantissa} out of range for ${value}e${exponent}`);
  return (((exponent & 0x0f) << 12) | (mantissa & 0x0fff)) & 0xffff;
}

/** Raw 32-bit FLOAT. */
export function encodeFloat(value: number | SpecialValue, exponent = 0): number {
  if (typeof value === 'string') return FLOAT_SPECIAL_RAW[value];
  if (exponent < -128 || exponent > 127) throw new RangeError(`FLOAT exponent ${exponent} outside -128..127`);
  const mantissa = mantissaFor(value, exponent);
  const [min, max] = floatMantissaRange(exponent);
  if (mantissa < min || mantissa > max) throw new RangeError(`FLOAT mantissa ${mantissa} out of range for ${value}e${exponent}`);
  return (((exponent & 0xff) << 24) | (mantissa & 0x00ffffff)) >>> 0;
}

/** value = mantissa * 10^exponent exactly, computed the way the gateway's decoder does. */
function represents(value: number, mantissa: number, exponent: number): boolean {
  return (exponent < 0 ? mantissa / 10 ** -exponent : mantissa * 10 ** exponent) === value;
}

function exponentFor(value: number, range: (e: number) => readonly [number, number], minExp: number, maxExp: number): number {
  const fits = (e: number) => {
    const m = mantissaFor(value, e);
    const [min, max] = range(e);
    return m >= min && m <= max ? m : undefined;
  };
  // Exact first, preferring exponent 0, then as few decimals as needed, then powers of ten.
  for (let e = 0; e >= minExp; e--) {
    const m = fits(e);
    if (m !== undefined && represents(value, m, e)) return e;
  }
  for (let e = 1; e <= maxExp; e++) {
    const m = fits(e);
    if (m !== undefined && represents(value, m, e)) return e;
  }
  // Not exactly representable: the finest exponent whose mantissa fits (rounds the value).
  for (let e = minExp; e <= maxExp; e++) if (fits(e) !== undefined) return e;
  throw new RangeError(`${value} is too large for this medical float`);
}

/** The exponent a device would choose for a value: the one that represents it exactly with the fewest decimals. */
export function sfloatExponentFor(value: number): number {
  return exponentFor(value, sfloatMantissaRange, -8, 7);
}

export function floatExponentFor(value: number): number {
  return exponentFor(value, floatMantissaRange, -128, 127);
}
