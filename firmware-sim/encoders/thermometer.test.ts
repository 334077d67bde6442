import fc from 'fast-check';
import { decodeTemperatureMeasurement, TEMPERATURE_TYPES } from '../../gateway/profiles/health-thermometer.js';
import { dateTime, enumOf, float } from '../../test/fixtures/gatt/arbitraries.js';
import { roundTripSuite } from '../../test/fixtures/gatt/round-trip-suite.js';
import { TEMPERATURE_VECTORS } from '../../test/fixtures/gatt/thermometer.js';
import { encodeTemperatureMeasurement } from './thermometer.js';

const temperature = fc.record(
  { unit: fc.constantFrom('Cel' as const, 'degF' as const), temperature: float, timestamp: dateTime, temperatureType: enumOf(TEMPERATURE_TYPES, 8) },
  { requiredKeys: ['unit', 'temperature'] },
);

roundTripSuite('Temperature Measurement 0x2A1C', decodeTemperatureMeasurement, encodeTemperatureMeasurement, TEMPERATURE_VECTORS, temperature);
