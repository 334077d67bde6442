/** PLX Spot-check 0x2A5E and PLX Continuous 0x2A5F encoders (PLXS 1.0.1 §3.1-3.2). */
import type { PlxContinuousMeasurement } from '../../gateway/profiles/plx-continuous-measurement.js';
import type { PlxSpotCheckMeasurement } from '../../gateway/profiles/plx-spot-check-measurement.js';
import { ByteWriter } from './byte-writer.js';
import { writeDateTime } from './date-time.js';
import { sfloatOf, type EncodeOptions } from './options.js';

/**
 * Bit numbers written here from the specification rather than imported from the gateway, so a wrong
 * bit on either side fails against the literal vectors instead of encoding and decoding wrongly
 * together. Measurement Status (uint16): PLXS 1.0.1 §3.1.1.4 / GATT Specification Supplement "PLX
 * Measurement Status"; bits 0-4 are reserved for future use.
 */
const MEASUREMENT_STATUS_BIT: Readonly<Record<string, number>> = {
  measurementOngoing: 5,
  earlyEstimatedData: 6,
  validatedData: 7,
  fullyQualifiedData: 8,
  dataFromMeasurementStorage: 9,
  dataForDemonstration: 10,
  dataForTesting: 11,
  calibrationOngoing: 12,
  measurementUnavailable: 13,
  questionableMeasurementDetected: 14,
  invalidMeasurementDetected: 15,
};

/** Device and Sensor Status (uint24): PLXS 1.0.1 §3.1.1.5 / GATT Specification Supplement; bits 16-23 reserved. */
const DEVICE_AND_SENSOR_STATUS_BIT: Readonly<Record<string, number>> = {
  extendedDisplayUpdateOngoing: 0,
  equipmentMalfunctionDetected: 1,
  signalProcessingIrregularityDetected: 2,
  inadequateSignalDetected: 3,
  poorSignalDetected: 4,
  lowPerfusionDetected: 5,
  erraticSignalDetected: 6,
  nonpulsatileSignalDetected: 7,
  questionablePulseDetected: 8,
  signalAnalysisOngoing: 9,
  sensorInterferenceDetected: 10,
  sensorUnconnectedToUser: 11,
  unknownSensorConnected: 12,
  sensorDisplaced: 13,
  sensorMalfunctioning: 14,
  sensorDisconnected: 15,
};

/** The field's bits for the named flags; `bit<n>` sets a reserved bit on purpose (the gateway's name for it). */
function statusBits(field: string, table: Readonly<Record<string, number>>, names: readonly string[]): number {
  let bits = 0;
  for (const name of names) {
    const bit = Object.hasOwn(table, name) ? table[name] : Number(/^bit(\d+)$/.exec(name)?.[1] ?? Number.NaN);
    if (bit === undefined || Number.isNaN(bit)) throw new RangeError(`unknown ${field} flag "${name}"`);
    // Addition, not |, so bit 23 of the uint24 stays a positive number; names do not repeat.
    bits += 2 ** bit;
  }
  return bits;
}

function writeStatus(w: ByteWriter, m: { measurementStatus?: readonly string[]; deviceAndSensorStatus?: readonly string[] }): void {
  if (m.measurementStatus) w.u16(statusBits('measurementStatus', MEASUREMENT_STATUS_BIT, m.measurementStatus));
  if (m.deviceAndSensorStatus) w.u24(statusBits('deviceAndSensorStatus', DEVICE_AND_SENSOR_STATUS_BIT, m.deviceAndSensorStatus));
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
