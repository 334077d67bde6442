/**
 * Glucose Measurement, characteristic 0x2A18 (Glucose Service 0x1808, GLS 1.0 §3.106 of the GATT
 * Specification Supplement), notified, usually as stored records in answer to a Record Access Control
 * Point request:
 *   flags u8 | sequence number u16 | base time: Date Time | [time offset s16, minutes]
 *   | [concentration SFLOAT, type (low nibble) and sample location (high nibble) u8]
 *   | [sensor status annunciation u16]
 * The measurement time is base time + time offset: meters keep a base time and count the user's clock
 * changes in the offset rather than rewriting old records.
 */
import { ByteReader } from './byte-reader.js';
import { readDateTime, type LocalDateTime } from './date-time.js';
import { enumName, flagNames, type EnumTable } from './enums.js';
import { readSfloat, type MderValue } from './ieee11073.js';
import { decodeSafely, type DecodeResult } from './result.js';

export const GLUCOSE_MEASUREMENT_UUID = '2a18';

export type GlucoseConcentrationUnit = 'kg/L' | 'mol/L';

export interface GlucoseMeasurement {
  readonly sequenceNumber: number;
  /** undefined when the meter does not know the date (year, month or day 0). */
  readonly baseTime?: LocalDateTime;
  /** Minutes to add to the base time. */
  readonly timeOffset?: number;
  readonly glucoseConcentration?: MderValue;
  readonly unit?: GlucoseConcentrationUnit;
  /** e.g. 'capillaryPlasma', 'controlSolution'. */
  readonly type?: string;
  /** e.g. 'finger', 'controlSolution'. */
  readonly sampleLocation?: string;
  /** Names of the set Sensor Status Annunciation bits, e.g. ['deviceBatteryLow']. */
  readonly sensorStatusAnnunciation?: readonly string[];
  /** A Glucose Measurement Context 0x2A34 with the same sequence number follows. */
  readonly contextInformationFollows: boolean;
}

// GLS 1.0 §3.106.1 Flags field.
const FLAG_TIME_OFFSET = 0x01; // bit 0: Time Offset present
const FLAG_CONCENTRATION = 0x02; // bit 1: Glucose Concentration, Type and Sample Location present
const FLAG_UNIT_MOL_PER_L = 0x04; // bit 2: 0 = kg/L, 1 = mol/L
const FLAG_STATUS = 0x08; // bit 3: Sensor Status Annunciation present
const FLAG_CONTEXT_FOLLOWS = 0x10; // bit 4: Context Information follows

// GLS 1.0 "Type" (low nibble): 0 and 11-15 reserved.
export const GLUCOSE_TYPES: EnumTable = {
  1: 'capillaryWholeBlood',
  2: 'capillaryPlasma',
  3: 'venousWholeBlood',
  4: 'venousPlasma',
  5: 'arterialWholeBlood',
  6: 'arterialPlasma',
  7: 'undeterminedWholeBlood',
  8: 'undeterminedPlasma',
  9: 'interstitialFluid',
  10: 'controlSolution',
};

// GLS 1.0 "Sample Location" (high nibble): 0 and 5-14 reserved, 15 = not available.
export const SAMPLE_LOCATIONS: EnumTable = {
  1: 'finger',
  2: 'alternateSiteTest',
  3: 'earlobe',
  4: 'controlSolution',
  15: 'notAvailable',
};

// GLS 1.0 "Sensor Status Annunciation", bit n = index n; bits 12-15 reserved.
export const SENSOR_STATUS_BITS: readonly string[] = [
  'deviceBatteryLow',
  'sensorMalfunction',
  'sampleSizeInsufficient',
  'stripInsertionError',
  'stripTypeIncorrect',
  'resultHigherThanDeviceCanProcess',
  'resultLowerThanDeviceCanProcess',
  'sensorTemperatureTooHigh',
  'sensorTemperatureTooLow',
  'sensorReadInterrupted',
  'generalDeviceFault',
  'timeFault',
];

export function decodeGlucoseMeasurement(payload: Uint8Array): DecodeResult<GlucoseMeasurement> {
  return decodeSafely(() => {
    const r = new ByteReader(payload);
    const flags = r.u8('flags');
    const sequenceNumber = r.u16('sequenceNumber');
    const baseTime = readDateTime(r, 'baseTime');
    const timeOffset = flags & FLAG_TIME_OFFSET ? r.s16('timeOffset') : undefined;
    let concentration: Pick<GlucoseMeasurement, 'glucoseConcentration' | 'unit' | 'type' | 'sampleLocation'> = {};
    if (flags & FLAG_CONCENTRATION) {
      const glucoseConcentration = readSfloat(r, 'glucoseConcentration');
      const typeAndLocation = r.u8('typeAndSampleLocation');
      concentration = {
        glucoseConcentration,
        unit: flags & FLAG_UNIT_MOL_PER_L ? 'mol/L' : 'kg/L',
        type: enumName(GLUCOSE_TYPES, typeAndLocation & 0x0f),
        sampleLocation: enumName(SAMPLE_LOCATIONS, typeAndLocation >> 4),
      };
    }
    const sensorStatusAnnunciation = flags & FLAG_STATUS ? flagNames(SENSOR_STATUS_BITS, r.u16('sensorStatusAnnunciation'), 16) : undefined;
    return {
      sequenceNumber,
      ...(baseTime && { baseTime }),
      ...(timeOffset !== undefined && { timeOffset }),
      ...concentration,
      ...(sensorStatusAnnunciation && { sensorStatusAnnunciation }),
      contextInformationFollows: (flags & FLAG_CONTEXT_FOLLOWS) !== 0,
    };
  });
}
