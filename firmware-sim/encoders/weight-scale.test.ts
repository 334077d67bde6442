import fc from 'fast-check';
import { decodeWeightMeasurement, type WeightMeasurement } from '../../gateway/profiles/weight-measurement.js';
import { decodeWeightScaleFeature } from '../../gateway/profiles/weight-scale-feature.js';
import { dateTime, grid, uint } from '../../test/fixtures/gatt/arbitraries.js';
import { roundTripSuite } from '../../test/fixtures/gatt/round-trip-suite.js';
import { WEIGHT_SCALE_FEATURE_VECTORS, WEIGHT_VECTORS } from '../../test/fixtures/gatt/weight-scale.js';
import { encodeWeightMeasurement, encodeWeightScaleFeature } from './weight-scale.js';

const weight: fc.Arbitrary<WeightMeasurement> = fc.constantFrom('kg' as const, 'lb' as const).chain((unit) =>
  fc
    .record(
      {
        weight: fc.oneof(grid(16, unit === 'kg' ? 200 : 100, 0xfffe), fc.constant('measurementUnsuccessful' as const)),
        timestamp: dateTime,
        userId: uint(8),
        bmiAndHeight: fc.record({ bmi: grid(16, 10), height: grid(16, unit === 'kg' ? 1000 : 10) }),
      },
      { requiredKeys: ['weight'] },
    )
    .map(({ bmiAndHeight, ...rest }) => ({ unit, ...rest, ...(bmiAndHeight && { ...bmiAndHeight, heightUnit: unit === 'kg' ? ('m' as const) : ('in' as const) }) })),
);

roundTripSuite('Weight Measurement 0x2A9D', decodeWeightMeasurement, encodeWeightMeasurement, WEIGHT_VECTORS, weight);

// Feature values: every combination of the three support bits and the assigned resolution codes.
const feature = fc
  .record({ bits: uint(3), weight: fc.integer({ min: 0, max: 7 }), height: fc.integer({ min: 0, max: 3 }) })
  .map(({ bits, weight: w, height: h }) => decodeWeightScaleFeature(Uint8Array.of(bits | (w << 3) | ((h & 1) << 7), h >> 1, 0, 0)))
  .map((r) => (r.ok ? r.value : { timeStampSupported: false, multipleUsersSupported: false, bmiSupported: false }));

roundTripSuite('Weight Scale Feature 0x2A9E', decodeWeightScaleFeature, encodeWeightScaleFeature, WEIGHT_SCALE_FEATURE_VECTORS, feature);
