import fc from 'fast-check';
import { decodeHeartRateMeasurement, type HeartRateMeasurement } from '../../gateway/profiles/heart-rate-measurement.js';
import { uint } from '../../test/fixtures/gatt/arbitraries.js';
import { HEART_RATE_VECTORS } from '../../test/fixtures/gatt/heart-rate.js';
import { roundTripSuite } from '../../test/fixtures/gatt/round-trip-suite.js';
import { encodeHeartRateMeasurement } from './heart-rate.js';

const hr: fc.Arbitrary<HeartRateMeasurement> = fc.record(
  {
    heartRate: uint(16),
    sensorContact: fc.constantFrom('notSupported' as const, 'notDetected' as const, 'detected' as const),
    energyExpended: uint(16),
    rrIntervals: fc.array(uint(16).map((raw) => (raw * 1000) / 1024), { minLength: 1, maxLength: 8 }),
  },
  { requiredKeys: ['heartRate', 'sensorContact'] },
);

roundTripSuite('Heart Rate Measurement 0x2A37', decodeHeartRateMeasurement, encodeHeartRateMeasurement, HEART_RATE_VECTORS, hr);
