/** Glucose Measurement 0x2A18, Glucose Measurement Context 0x2A34 and Glucose Feature 0x2A51 encoders (GLS 1.0). */
import type { GlucoseFeature } from '../../gateway/profiles/glucose-feature.js';
import type { GlucoseMeasurementContext } from '../../gateway/profiles/glucose-measurement-context.js';
import type { GlucoseMeasurement } from '../../gateway/profiles/glucose-measurement.js';
import { ByteWriter } from './byte-writer.js';
import { writeDateTime } from './date-time.js';
import { sfloatOf, type EncodeOptions } from './options.js';
import { bitsOf, codeOf, type CodeTable } from './wire-codes.js';

// Written here from GLS 1.0 (Glucose Service) and the GATT Specification Supplement's field
// descriptions, not imported from the gateway (wire-codes.ts says why).

/** Glucose Measurement Flags (GLS 1.0 §3.106.1, as the gateway cites it). */
const MEASUREMENT_FLAG = { timeOffset: 0x01, concentration: 0x02, molPerL: 0x04, sensorStatus: 0x08, contextFollows: 0x10 } as const;

/** Glucose Measurement "Type" (low nibble of the Type-Sample Location octet); 0 and 11-15 reserved. */
const GLUCOSE_TYPE: CodeTable = {
  capillaryWholeBlood: 1,
  capillaryPlasma: 2,
  venousWholeBlood: 3,
  venousPlasma: 4,
  arterialWholeBlood: 5,
  arterialPlasma: 6,
  undeterminedWholeBlood: 7,
  undeterminedPlasma: 8,
  interstitialFluid: 9, // "Interstitial Fluid (ISF)"
  controlSolution: 10,
};

/** Glucose Measurement "Sample Location" (high nibble); 0 and 5-14 reserved, 15 "not available". */
const SAMPLE_LOCATION: CodeTable = { finger: 1, alternateSiteTest: 2, earlobe: 3, controlSolution: 4, notAvailable: 15 };

/** Glucose Measurement "Sensor Status Annunciation", bit numbers of the uint16; 12-15 reserved. */
const SENSOR_STATUS_BIT: CodeTable = {
  deviceBatteryLow: 0,
  sensorMalfunction: 1,
  sampleSizeInsufficient: 2,
  stripInsertionError: 3,
  stripTypeIncorrect: 4,
  resultHigherThanDeviceCanProcess: 5,
  resultLowerThanDeviceCanProcess: 6,
  sensorTemperatureTooHigh: 7,
  sensorTemperatureTooLow: 8,
  sensorReadInterrupted: 9,
  generalDeviceFault: 10,
  timeFault: 11,
};

/** Glucose Measurement Context Flags (GLS 1.0 §3.107.1, as the gateway cites it). */
const CONTEXT_FLAG = { carbohydrate: 0x01, meal: 0x02, testerHealth: 0x04, exercise: 0x08, medication: 0x10, medicationLitres: 0x20, hba1c: 0x40, extended: 0x80 } as const;

/** Context "Carbohydrate ID"; 0 and 8-255 reserved. */
const CARBOHYDRATE_ID: CodeTable = { breakfast: 1, lunch: 2, dinner: 3, snack: 4, drink: 5, supper: 6, brunch: 7 };
/** Context "Meal"; 0 and 6-255 reserved. */
const MEAL: CodeTable = { preprandial: 1, postprandial: 2, fasting: 3, casual: 4, bedtime: 5 };
/** Context "Tester" (low nibble of Tester-Health); 0 and 4-14 reserved, 15 "not available". */
const TESTER: CodeTable = { self: 1, healthCareProfessional: 2, labTest: 3, notAvailable: 15 };
/** Context "Health" (high nibble); 0 and 6-14 reserved, 15 "not available". */
const HEALTH: CodeTable = { minorHealthIssues: 1, majorHealthIssues: 2, duringMenses: 3, underStress: 4, noHealthIssues: 5, notAvailable: 15 };
/** Context "Medication ID"; 0 and 6-255 reserved. */
const MEDICATION_ID: CodeTable = { rapidActingInsulin: 1, shortActingInsulin: 2, intermediateActingInsulin: 3, longActingInsulin: 4, preMixedInsulin: 5 };

