/**
 * Glucose Feature, characteristic 0x2A51 (GLS 1.0 §3.5), read once: which sensor status annunciations
 * the meter can raise. GATT Specification Supplement: a uint16 bit field, bits 11-15 reserved.
 */
import { ByteReader } from './byte-reader.js';
import { flagNames } from './enums.js';
import { decodeSafely, type DecodeResult } from './result.js';

export const GLUCOSE_FEATURE_UUID = '2a51';

export const GLUCOSE_FEATURE_BITS: readonly string[] = [
  'lowBatteryDetection', // bit 0
  'sensorMalfunctionDetection', // bit 1
  'sensorSampleSize', // bit 2
  'sensorStripInsertionErrorDetection', // bit 3
  'sensorStripTypeErrorDetection', // bit 4
  'sensorResultHighLowDetection', // bit 5
  'sensorTemperatureHighLowDetection', // bit 6
  'sensorReadInterruptDetection', // bit 7
  'generalDeviceFault', // bit 8
  'timeFault', // bit 9
  'multipleBond', // bit 10
];

export interface GlucoseFeature {
  /** Names of the supported features. */
  readonly supported: readonly string[];
}

export function decodeGlucoseFeature(payload: Uint8Array): DecodeResult<GlucoseFeature> {
  return decodeSafely(() => ({ supported: flagNames(GLUCOSE_FEATURE_BITS, new ByteReader(payload).u16('glucoseFeature'), 16) }));
}
