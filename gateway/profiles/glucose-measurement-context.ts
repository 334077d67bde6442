/**
 * Glucose Measurement Context, characteristic 0x2A34 (GLS 1.0 §3.107 of the GATT Specification
 * Supplement), notified after a Glucose Measurement whose "context information follows" flag is set,
 * with the same sequence number:
 *   flags u8 | sequence number u16 | [extended flags u8] | [carbohydrate id u8, carbohydrate SFLOAT kg]
 *   | [meal u8] | [tester (low nibble) and health (high nibble) u8]
 *   | [exercise duration u16 s, exercise intensity u8 %] | [medication id u8, medication SFLOAT kg or L]
 *   | [HbA1c SFLOAT %]
 */
import { ByteReader } from './byte-reader.js';
import { enumName, type EnumTable } from './enums.js';
import { readSfloat, type MderValue } from './ieee11073.js';
import { decodeSafely, type DecodeResult } from './result.js';

export const GLUCOSE_MEASUREMENT_CONTEXT_UUID = '2a34';

export interface GlucoseMeasurementContext {
  readonly sequenceNumber: number;
  /** Reserved for future use by GLS 1.0; kept as sent. */
  readonly extendedFlags?: number;
  readonly carbohydrateId?: string;
  /** kg */
  readonly carbohydrate?: MderValue;
  readonly meal?: string;
  readonly tester?: string;
  readonly health?: string;
  /** Seconds; 65535 means "overrun". */
  readonly exerciseDuration?: number;
  /** Percent. */
  readonly exerciseIntensity?: number;
  readonly medicationId?: string;
  readonly medication?: MderValue;
  readonly medicationUnit?: 'kg' | 'L';
  /** Percent. */
  readonly hba1c?: MderValue;
}

// GLS 1.0 §3.107.1 Flags field.
const FLAG_CARBOHYDRATE = 0x01; // bit 0: Carbohydrate ID and Carbohydrate present
const FLAG_MEAL = 0x02; // bit 1: Meal present
const FLAG_TESTER_HEALTH = 0x04; // bit 2: Tester-Health present
const FLAG_EXERCISE = 0x08; // bit 3: Exercise Duration and Exercise Intensity present
const FLAG_MEDICATION = 0x10; // bit 4: Medication ID and Medication present
const FLAG_MEDICATION_LITRES = 0x20; // bit 5: Medication value units, 0 = kg, 1 = L
const FLAG_HBA1C = 0x40; // bit 6: HbA1c present
const FLAG_EXTENDED = 0x80; // bit 7: Extended Flags present

export const CARBOHYDRATE_IDS: EnumTable = { 1: 'breakfast', 2: 'lunch', 3: 'dinner', 4: 'snack', 5: 'drink', 6: 'supper', 7: 'brunch' };
export const MEALS: EnumTable = { 1: 'preprandial', 2: 'postprandial', 3: 'fasting', 4: 'casual', 5: 'bedtime' };
export const TESTERS: EnumTable = { 1: 'self', 2: 'healthCareProfessional', 3: 'labTest', 15: 'notAvailable' };
export const HEALTH: EnumTable = { 1: 'minorHealthIssues', 2: 'majorHealthIssues', 3: 'duringMenses', 4: 'underStress', 5: 'noHealthIssues', 15: 'notAvailable' };
export const MEDICATION_IDS: EnumTable = {
  1: 'rapidActingInsulin',
  2: 'shortActingInsulin',
  3: 'intermediateActingInsulin',
  4: 'longActingInsulin',
  5: 'preMixedInsulin',
};

export function decodeGlucoseMeasurementContext(payload: Uint8Array): DecodeResult<GlucoseMeasurementContext> {
  return decodeSafely(() => {
    const r = new ByteReader(payload);
    const flags = r.u8('flags');
    const out: { -readonly [K in keyof GlucoseMeasurementContext]?: GlucoseMeasurementContext[K] } = { sequenceNumber: r.u16('sequenceNumber') };
    if (flags & FLAG_EXTENDED) out.extendedFlags = r.u8('extendedFlags');
    if (flags & FLAG_CARBOHYDRATE) {
      out.carbohydrateId = enumName(CARBOHYDRATE_IDS, r.u8('carbohydrateId'));
      out.carbohydrate = readSfloat(r, 'carbohydrate');
    }
    if (flags & FLAG_MEAL) out.meal = enumName(MEALS, r.u8('meal'));
    if (flags & FLAG_TESTER_HEALTH) {
      const testerHealth = r.u8('testerHealth');
      out.tester = enumName(TESTERS, testerHealth & 0x0f);
      out.health = enumName(HEALTH, testerHealth >> 4);
    }
    if (flags & FLAG_EXERCISE) {
      out.exerciseDuration = r.u16('exerciseDuration');
      out.exerciseIntensity = r.u8('exerciseIntensity');
    }
    if (flags & FLAG_MEDICATION) {
      out.medicationId = enumName(MEDICATION_IDS, r.u8('medicationId'));
      out.medication = readSfloat(r, 'medication');
      out.medicationUnit = flags & FLAG_MEDICATION_LITRES ? 'L' : 'kg';
    }
    if (flags & FLAG_HBA1C) out.hba1c = readSfloat(r, 'hba1c');
    return out as GlucoseMeasurementContext;
  });
}
