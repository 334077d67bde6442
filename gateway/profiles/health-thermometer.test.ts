import { describe, expect, it } from 'vitest';
import { decoderSuite } from '../../test/fixtures/gatt/decoder-suite.js';
import { TEMPERATURE_REJECTS, TEMPERATURE_VECTORS } from '../../test/fixtures/gatt/thermometer.js';
import { bytes } from '../../test/fixtures/gatt/vector.js';
import { decodeIntermediateTemperature, decodeTemperatureMeasurement } from './health-thermometer.js';

decoderSuite('Temperature Measurement 0x2A1C', decodeTemperatureMeasurement, TEMPERATURE_VECTORS, TEMPERATURE_REJECTS);

describe('Intermediate Temperature 0x2A1E', () => {
  it('shares the Temperature Measurement layout (HTS 1.0 §3.2)', () => {
    for (const v of TEMPERATURE_VECTORS) expect(decodeIntermediateTemperature(bytes(v.hex))).toEqual({ ok: true, value: v.expected });
  });
});
