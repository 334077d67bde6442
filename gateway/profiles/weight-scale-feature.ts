/**
 * Weight Scale Feature, characteristic 0x2A9E (WSS 1.0 §3.1), read once: what the scale supports and
 * how finely it really measures. GATT Specification Supplement §3.247: a uint32 bit field.
 */
import { ByteReader } from './byte-reader.js';
import { decodeSafely, type DecodeResult } from './result.js';

export const WEIGHT_SCALE_FEATURE_UUID = '2a9e';

export interface WeightScaleFeature {
  readonly timeStampSupported: boolean;
  readonly multipleUsersSupported: boolean;
  readonly bmiSupported: boolean;
  /** Real weight resolution in kg and lb, undefined when the scale does not say (or uses a reserved code). */
  readonly weightResolution?: { readonly kg: number; readonly lb: number };
  /** Real height resolution in m and in, undefined when not specified. */
  readonly heightResolution?: { readonly m: number; readonly in: number };
}

// WSS 1.0 §3.1.1, bits 3-6 Weight Measurement Resolution.
const WEIGHT_RESOLUTIONS: Readonly<Record<number, { kg: number; lb: number }>> = {
  1: { kg: 0.5, lb: 1 },
  2: { kg: 0.2, lb: 0.5 },
  3: { kg: 0.1, lb: 0.2 },
  4: { kg: 0.05, lb: 0.1 },
  5: { kg: 0.02, lb: 0.05 },
  6: { kg: 0.01, lb: 0.02 },
  7: { kg: 0.005, lb: 0.01 },
};

// WSS 1.0 §3.1.1, bits 7-9 Height Measurement Resolution.
const HEIGHT_RESOLUTIONS: Readonly<Record<number, { m: number; in: number }>> = {
  1: { m: 0.01, in: 1 },
  2: { m: 0.005, in: 0.5 },
  3: { m: 0.001, in: 0.1 },
};

export function decodeWeightScaleFeature(payload: Uint8Array): DecodeResult<WeightScaleFeature> {
  return decodeSafely(() => {
    const bits = new ByteReader(payload).u32('weightScaleFeature');
    const weightResolution = WEIGHT_RESOLUTIONS[(bits >>> 3) & 0x0f];
    const heightResolution = HEIGHT_RESOLUTIONS[(bits >>> 7) & 0x07];
    return {
      timeStampSupported: (bits & 0x01) !== 0, // bit 0: Time Stamp supported
      multipleUsersSupported: (bits & 0x02) !== 0, // bit 1: Multiple Users supported
      bmiSupported: (bits & 0x04) !== 0, // bit 2: BMI supported
      ...(weightResolution && { weightResolution }),
      ...(heightResolution && { heightResolution }),
    };
  });
}
