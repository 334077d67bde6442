import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBloodPressureMeasurement } from '../../gateway/profiles/blood-pressure-measurement.js';
import { bpMeasurementStatus, bpPressure, dateTime, uint } from '../../test/fixtures/gatt/arbitraries.js';
import { BLOOD_PRESSURE_MEASUREMENT_VECTORS } from '../../test/fixtures/gatt/blood-pressure-measurement.js';
import { roundTripSuite } from '../../test/fixtures/gatt/round-trip-suite.js';
import { bytes, canReencode, hexOf } from '../../test/fixtures/gatt/vector.js';
import { encodeBloodPressureMeasurement } from './blood-pressure.js';


const measurement = fc.record(
  {
    unit: fc.constantFrom('mmHg' as const, 'kPa' as const),
    systolic: bpPressure,
    diastolic: bpPressure,
    meanArterialPressure: bpPressure,
    timestamp: dateTime,
    pulseRate: bpPressure,
    userId: uint(8),
    measurementStatus: bpMeasurementStatus,
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
