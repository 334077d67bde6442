/**
 * One entry per measurement characteristic, one dispatcher: the session subscribes to every
 * characteristic listed here that a device offers and routes each value to its entry.
 */
import type { Reading } from '../../contract/index.js';
import { SERVICE, CHARACTERISTIC } from '../ble/gatt-uuids.js';
import { readingsFromBloodPressure, type ReadingContext } from '../readings/from-blood-pressure.js';
import { readingsFromGlucose } from '../readings/from-glucose.js';
import { readingsFromHeartRate } from '../readings/from-heart-rate.js';
import { readingsFromPlxContinuous, readingsFromPlxSpotCheck } from '../readings/from-pulse-oximeter.js';
import { readingsFromTemperature } from '../readings/from-thermometer.js';
import { readingsFromWeight } from '../readings/from-weight.js';
import { sampled } from '../readings/sampler.js';
import { decodeBloodPressureMeasurement } from './blood-pressure-measurement.js';
import { decodeBodyCompositionMeasurement } from './body-composition-measurement.js';
import { decodeGlucoseMeasurementContext } from './glucose-measurement-context.js';
import { decodeGlucoseMeasurement } from './glucose-measurement.js';
import { decodeIntermediateTemperature, decodeTemperatureMeasurement } from './health-thermometer.js';
import { decodeHeartRateMeasurement } from './heart-rate-measurement.js';
import { decodeIntermediateCuffPressure } from './intermediate-cuff-pressure.js';
import { decodePlxContinuousMeasurement } from './plx-continuous-measurement.js';
import { decodePlxSpotCheckMeasurement } from './plx-spot-check-measurement.js';
import { decodeWeightMeasurement } from './weight-measurement.js';
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

/**
 * Characteristics that are decoded (so malformed values are reported) but stored as no reading:
 * intermediate values are progress, not measurements (the final value follows on the measurement
 * characteristic); a glucose context annotates a measurement that was already stored; body
 * composition has no catalogue kind yet. Subscribing to them still keeps a session alive while the
 * device is measuring.
 */
const noReadings = (): Reading[] => [];

export const MEASUREMENT_PROFILES: readonly MeasurementProfile[] = [
  profile(SERVICE.bloodPressure, CHARACTERISTIC.bloodPressureMeasurement, 'Blood Pressure Measurement', decodeBloodPressureMeasurement, readingsFromBloodPressure),
  profile(SERVICE.bloodPressure, CHARACTERISTIC.intermediateCuffPressure, 'Intermediate Cuff Pressure', decodeIntermediateCuffPressure, noReadings),
  profile(SERVICE.healthThermometer, CHARACTERISTIC.temperatureMeasurement, 'Temperature Measurement', decodeTemperatureMeasurement, readingsFromTemperature),
  profile(SERVICE.healthThermometer, CHARACTERISTIC.intermediateTemperature, 'Intermediate Temperature', decodeIntermediateTemperature, noReadings),
  profile(SERVICE.weightScale, CHARACTERISTIC.weightMeasurement, 'Weight Measurement', decodeWeightMeasurement, readingsFromWeight),
  profile(SERVICE.bodyComposition, CHARACTERISTIC.bodyCompositionMeasurement, 'Body Composition Measurement', decodeBodyCompositionMeasurement, noReadings),
  // Stored glucose records arrive here after a Record Access Control Point request (the session's job).
  profile(SERVICE.glucose, CHARACTERISTIC.glucoseMeasurement, 'Glucose Measurement', decodeGlucoseMeasurement, readingsFromGlucose),
  profile(SERVICE.glucose, CHARACTERISTIC.glucoseMeasurementContext, 'Glucose Measurement Context', decodeGlucoseMeasurementContext, noReadings),
  profile(SERVICE.pulseOximeter, CHARACTERISTIC.plxSpotCheckMeasurement, 'PLX Spot-check Measurement', decodePlxSpotCheckMeasurement, readingsFromPlxSpotCheck),
  // Streams: one stored reading per device per minute (readings/sampler.ts).
  profile(SERVICE.pulseOximeter, CHARACTERISTIC.plxContinuousMeasurement, 'PLX Continuous Measurement', decodePlxContinuousMeasurement, sampled(readingsFromPlxContinuous)),
  profile(SERVICE.heartRate, CHARACTERISTIC.heartRateMeasurement, 'Heart Rate Measurement', decodeHeartRateMeasurement, sampled(readingsFromHeartRate)),
];

export function profileFor(characteristic: string): MeasurementProfile | undefined {
  return MEASUREMENT_PROFILES.find((p) => p.characteristic === characteristic);
}
