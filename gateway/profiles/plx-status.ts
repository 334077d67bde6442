/**
 * Status fields shared by the PLX Spot-check and Continuous Measurements (PLXS 1.0.1 §3.1.1.4-5,
 * GATT Specification Supplement "PLX Measurement Status" and "PLX Device and Sensor Status").
 */
import type { ByteReader } from './byte-reader.js';
import { flagNames } from './enums.js';

// Measurement Status (uint16): bits 0-4 reserved, bit n = index n.
export const PLX_MEASUREMENT_STATUS_BITS: readonly (string | undefined)[] = [
  undefined,
  undefined,
  undefined,
  undefined,
  undefined,
  'measurementOngoing', // bit 5
  'earlyEstimatedData', // bit 6
  'validatedData', // bit 7
  'fullyQualifiedData', // bit 8
  'dataFromMeasurementStorage', // bit 9
  'dataForDemonstration', // bit 10
  'dataForTesting', // bit 11
  'calibrationOngoing', // bit 12
  'measurementUnavailable', // bit 13
  'questionableMeasurementDetected', // bit 14
  'invalidMeasurementDetected', // bit 15
];

// Device and Sensor Status (uint24): bits 16-23 reserved.
export const PLX_DEVICE_AND_SENSOR_STATUS_BITS: readonly string[] = [
  'extendedDisplayUpdateOngoing', // bit 0
  'equipmentMalfunctionDetected', // bit 1
  'signalProcessingIrregularityDetected', // bit 2
  'inadequateSignalDetected', // bit 3
  'poorSignalDetected', // bit 4
  'lowPerfusionDetected', // bit 5
  'erraticSignalDetected', // bit 6
  'nonpulsatileSignalDetected', // bit 7
  'questionablePulseDetected', // bit 8
  'signalAnalysisOngoing', // bit 9
  'sensorInterferenceDetected', // bit 10
  'sensorUnconnectedToUser', // bit 11
  'unknownSensorConnected', // bit 12
  'sensorDisplaced', // bit 13
  'sensorMalfunctioning', // bit 14
  'sensorDisconnected', // bit 15
];

export function readMeasurementStatus(r: ByteReader): string[] {
  return flagNames(PLX_MEASUREMENT_STATUS_BITS, r.u16('measurementStatus'), 16);
}

export function readDeviceAndSensorStatus(r: ByteReader): string[] {
  return flagNames(PLX_DEVICE_AND_SENSOR_STATUS_BITS, r.u24('deviceAndSensorStatus'), 24);
}
