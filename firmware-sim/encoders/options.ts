/**
 * How an encoder writes medical floats. A device chooses its own exponent (a thermometer may send
 * 37.60 as 3760e-2), and the decoded number does not remember it, so round-trip tests pass the
 * exponents of a vector explicitly; otherwise the exponent that represents the value exactly with the
 * fewest decimals is used.
 */
import type { MderValue } from '../../gateway/profiles/ieee11073.js';
import { encodeFloat, encodeSfloat, floatExponentFor, sfloatExponentFor } from './ieee11073.js';

export interface EncodeOptions {
  /** Exponent per field name, e.g. { temperature: -2 }. */
  readonly exponents?: Readonly<Record<string, number>>;
}

export function sfloatOf(value: MderValue, field: string, options?: EncodeOptions): number {
  if (typeof value === 'string') return encodeSfloat(value);
  return encodeSfloat(value, options?.exponents?.[field] ?? sfloatExponentFor(value));
}

export function floatOf(value: MderValue, field: string, options?: EncodeOptions): number {
  if (typeof value === 'string') return encodeFloat(value);
  return encodeFloat(value, options?.exponents?.[field] ?? floatExponentFor(value));
}
