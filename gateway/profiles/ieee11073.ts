/**
 * IEEE 11073-20601 SFLOAT (16-bit) and FLOAT (32-bit), as used by the Bluetooth health profiles.
 * A special value (NaN, NRes, ±INF, reserved) is returned as its name, never as a number, so it
 * cannot become a reading by accident.
 */
import type { ByteReader } from './byte-reader.js';

export type SpecialValue = 'NaN' | 'NRes' | '+INF' | '-INF' | 'reserved';
export type MderValue = number | SpecialValue;

export function isSpecial(value: MderValue): value is SpecialValue {
  return typeof value === 'string';
}

/** mantissa * 10^exponent, dividing for negative exponents so 1207e-1 is 120.7, not 120.70000000000002. */
function scale(mantissa: number, exponent: number): number {
  return exponent < 0 ? mantissa / 10 ** -exponent : mantissa * 10 ** exponent;
}

// IEEE 11073-20601 §F.8 / GATT Specification Supplement "medfloat16": reserved mantissas with exponent 0.
const SFLOAT_SPECIAL: Readonly<Record<number, SpecialValue>> = {
  0x07ff: 'NaN',
  0x0800: 'NRes',
  0x07fe: '+INF',
  0x0802: '-INF',
  0x0801: 'reserved',
};

/** Decodes a raw 16-bit SFLOAT: 4-bit signed exponent (high nibble), 12-bit signed mantissa. */
export function decodeSfloat(raw: number): MderValue {
  const bits = raw & 0xffff;
  const mantissaBits = bits & 0x0fff;
  let exponent = bits >> 12;
  if (exponent === 0) {
    const special = SFLOAT_SPECIAL[mantissaBits];
    if (special) return special;
  }
  if (exponent >= 0x8) exponent -= 0x10;
  const mantissa = mantissaBits >= 0x800 ? mantissaBits - 0x1000 : mantissaBits;
  return scale(mantissa, exponent);
}

// IEEE 11073-20601 §F.6 / GATT Specification Supplement "medfloat32".
const FLOAT_SPECIAL: Readonly<Record<number, SpecialValue>> = {
  0x007fffff: 'NaN',
  0x00800000: 'NRes',
  0x007ffffe: '+INF',
  0x00800002: '-INF',
  0x00800001: 'reserved',
};

/** Decodes a raw 32-bit FLOAT: 8-bit signed exponent (high byte), 24-bit signed mantissa. */
export function decodeFloat(raw: number): MderValue {
  const bits = raw >>> 0;
  const mantissaBits = bits & 0x00ffffff;
  let exponent = bits >>> 24;
  if (exponent === 0) {
    const special = FLOAT_SPECIAL[mantissaBits];
    if (special) return special;
  }
  if (exponent >= 0x80) exponent -= 0x100;
  const mantissa = mantissaBits >= 0x800000 ? mantissaBits - 0x1000000 : mantissaBits;
  return scale(mantissa, exponent);
}

export function readSfloat(reader: ByteReader, field: string): MderValue {
  return decodeSfloat(reader.u16(field));
}

export function readFloat(reader: ByteReader, field: string): MderValue {
  return decodeFloat(reader.u32(field));
}