/** Glucose Feature 0x2A51, bit numbers of the uint16; 11-15 reserved. */
const FEATURE_BIT: CodeTable = {
  lowBatteryDetection: 0,
  sensorMalfunctionDetection: 1,
  sensorSampleSize: 2,
  sensorStripInsertionErrorDetection: 3,
  sensorStripTypeErrorDetection: 4,
  sensorResultHighLowDetection: 5,
  sensorTemperatureHighLowDetection: 6,
  sensorReadInterruptDetection: 7,
  generalDeviceFault: 8,
  timeFault: 9,
  multipleBond: 10,
};

const UNKNOWN_TIME = { year: 0, month: 0, day: 0, hours: 0, minutes: 0, seconds: 0 };

export function encodeGlucoseMeasurement(m: GlucoseMeasurement, options?: EncodeOptions): Uint8Array {
  const concentration = m.glucoseConcentration !== undefined;
  const flags =
    (m.timeOffset !== undefined ? MEASUREMENT_FLAG.timeOffset : 0) |
    (concentration ? MEASUREMENT_FLAG.concentration : 0) |
    (concentration && m.unit === 'mol/L' ? MEASUREMENT_FLAG.molPerL : 0) |
    (m.sensorStatusAnnunciation ? MEASUREMENT_FLAG.sensorStatus : 0) |
    (m.contextInformationFollows ? MEASUREMENT_FLAG.contextFollows : 0);
  const w = new ByteWriter().u8(flags).u16(m.sequenceNumber);
  writeDateTime(w, m.baseTime ?? UNKNOWN_TIME);
  if (m.timeOffset !== undefined) w.u16(m.timeOffset & 0xffff);
  if (concentration) {
    const type = codeOf('glucose type', GLUCOSE_TYPE, m.type ?? 'reserved:0');
    const location = codeOf('sample location', SAMPLE_LOCATION, m.sampleLocation ?? 'notAvailable');
    w.u16(sfloatOf(m.glucoseConcentration, 'glucoseConcentration', options)).u8((location << 4) | type);
  }
  if (m.sensorStatusAnnunciation) w.u16(bitsOf('sensor status', SENSOR_STATUS_BIT, m.sensorStatusAnnunciation));
  return w.toBytes();
}

export function encodeGlucoseMeasurementContext(m: GlucoseMeasurementContext, options?: EncodeOptions): Uint8Array {
  const flags =
    (m.carbohydrateId !== undefined ? CONTEXT_FLAG.carbohydrate : 0) |
    (m.meal !== undefined ? CONTEXT_FLAG.meal : 0) |
    (m.tester !== undefined ? CONTEXT_FLAG.testerHealth : 0) |
    (m.exerciseDuration !== undefined ? CONTEXT_FLAG.exercise : 0) |
    (m.medicationId !== undefined ? CONTEXT_FLAG.medication : 0) |
    (m.medicationUnit === 'L' ? CONTEXT_FLAG.medicationLitres : 0) |
    (m.hba1c !== undefined ? CONTEXT_FLAG.hba1c : 0) |
    (m.extendedFlags !== undefined ? CONTEXT_FLAG.extended : 0);
  const w = new ByteWriter().u8(flags).u16(m.sequenceNumber);
  if (m.extendedFlags !== undefined) w.u8(m.extendedFlags);
  if (m.carbohydrateId !== undefined) w.u8(codeOf('carbohydrate id', CARBOHYDRATE_ID, m.carbohydrateId)).u16(sfloatOf(m.carbohydrate ?? 'NaN', 'carbohydrate', options));
  if (m.meal !== undefined) w.u8(codeOf('meal', MEAL, m.meal));
  if (m.tester !== undefined) w.u8((codeOf('health', HEALTH, m.health ?? 'notAvailable') << 4) | codeOf('tester', TESTER, m.tester));
  if (m.exerciseDuration !== undefined) w.u16(m.exerciseDuration).u8(m.exerciseIntensity ?? 0);
  if (m.medicationId !== undefined) w.u8(codeOf('medication id', MEDICATION_ID, m.medicationId)).u16(sfloatOf(m.medication ?? 'NaN', 'medication', options));
  if (m.hba1c !== undefined) w.u16(sfloatOf(m.hba1c, 'hba1c', options));
  return w.toBytes();
}

export function encodeGlucoseFeature(f: GlucoseFeature): Uint8Array {
  return new ByteWriter().u16(bitsOf('glucose feature', FEATURE_BIT, f.supported)).toBytes();
}
