/**
 * One entry per measurement characteristic, one dispatcher: the session subscribes to every
 * characteristic listed here that a device offers and routes each value to its entry.
 */
import type { Reading } from '../../contract/index.js';
import { SERVICE, CHARACTERISTIC } from '../ble/gatt-uuids.js';
import { readingsFromBloodPressure, type ReadingContext } from '../readings/from-blood-pressure.js';
import { decodeBloodPressureMeasurement } from './blood-pressure-measurement.js';
import type { DecodeResult } from './result.js';

export interface MeasurementProfile {
  readonly service: string;
  readonly characteristic: string;
  readonly name: string;
  /** Bytes in, readings out; `{ ok: false }` for malformed payloads. Never throws. */
  decodeReadings(payload: Uint8Array, ctx: ReadingContext): DecodeResult<Reading[]>;
}

function profile<T>(
  service: string,
  characteristic: string,
  name: string,
  decode: (payload: Uint8Array) => DecodeResult<T>,
  toReadings: (value: T, ctx: ReadingContext) => Reading[],
): MeasurementProfile {
  return {
    service,
    characteristic,
    name,
    decodeReadings(payload, ctx) {
      const decoded = decode(payload);
      return decoded.ok ? { ok: true, value: toReadings(decoded.value, { ...ctx, raw: payload }) } : decoded;
    },
  };
}

export const MEASUREMENT_PROFILES: readonly MeasurementProfile[] = [
  profile(SERVICE.bloodPressure, CHARACTERISTIC.bloodPressureMeasurement, 'Blood Pressure Measurement', decodeBloodPressureMeasurement, readingsFromBloodPressure),
];

export function profileFor(characteristic: string): MeasurementProfile | undefined {
  return MEASUREMENT_PROFILES.find((p) => p.characteristic === characteristic);
}
