/**
 * Blood Pressure Measurement, characteristic 0x2A35 (Blood Pressure Service 0x1810, BLS v1.1.1),
 * sent by indication. Byte layout (GATT Specification Supplement §3.31):
 *   flags u8 | systolic SFLOAT | diastolic SFLOAT | mean arterial pressure SFLOAT
 *   | [time stamp: Date Time, 7 octets] | [pulse rate SFLOAT] | [user id u8] | [measurement status u16]
 */
import { ByteReader } from './byte-reader.js';
import { readDateTime, type LocalDateTime } from './date-time.js';
import { readSfloat, type MderValue } from './ieee11073.js';
import { decodeSafely, type DecodeResult } from './result.js';

export const BLOOD_PRESSURE_MEASUREMENT_UUID = '2a35';

export type PressureUnit = 'mmHg' | 'kPa';
export type PulseRateRange = 'within' | 'above' | 'below' | 'reserved';

export interface BpMeasurementStatus {
  readonly bodyMovement: boolean;
  readonly cuffTooLoose: boolean;
  readonly irregularPulse: boolean;
  readonly pulseRateRange: PulseRateRange;
  readonly improperPosition: boolean;
}

export interface BloodPressureMeasurement {
  readonly unit: PressureUnit;
  readonly systolic: MderValue;
  readonly diastolic: MderValue;
  readonly meanArterialPressure: MderValue;
  readonly timestamp?: LocalDateTime;
  readonly pulseRate?: MderValue;
  readonly userId?: number;
  readonly measurementStatus?: BpMeasurementStatus;
}

// BLS 1.1.1 §3.1.1.1 Flags field.
const FLAG_UNITS_KPA = 0x01; // bit 0: 0 = mmHg, 1 = kPa
const FLAG_TIME_STAMP = 0x02; // bit 1: Time Stamp present
const FLAG_PULSE_RATE = 0x04; // bit 2: Pulse Rate present
const FLAG_USER_ID = 0x08; // bit 3: User ID present
const FLAG_MEASUREMENT_STATUS = 0x10; // bit 4: Measurement Status present

const PULSE_RATE_RANGES: readonly PulseRateRange[] = ['within', 'above', 'below', 'reserved'];

export function decodeMeasurementStatus(bits: number): BpMeasurementStatus {
  // BLS 1.1.1 §3.1.1.6 Measurement Status field.
  return {
    bodyMovement: (bits & 0x0001) !== 0, // bit 0: body movement detected during measurement
    cuffTooLoose: (bits & 0x0002) !== 0, // bit 1: cuff fit too loose
    irregularPulse: (bits & 0x0004) !== 0, // bit 2: irregular pulse detected
    pulseRateRange: PULSE_RATE_RANGES[(bits >> 3) & 0x03]!, // bits 3-4: pulse rate range detection
    improperPosition: (bits & 0x0020) !== 0, // bit 5: improper measurement position
  };
}

export function decodeBloodPressureMeasurement(payload: Uint8Array): DecodeResult<BloodPressureMeasurement> {
  return decodeSafely(() => {
    const r = new ByteReader(payload);
    const flags = r.u8('flags');
    const unit: PressureUnit = flags & FLAG_UNITS_KPA ? 'kPa' : 'mmHg';
    const systolic = readSfloat(r, 'systolic');
    const diastolic = readSfloat(r, 'diastolic');
    const meanArterialPressure = readSfloat(r, 'meanArterialPressure');
    const timestamp = flags & FLAG_TIME_STAMP ? readDateTime(r, 'timestamp') : undefined;
    const pulseRate = flags & FLAG_PULSE_RATE ? readSfloat(r, 'pulseRate') : undefined;
    const userId = flags & FLAG_USER_ID ? r.u8('userId') : undefined;
    const measurementStatus = flags & FLAG_MEASUREMENT_STATUS ? decodeMeasurementStatus(r.u16('measurementStatus')) : undefined;
    // Trailing bytes are tolerated: later spec versions may append fields (BLS 1.1 compatibility rule).
    return {
      unit,
      systolic,
      diastolic,
      meanArterialPressure,
      ...(timestamp && { timestamp }),
      ...(pulseRate !== undefined && { pulseRate }),
      ...(userId !== undefined && { userId }),
      ...(measurementStatus && { measurementStatus }),
    };
  });
}
