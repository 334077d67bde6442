/** Glucose Measurement 0x2A18, Glucose Measurement Context 0x2A34 and Glucose Feature 0x2A51 encoders (GLS 1.0). */
import { enumCode, flagBits } from '../../gateway/profiles/enums.js';
import { GLUCOSE_FEATURE_BITS, type GlucoseFeature } from '../../gateway/profiles/glucose-feature.js';
import {
  CARBOHYDRATE_IDS,
  HEALTH,
  MEALS,
  MEDICATION_IDS,
  TESTERS,
  type GlucoseMeasurementContext,
} from '../../gateway/profiles/glucose-measurement-context.js';
import { GLUCOSE_TYPES, SAMPLE_LOCATIONS, SENSOR_STATUS_BITS, type GlucoseMeasurement } from '../../gateway/profiles/glucose-measurement.js';
import { ByteWriter } from './byte-writer.js';
import { writeDateTime } from './date-time.js';
import { sfloatOf, type EncodeOptions } from './options.js';

const UNKNOWN_TIME = { year: 0, month: 0, day: 0, hours: 0, minutes: 0, seconds: 0 };

export function encodeGlucoseMeasurement(m: GlucoseMeasurement, options?: EncodeOptions): Uint8Array {
  const concentration = m.glucoseConcentration !== undefined;
  const flags =
    (m.timeOffset !== undefined ? 0x01 : 0) |
    (concentration ? 0x02 : 0) |
    (concentration && m.unit === 'mol/L' ? 0x04 : 0) |
    (m.sensorStatusAnnunciation ? 0x08 : 0) |
    (m.contextInformationFollows ? 0x10 : 0);
  const w = new ByteWriter().u8(flags).u16(m.sequenceNumber);
  writeDateTime(w, m.baseTime ?? UNKNOWN_TIME);
  if (m.timeOffset !== undefined) w.u16(m.timeOffset & 0xffff);
  if (concentration) {
    const type = enumCode(GLUCOSE_TYPES, m.type ?? 'reserved:0');
    const location = enumCode(SAMPLE_LOCATIONS, m.sampleLocation ?? 'notAvailable');
    w.u16(sfloatOf(m.glucoseConcentration, 'glucoseConcentration', options)).u8((location << 4) | type);
  }
  if (m.sensorStatusAnnunciation) w.u16(flagBits(SENSOR_STATUS_BITS, m.sensorStatusAnnunciation));
  return w.toBytes();
}

export function encodeGlucoseMeasurementContext(m: GlucoseMeasurementContext, options?: EncodeOptions): Uint8Array {
  const flags =
    (m.carbohydrateId !== undefined ? 0x01 : 0) |
    (m.meal !== undefined ? 0x02 : 0) |
    (m.tester !== undefined ? 0x04 : 0) |
    (m.exerciseDuration !== undefined ? 0x08 : 0) |
    (m.medicationId !== undefined ? 0x10 : 0) |
    (m.medicationUnit === 'L' ? 0x20 : 0) |
    (m.hba1c !== undefined ? 0x40 : 0) |
    (m.extendedFlags !== undefined ? 0x80 : 0);
  const w = new ByteWriter().u8(flags).u16(m.sequenceNumber);
  if (m.extendedFlags !== undefined) w.u8(m.extendedFlags);
  if (m.carbohydrateId !== undefined) w.u8(enumCode(CARBOHYDRATE_IDS, m.carbohydrateId)).u16(sfloatOf(m.carbohydrate ?? 'NaN', 'carbohydrate', options));
  if (m.meal !== undefined) w.u8(enumCode(MEALS, m.meal));
  if (m.tester !== undefined) w.u8((enumCode(HEALTH, m.health ?? 'notAvailable') << 4) | enumCode(TESTERS, m.tester));
  if (m.exerciseDuration !== undefined) w.u16(m.exerciseDuration).u8(m.exerciseIntensity ?? 0);
  if (m.medicationId !== undefined) w.u8(enumCode(MEDICATION_IDS, m.medicationId)).u16(sfloatOf(m.medication ?? 'NaN', 'medication', options));
  if (m.hba1c !== undefined) w.u16(sfloatOf(m.hba1c, 'hba1c', options));
  return w.toBytes();
}

export function encodeGlucoseFeature(f: GlucoseFeature): Uint8Array {
  return new ByteWriter().u16(flagBits(GLUCOSE_FEATURE_BITS, f.supported)).toBytes();
}
