/** Blood Pressure Measurement 0x2A35 / Intermediate Cuff Pressure 0x2A36 encoder (BLS 1.1.1 §3.1.1). */
import type { BloodPressureMeasurement, BpMeasurementStatus } from '../../gateway/profiles/blood-pressure-measurement.js';
import { ByteWriter } from './byte-writer.js';
import { writeDateTime } from './date-time.js';
import { encodeSfloat } from './ieee11073.js';

// The simulator's own copy of the wire constants, so a gateway table slip cannot hide in the round trip.
// BLS 1.1.1 §3.1.1.1 Flags field (bits 5-7 reserved, never set).
const FLAG_UNITS_KPA = 0x01; // bit 0: 0 = mmHg, 1 = kPa
const FLAG_TIME_STAMP = 0x02; // bit 1: Time Stamp present
const FLAG_PULSE_RATE = 0x04; // bit 2: Pulse Rate present
const FLAG_USER_ID = 0x08; // bit 3: User ID present
const FLAG_MEASUREMENT_STATUS = 0x10; // bit 4: Measurement Status present

// BLS 1.1.1 §3.1.1.6 Measurement Status field (bits 6-15 reserved, never set).
const STATUS_BODY_MOVEMENT = 0x0001; // bit 0
const STATUS_CUFF_TOO_LOOSE = 0x0002; // bit 1
const STATUS_IRREGULAR_PULSE = 0x0004; // bit 2
const STATUS_PULSE_RATE_RANGE_SHIFT = 3; // bits 3-4: 0 within, 1 above upper limit, 2 below lower limit, 3 reserved
const STATUS_IMPROPER_POSITION = 0x0020; // bit 5
const PULSE_RATE_RANGE_CODES = { within: 0, above: 1, below: 2, reserved: 3 } as const;

/** Exponent per value: whole mmHg by default; values with a fraction get one decimal. */
function sfloatFor(value: BloodPressureMeasurement['systolic']): number {
  if (typeof value === 'string') return encodeSfloat(value);
  return Number.isInteger(value) ? encodeSfloat(value, 0) : encodeSfloat(value, -1);
}

export function encodeMeasurementStatus(s: BpMeasurementStatus): number {
  return (
    (s.bodyMovement ? STATUS_BODY_MOVEMENT : 0) |
    (s.cuffTooLoose ? STATUS_CUFF_TOO_LOOSE : 0) |
    (s.irregularPulse ? STATUS_IRREGULAR_PULSE : 0) |
    (PULSE_RATE_RANGE_CODES[s.pulseRateRange] << STATUS_PULSE_RATE_RANGE_SHIFT) |
    (s.improperPosition ? STATUS_IMPROPER_POSITION : 0)
  );
}

export function encodeBloodPressureMeasurement(m: BloodPressureMeasurement): Uint8Array {
  const flags =
    (m.unit === 'kPa' ? FLAG_UNITS_KPA : 0) |
    (m.timestamp ? FLAG_TIME_STAMP : 0) |
    (m.pulseRate !== undefined ? FLAG_PULSE_RATE : 0) |
    (m.userId !== undefined ? FLAG_USER_ID : 0) |
    (m.measurementStatus ? FLAG_MEASUREMENT_STATUS : 0);
  const w = new ByteWriter().u8(flags).u16(sfloatFor(m.systolic)).u16(sfloatFor(m.diastolic)).u16(sfloatFor(m.meanArterialPressure));
  if (m.timestamp) writeDateTime(w, m.timestamp);
  if (m.pulseRate !== undefined) w.u16(sfloatFor(m.pulseRate));
  if (m.userId !== undefined) w.u8(m.userId);
  if (m.measurementStatus) w.u16(encodeMeasurementStatus(m.measurementStatus));
  return w.toBytes();
}
