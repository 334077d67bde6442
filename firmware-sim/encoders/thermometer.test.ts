import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTemperatureMeasurement, TEMPERATURE_TYPES } from '../../gateway/profiles/health-thermometer.js';
import { dateTime, enumOf, float } from '../../test/fixtures/gatt/arbitraries.js';
import { roundTripSuite } from '../../test/fixtures/gatt/round-trip-suite.js';
import { TEMPERATURE_VECTORS } from '../../test/fixtures/gatt/thermometer.js';
import { bytes, canReencode, hexOf } from '../../test/fixtures/gatt/vector.js';
import { encodeTemperatureMeasurement } from './thermometer.js';

const temperature = fc.record(
  { unit: fc.constantFrom('Cel' as const, 'degF' as const), temperature: float, timestamp: dateTime, temperatureType: enumOf(TEMPERATURE_TYPES, 8) },
  { requiredKeys: ['unit', 'temperature'] },
);

roundTripSuite('Temperature Measurement 0x2A1C', decodeTemperatureMeasurement, encodeTemperatureMeasurement, TEMPERATURE_VECTORS, temperature);

const NORDIC_HT = 'NordicSemiconductor/Android-BLE-Common-Library ble-common/src/test/java/no/nordicsemi/android/ble/common/callback/ht/TemperatureMeasurementDataCallbackTest.java';

describe('encodeTemperatureMeasurement from literal expected values (no gateway decoder or table in the loop)', () => {
  it(`37.60 °C, finger, 2012-12-05 11:50:27 becomes Nordic's octets (${NORDIC_HT} onTemperatureMeasurementReceived)`, () => {
    const encoded = encodeTemperatureMeasurement(
      { unit: 'Cel', temperature: 37.6, timestamp: { year: 2012, month: 12, day: 5, hours: 11, minutes: 50, seconds: 27 }, temperatureType: 'finger' },
      { exponents: { temperature: -2 } },
    );
    // new byte[]{0x06, 0xB0, 0x0E, 0x00, 0xFE, 0xDC, 0x07, 0x0C, 0x05, 0x0B, 0x32, 0x1B, 0x04}
    expect(hexOf(encoded)).toBe('06b00e00fedc070c050b321b04');
  });

  const reencodable = TEMPERATURE_VECTORS.filter(canReencode);
  it.each(reencodable.map((v) => [v.name, v] as const))('vector table: %s', (_name, v) => {
    const options = v.reencode && !('not' in v.reencode) ? v.reencode : undefined;
    expect(hexOf(encodeTemperatureMeasurement(v.expected, options)), v.source).toBe(hexOf(bytes(v.hex)));
  });

  // HTS 1.0 §3.2 / GATT Specification Supplement "Temperature Type": the code is the last octet.
  it.each([
    ['armpit', 0x01],
    ['body', 0x02],
    ['ear', 0x03],
    ['finger', 0x04],
    ['gastrointestinalTract', 0x05],
    ['mouth', 0x06],
    ['rectum', 0x07],
    ['toe', 0x08],
    ['tympanum', 0x09],
    ['reserved:0', 0x00],
    ['reserved:255', 0xff],
  ] as const)('temperature type %s is code %i', (temperatureType, code) => {
    const encoded = encodeTemperatureMeasurement({ unit: 'Cel', temperature: 37, temperatureType }, { exponents: { temperature: -1 } });
    expect(hexOf(encoded)).toBe(`04720100ff${code.toString(16).padStart(2, '0')}`);
  });

  it('refuses a temperature type the specification does not name', () => {
    expect(() => encodeTemperatureMeasurement({ unit: 'Cel', temperature: 37, temperatureType: 'forehead' })).toThrow(/unknown temperature type "forehead"/);
  });
});
