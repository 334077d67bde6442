/** PLX Spot-check 0x2A5E and PLX Continuous 0x2A5F encoders (PLXS 1.0.1 §3.1-3.2). */
import { flagBits } from '../../gateway/profiles/enums.js';
import type { PlxContinuousMeasurement } from '../../gateway/profiles/plx-continuous-measurement.js';
import { PLX_DEVICE_AND_SENSOR_STATUS_BITS, PLX_MEASUREMENT_STATUS_BITS } from '../../gateway/profiles/plx-status.js';
import type { PlxSpotCheckMeasurement } from '../../gateway/profiles/plx-spot-check-measurement.js';
import { ByteWriter } from './byte-writer.js';
import { writeDateTime } from './date-time.js';
import { sfloatOf, type EncodeOptions } from './options.js';

function writeStatus(w: ByteWriter, m: { measurementStatus?: readonly string[]; deviceAndSensorStatus?: readonly string[] }): void {
  if (m.measurementStatus) w.u16(flagBits(PLX_MEASUREMENT_STATUS_BITS, m.measurementStatus));
  if (m.deviceAndSensorStatus) w.u24(flagBits(PLX_DEVICE_AND_SENSOR_STATUS_BITS, m.deviceAndSensorStatus));
}

export function encodePlxSpotCheckMeasurement(m: PlxSpotCheckMeasurement, options?: EncodeOptions): Uint8Array {
  const flags =
    (m.timestamp ? 0x01 : 0) |
    (m.measurementStatus ? 0x02 : 0) |
    (m.deviceAndSensorStatus ? 0x04 : 0) |
    (m.pulseAmplitudeIndex !== undefined ? 0x08 : 0) |
    (m.deviceClockNotSet ? 0x10 : 0);
  const w = new ByteWriter().u8(flags).u16(sfloatOf(m.spo2, 'spo2', options)).u16(sfloatOf(m.pulseRate, 'pulseRate', options));
  if (m.timestamp) writeDateTime(w, m.timestamp);
  writeStatus(w, m);
  if (m.pulseAmplitudeIndex !== undefined) w.u16(sfloatOf(m.pulseAmplitudeIndex, 'pulseAmplitudeIndex', options));
  return w.toBytes();
}

export function encodePlxContinuousMeasurement(m: PlxContinuousMeasurement, options?: EncodeOptions): Uint8Array {
  const fast = m.spo2Fast !== undefined && m.pulseRateFast !== undefined;
  const slow = m.spo2Slow !== undefined && m.pulseRateSlow !== undefined;
  const flags =
    (fast ? 0x01 : 0) |
    (slow ? 0x02 : 0) |
    (m.measurementStatus ? 0x04 : 0) |
    (m.deviceAndSensorStatus ? 0x08 : 0) |
    (m.pulseAmplitudeIndex !== undefined ? 0x10 : 0);
  const w = new ByteWriter().u8(flags).u16(sfloatOf(m.spo2, 'spo2', options)).u16(sfloatOf(m.pulseRate, 'pulseRate', options));
  if (fast) w.u16(sfloatOf(m.spo2Fast, 'spo2Fast', options)).u16(sfloatOf(m.pulseRateFast, 'pulseRateFast', options));
  if (slow) w.u16(sfloatOf(m.spo2Slow, 'spo2Slow', options)).u16(sfloatOf(m.pulseRateSlow, 'pulseRateSlow', options));
  writeStatus(w, m);
  if (m.pulseAmplitudeIndex !== undefined) w.u16(sfloatOf(m.pulseAmplitudeIndex, 'pulseAmplitudeIndex', options));
  return w.toBytes();
}
