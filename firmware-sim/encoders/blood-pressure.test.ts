import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBloodPressureMeasurement, type PulseRateRange } from '../../gateway/profiles/blood-pressure-measurement.js';
import { dateTime, uint } from '../../test/fixtures/gatt/arbitraries.js';
import { BLOOD_PRESSURE_MEASUREMENT_VECTORS } from '../../test/fixtures/gatt/blood-pressure-measurement.js';
import { roundTripSuite } from '../../test/fixtures/gatt/round-trip-suite.js';
import { bytes, canReencode, hexOf } from '../../test/fixtures/gatt/vector.js';
import { encodeBloodPressureMeasurement } from './blood-pressure.js';

// The blood-pressure encoder writes whole units with exponent 0 and anything else with one decimal.
const pressure = fc.oneof(
  fc.integer({ min: -2045, max: 2045 }),
  fc.integer({ min: -2048, max: 2047 }).map((m) => m / 10),
  fc.constantFrom('NaN' as const, 'NRes' as const, '+INF' as const, '-INF' as const, 'reserved' as const),
);

const status = fc.record({
  bodyMovement: fc.boolean(),
  cuffTooLoose: fc.boolean(),
  irregularPulse: fc.boolean(),
  pulseRateRange: fc.constantFrom<PulseRateRange>('within', 'above', 'below', 'reserved'),
  improperPosition: fc.boolean(),
});

const measurement = fc.record(
  {
    unit: fc.constantFrom('mmHg' as const, 'kPa' as const),
    systolic: pressure,
    diastolic: pressure,
    meanArterialPressure: pressure,
    timestamp: dateTime,
    pulseRate: pressure,
    userId: uint(8),
    measurementStatus: status,
  },
  { requiredKeys: ['unit', 'systolic', 'diastolic', 'meanArterialPressure'] },
);

roundTripSuite('Blood Pressure Measurement 0x2A35', decodeBloodPressureMeasurement, encodeBloodPressureMeasurement, BLOOD_PRESSURE_MEASUREMENT_VECTORS, measurement);

describe('encodeBloodPressureMeasurement from the literal expected values', () => {
  // Without the gateway's decoder in the loop: the table's literal value must become the table's literal octets.
  const reencodable = BLOOD_PRESSURE_MEASUREMENT_VECTORS.filter(canReencode);
  it.each(reencodable.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    expect(hexOf(encodeBloodPressureMeasurement(v.expected)), v.source).toBe(hexOf(bytes(v.hex)));
  });
});
