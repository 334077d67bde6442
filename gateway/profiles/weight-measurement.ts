/**
 * Weight Measurement, characteristic 0x2A9D (Weight Scale Service 0x181D, WSS 1.0 §3.2), indicated.
 * GATT Specification Supplement §3.246:
 *   flags u8 | weight u16 | [time stamp: Date Time] | [user id u8] | [BMI u16, height u16]
 * Resolutions are fixed by the characteristic, not by the Weight Scale Feature (which only says how
 * fine the scale really measures): SI 0.005 kg and 0.001 m, imperial 0.01 lb and 0.1 in, BMI 0.1.
 */
import { ByteReader } from './byte-reader.js';
import { readDateTime, type LocalDateTime } from './date-time.js';
import { decodeSafely, type DecodeResult } from './result.js';

export const WEIGHT_MEASUREMENT_UUID = '2a9d';

/** WSS 1.0 §3.2.1.2: a weight of 0xFFFF means "measurement unsuccessful". */
export const MEASUREMENT_UNSUCCESSFUL = 'measurementUnsuccessful';

export type MassUnit = 'kg' | 'lb';
export type LengthUnit = 'm' | 'in';

export interface WeightMeasurement {
  readonly unit: MassUnit;
  readonly weight: number | typeof MEASUREMENT_UNSUCCESSFUL;
  readonly timestamp?: LocalDateTime;
  readonly userId?: number;
  readonly bmi?: number;
  readonly height?: number;
  readonly heightUnit?: LengthUnit;
}

// WSS 1.0 §3.2.1.1 Flags field.
const FLAG_IMPERIAL = 0x01; // bit 0: 0 = SI (kg, m), 1 = imperial (lb, in)
const FLAG_TIME_STAMP = 0x02; // bit 1: Time Stamp present
const FLAG_USER_ID = 0x04; // bit 2: User ID present
const FLAG_BMI_AND_HEIGHT = 0x08; // bit 3: BMI and Height present (both or neither)

/** Mass fields shared with Body Composition: SI resolution 0.005 kg (raw / 200), imperial 0.01 lb (raw / 100). */
export function massFromRaw(raw: number, unit: MassUnit): number {
  return unit === 'kg' ? raw / 200 : raw / 100;
}

/** Height: SI resolution 0.001 m, imperial 0.1 in. */
export function heightFromRaw(raw: number, unit: LengthUnit): number {
  return unit === 'm' ? raw / 1000 : raw / 10;
}

export function decodeWeightMeasurement(payload: Uint8Array): DecodeResult<WeightMeasurement> {
  return decodeSafely(() => {
    const r = new ByteReader(payload);
    const flags = r.u8('flags');
    const unit: MassUnit = flags & FLAG_IMPERIAL ? 'lb' : 'kg';
    const rawWeight = r.u16('weight');
    const weight = rawWeight === 0xffff ? MEASUREMENT_UNSUCCESSFUL : massFromRaw(rawWeight, unit);
    const timestamp = flags & FLAG_TIME_STAMP ? readDateTime(r, 'timestamp') : undefined;
    const userId = flags & FLAG_USER_ID ? r.u8('userId') : undefined;
    let bmiAndHeight: Pick<WeightMeasurement, 'bmi' | 'height' | 'heightUnit'> = {};
    if (flags & FLAG_BMI_AND_HEIGHT) {
      const bmi = r.u16('bmi') / 10; // resolution 0.1 kg/m2
      const heightUnit: LengthUnit = unit === 'kg' ? 'm' : 'in';
      bmiAndHeight = { bmi, height: heightFromRaw(r.u16('height'), heightUnit), heightUnit };
    }
    return { unit, weight, ...(timestamp && { timestamp }), ...(userId !== undefined && { userId }), ...bmiAndHeight };
  });
}
