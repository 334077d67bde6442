/**
 * Every characteristic `rpm-gateway decode` knows: its decoder, the units of fields whose unit the
 * specification fixes (fields that carry their own `unit` need none), and, for measurements, the pure
 * function that makes contract readings. The readings are the unsampled ones: streams (heart rate, PLX
 * continuous) are thinned to one per minute only in the live gateway (measurement-profiles.ts).
 */
import type { Reading } from '../../contract/index.js';
import { CHARACTERISTIC } from '../ble/gatt-uuids.js';
import { readingsFromBloodPressure, type ReadingContext } from '../readings/from-blood-pressure.js';
import { readingsFromGlucose } from '../readings/from-glucose.js';
import { readingsFromHeartRate } from '../readings/from-heart-rate.js';
import { readingsFromPlxContinuous, readingsFromPlxSpotCheck } from '../readings/from-pulse-oximeter.js';
import { readingsFromTemperature } from '../readings/from-thermometer.js';
import { readingsFromWeight } from '../readings/from-weight.js';
import { decodeBatteryLevel } from './battery-level.js';
import { decodeBloodPressureMeasurement } from './blood-pressure-measurement.js';
import { decodeBodyCompositionMeasurement } from './body-composition-measurement.js';
import { decodeCurrentTime } from './current-time.js';
import { decodeGlucoseFeature } from './glucose-feature.js';
import { decodeGlucoseMeasurementContext } from './glucose-measurement-context.js';
import { decodeGlucoseMeasurement } from './glucose-measurement.js';
import { decodeIntermediateTemperature, decodeTemperatureMeasurement } from './health-thermometer.js';
import { decodeHeartRateMeasurement } from './heart-rate-measurement.js';
import { decodeIntermediateCuffPressure } from './intermediate-cuff-pressure.js';
import { decodePlxContinuousMeasurement } from './plx-continuous-measurement.js';
import { decodePlxSpotCheckMeasurement } from './plx-spot-check-measurement.js';
import { decodeRacpRequest, decodeRacpResponse } from './record-access-control-point.js';
import type { DecodeResult } from './result.js';
import { decodeSystemId } from './system-id.js';
import { decodeWeightMeasurement } from './weight-measurement.js';
import { decodeWeightScaleFeature } from './weight-scale-feature.js';

export interface Describer {
  readonly name: string;
  decode(payload: Uint8Array): DecodeResult<object>;
  readonly units?: Readonly<Record<string, string>>;
  readings?(value: object, ctx: ReadingContext): Reading[];
}

function describer<T extends object>(
  name: string,
  decode: (payload: Uint8Array) => DecodeResult<T>,
  units?: Record<string, string>,
  readings?: (value: T, ctx: ReadingContext) => Reading[],
): Describer {
  return {
    name,
    decode,
    ...(units && { units }),
    ...(readings && { readings: (value: object, ctx: ReadingContext) => readings(value as T, ctx) }),
  };
}

/** RACP values go both ways: a request the gateway writes, or a response the meter indicates. */
function decodeRacp(payload: Uint8Array): DecodeResult<object> {
  const opCode = payload[0];
  if (opCode !== undefined && opCode >= 1 && opCode <= 4) {
    const request = decodeRacpRequest(payload);
    return request.ok ? { ok: true, value: { direction: 'request', ...request.value } } : request;
  }
  const response = decodeRacpResponse(payload);
  return response.ok ? { ok: true, value: { direction: 'response', ...response.value } } : response;
}

const PLX_UNITS = { spo2: '%', pulseRate: '/min', pulseAmplitudeIndex: '%' };
const PLX_CONTINUOUS_UNITS = { ...PLX_UNITS, spo2Fast: '%', pulseRateFast: '/min', spo2Slow: '%', pulseRateSlow: '/min' };

export const DESCRIBERS: Readonly<Record<string, Describer>> = {
  [CHARACTERISTIC.bloodPressureMeasurement]: describer('Blood Pressure Measurement', decodeBloodPressureMeasurement, { pulseRate: '/min' }, readingsFromBloodPressure),
  [CHARACTERISTIC.intermediateCuffPressure]: describer('Intermediate Cuff Pressure', decodeIntermediateCuffPressure, { pulseRate: '/min' }),
  [CHARACTERISTIC.temperatureMeasurement]: describer('Temperature Measurement', decodeTemperatureMeasurement, undefined, readingsFromTemperature),
  [CHARACTERISTIC.intermediateTemperature]: describer('Intermediate Temperature', decodeIntermediateTemperature),
  [CHARACTERISTIC.weightMeasurement]: describer('Weight Measurement', decodeWeightMeasurement, { bmi: 'kg/m2' }, readingsFromWeight),
  [CHARACTERISTIC.weightScaleFeature]: describer('Weight Scale Feature', decodeWeightScaleFeature),
  [CHARACTERISTIC.bodyCompositionMeasurement]: describer('Body Composition Measurement', decodeBodyCompositionMeasurement, {
    bodyFatPercentage: '%',
    musclePercentage: '%',
    basalMetabolism: 'kJ',
    impedance: 'Ohm',
  }),
  [CHARACTERISTIC.glucoseMeasurement]: describer('Glucose Measurement', decodeGlucoseMeasurement, { timeOffset: 'min' }, readingsFromGlucose),
  [CHARACTERISTIC.glucoseMeasurementContext]: describer('Glucose Measurement Context', decodeGlucoseMeasurementContext, {
    carbohydrate: 'kg',
    exerciseDuration: 's',
    exerciseIntensity: '%',
    hba1c: '%',
  }),
  [CHARACTERISTIC.glucoseFeature]: describer('Glucose Feature', decodeGlucoseFeature),
  [CHARACTERISTIC.recordAccessControlPoint]: describer('Record Access Control Point', decodeRacp),
  [CHARACTERISTIC.plxSpotCheckMeasurement]: describer('PLX Spot-check Measurement', decodePlxSpotCheckMeasurement, PLX_UNITS, readingsFromPlxSpotCheck),
  [CHARACTERISTIC.plxContinuousMeasurement]: describer('PLX Continuous Measurement', decodePlxContinuousMeasurement, PLX_CONTINUOUS_UNITS, readingsFromPlxContinuous),
  [CHARACTERISTIC.heartRateMeasurement]: describer(
    'Heart Rate Measurement',
    decodeHeartRateMeasurement,
    { heartRate: '/min', energyExpended: 'kJ', rrIntervals: 'ms' },
    readingsFromHeartRate,
  ),
  [CHARACTERISTIC.batteryLevel]: describer('Battery Level', decodeBatteryLevel, { batteryLevel: '%' }),
  [CHARACTERISTIC.systemId]: describer('System ID', decodeSystemId),
  [CHARACTERISTIC.currentTime]: describer('Current Time', decodeCurrentTime, { fractions256: '1/256 s' }),
};
