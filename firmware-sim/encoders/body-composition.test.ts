import fc from 'fast-check';
import { decodeBodyCompositionMeasurement, type BodyCompositionMeasurement } from '../../gateway/profiles/body-composition-measurement.js';
import { dateTime, grid, uint } from '../../test/fixtures/gatt/arbitraries.js';
import { BODY_COMPOSITION_VECTORS } from '../../test/fixtures/gatt/body-composition.js';
import { roundTripSuite } from '../../test/fixtures/gatt/round-trip-suite.js';
import { encodeBodyCompositionMeasurement } from './body-composition.js';

const bcm: fc.Arbitrary<BodyCompositionMeasurement> = fc.constantFrom('kg' as const, 'lb' as const).chain((unit) => {
  const mass = grid(16, unit === 'kg' ? 200 : 100);
  return fc
    .record(
      {
        bodyFatPercentage: fc.oneof(grid(16, 10, 0xfffe), fc.constant('measurementUnsuccessful' as const)),
        timestamp: dateTime,
        userId: uint(8),
        basalMetabolism: uint(16),
        musclePercentage: grid(16, 10),
        muscleMass: mass,
        fatFreeMass: mass,
        softLeanMass: mass,
        bodyWaterMass: mass,
        impedance: grid(16, 10),
        weight: mass,
        height: grid(16, unit === 'kg' ? 1000 : 10),
        multiplePacketMeasurement: fc.boolean(),
      },
      { requiredKeys: ['bodyFatPercentage', 'multiplePacketMeasurement'] },
    )
    .map((m) => ({ unit, ...m, ...(m.height !== undefined && { heightUnit: unit === 'kg' ? ('m' as const) : ('in' as const) }) }));
});

roundTripSuite('Body Composition Measurement 0x2A9C', decodeBodyCompositionMeasurement, encodeBodyCompositionMeasurement, BODY_COMPOSITION_VECTORS, bcm);
