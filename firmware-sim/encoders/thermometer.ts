/** Temperature Measurement 0x2A1C / Intermediate Temperature 0x2A1E encoder (HTS 1.0 §3.1). */
import type { TemperatureMeasurement } from '../../gateway/profiles/health-thermometer.js';
import { ByteWriter } from './byte-writer.js';
import { writeDateTime } from './date-time.js';
import { floatOf, type EncodeOptions } from './options.js';

/**
 * Temperature Type codes, written here from the specification rather than imported from the gateway
 * (HTS 1.0 §3.2 Temperature Type characteristic 0x2A1D; GATT Specification Supplement "Temperature
 * Type"). A wrong code on either side then fails against the literal vectors instead of encoding and
 * decoding wrongly together. 0 and 10-255 are reserved for future use.
 */
const TEMPERATURE_TYPE_CODES: Readonly<Record<string, number>> = {
  armpit: 1,
  body: 2, // "Body (general)"
  ear: 3, // "Ear (usually earlobe)"
  finger: 4,
  gastrointestinalTract: 5,
  mouth: 6,
  rectum: 7,
  toe: 8,
  tympanum: 9, // "Tympanum (ear drum)"
};

// Flags octet, HTS 1.0 §3.1.1.1.
const FLAG_FAHRENHEIT = 0x01;
const FLAG_TIME_STAMP = 0x02;
const FLAG_TEMPERATURE_TYPE = 0x04;

function temperatureTypeCode(name: string): number {
  const known = TEMPERATURE_TYPE_CODES[name];
  if (known !== undefined) return known;
  // A simulated device may send a reserved code on purpose; the gateway names it `reserved:<n>`.
  const reserved = /^reserved:(\d+)$/.exec(name);
  if (reserved) return Number(reserved[1]);
  throw new RangeError(`unknown temperature type "${name}"`);
}

export function encodeTemperatureMeasurement(m: TemperatureMeasurement, options?: EncodeOptions): Uint8Array {
  const flags = (m.unit === 'degF' ? FLAG_FAHRENHEIT : 0) | (m.timestamp ? FLAG_TIME_STAMP : 0) | (m.temperatureType !== undefined ? FLAG_TEMPERATURE_TYPE : 0);
  const w = new ByteWriter().u8(flags).u32(floatOf(m.temperature, 'temperature', options));
  if (m.timestamp) writeDateTime(w, m.timestamp);
  if (m.temperatureType !== undefined) w.u8(temperatureTypeCode(m.temperatureType));
  return w.toBytes();
}

export const encodeIntermediateTemperature = encodeTemperatureMeasurement;
