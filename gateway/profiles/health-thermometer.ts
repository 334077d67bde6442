/**
 * Temperature Measurement 0x2A1C (indicated) and Intermediate Temperature 0x2A1E (notified), Health
 * Thermometer Service 0x1809, HTS 1.0 §3.1 / §3.2. Both share one layout (GATT Specification
 * Supplement §3.222 Temperature Measurement):
 *   flags u8 | temperature FLOAT | [time stamp: Date Time, 7 octets] | [temperature type u8]
 */
import { ByteReader } from './byte-reader.js';
import { readDateTime, type LocalDateTime } from './date-time.js';
import { enumName, type EnumTable } from './enums.js';
import { readFloat, type MderValue } from './ieee11073.js';
import { decodeSafely, type DecodeResult } from './result.js';

export const TEMPERATURE_MEASUREMENT_UUID = '2a1c';
export const INTERMEDIATE_TEMPERATURE_UUID = '2a1e';

export type TemperatureUnit = 'Cel' | 'degF';

export interface TemperatureMeasurement {
  readonly unit: TemperatureUnit;
  readonly temperature: MderValue;
  readonly timestamp?: LocalDateTime;
  /** Where on the body it was taken (Temperature Type 0x2A1D), e.g. 'ear'; `reserved:<n>` for unassigned codes. */
  readonly temperatureType?: string;
}

// HTS 1.0 §3.1.1.1 Flags field.
const FLAG_FAHRENHEIT = 0x01; // bit 0: 0 = Celsius, 1 = Fahrenheit
const FLAG_TIME_STAMP = 0x02; // bit 1: Time Stamp present
const FLAG_TEMPERATURE_TYPE = 0x04; // bit 2: Temperature Type present

// HTS 1.0 §3.3.1 / GATT Specification Supplement "Temperature Type": 0 and 10-255 are reserved.
export const TEMPERATURE_TYPES: EnumTable = {
  1: 'armpit',
  2: 'body',
  3: 'ear',
  4: 'finger',
  5: 'gastrointestinalTract',
  6: 'mouth',
  7: 'rectum',
  8: 'toe',
  9: 'tympanum',
};

export function decodeTemperatureMeasurement(payload: Uint8Array): DecodeResult<TemperatureMeasurement> {
  return decodeSafely(() => {
    const r = new ByteReader(payload);
    const flags = r.u8('flags');
    const unit: TemperatureUnit = flags & FLAG_FAHRENHEIT ? 'degF' : 'Cel';
    const temperature = readFloat(r, 'temperature');
    const timestamp = flags & FLAG_TIME_STAMP ? readDateTime(r, 'timestamp') : undefined;
    const temperatureType = flags & FLAG_TEMPERATURE_TYPE ? enumName(TEMPERATURE_TYPES, r.u8('temperatureType')) : undefined;
    return { unit, temperature, ...(timestamp && { timestamp }), ...(temperatureType !== undefined && { temperatureType }) };
  });
}

/** Intermediate Temperature 0x2A1E: HTS 1.0 §3.2, the same fields as Temperature Measurement. */
export const decodeIntermediateTemperature = decodeTemperatureMeasurement;
