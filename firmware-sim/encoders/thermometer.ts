/** Temperature Measurement 0x2A1C / Intermediate Temperature 0x2A1E encoder (HTS 1.0 §3.1). */
import { enumCode } from '../../gateway/profiles/enums.js';
import { TEMPERATURE_TYPES, type TemperatureMeasurement } from '../../gateway/profiles/health-thermometer.js';
import { ByteWriter } from './byte-writer.js';
import { writeDateTime } from './date-time.js';
import { floatOf, type EncodeOptions } from './options.js';

export function encodeTemperatureMeasurement(m: TemperatureMeasurement, options?: EncodeOptions): Uint8Array {
  const flags = (m.unit === 'degF' ? 0x01 : 0) | (m.timestamp ? 0x02 : 0) | (m.temperatureType !== undefined ? 0x04 : 0);
  const w = new ByteWriter().u8(flags).u32(floatOf(m.temperature, 'temperature', options));
  if (m.timestamp) writeDateTime(w, m.timestamp);
  if (m.temperatureType !== undefined) w.u8(enumCode(TEMPERATURE_TYPES, m.temperatureType));
  return w.toBytes();
}

export const encodeIntermediateTemperature = encodeTemperatureMeasurement;
