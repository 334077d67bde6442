/** Blood Pressure Measurement 0x2A35 / Intermediate Cuff Pressure 0x2A36 encoder (BLS 1.1.1 §3.1.1). */
import type { BloodPressureMeasurement, BpMeasurementStatus } from '../../gateway/profiles/blood-pressure-measurement.js';
import { ByteWriter } from './byte-writer.js';
import { writeDateTime } from './date-time.js';
import { encodeSfloat } from './ieee11073.js';

/** Exponent per value: whole mmHg by default; values with a fraction get one decimal. */
function sfloatFor(value: BloodPressureMeasurement['systolic']): number {
  if (typeof value === 'string') return encodeSfloat(value);
  return Number.isInteger(value) ? encodeSfloat(value, 0) : encodeSfloat(value, -1);
}

export function encodeMeasurementStatus(s: BpMeasurementStatus): number {
  const range = { within: 0, above: 1, below: 2, reserved: 3 }[s.pulseRateRange];
  return (
    (s.bodyMovement ? 0x01 : 0) |
    (s.cuffTooLoose ? 0x02 : 0) |
    (s.irregularPulse ? 0x04 : 0) |
    (range << 3) |
    (s.improperPosition ? 0x20 : 0)
  );
}

export function encodeBloodPressureMeasurement(m: BloodPressureMeasurement): Uint8Array {
  const flags =
    (m.unit === 'kPa' ? 0x01 : 0) |
    (m.timestamp ? 0x02 : 0) |
    (m.pulseRate !== undefined ? 0x04 : 0) |
    (m.userId !== undefined ? 0x08 : 0) |
    (m.measurementStatus ? 0x10 : 0);
  const w = new ByteWriter().u8(flags).u16(sfloatFor(m.systolic)).u16(sfloatFor(m.diastolic)).u16(sfloatFor(m.meanArterialPressure));
  if (m.timestamp) writeDateTime(w, m.timestamp);
  if (m.pulseRate !== undefined) w.u16(sfloatFor(m.pulseRate));
  if (m.userId !== undefined) w.u8(m.userId);
  if (m.measurementStatus) w.u16(encodeMeasurementStatus(m.measurementStatus));
  return w.toBytes();
}
