import fc from 'fast-check';
import { decodeGlucoseFeature, GLUCOSE_FEATURE_BITS } from '../../gateway/profiles/glucose-feature.js';
import {
  CARBOHYDRATE_IDS,
  decodeGlucoseMeasurementContext,
  HEALTH,
  MEALS,
  MEDICATION_IDS,
  TESTERS,
  type GlucoseMeasurementContext,
} from '../../gateway/profiles/glucose-measurement-context.js';
import { decodeGlucoseMeasurement, GLUCOSE_TYPES, SAMPLE_LOCATIONS, SENSOR_STATUS_BITS, type GlucoseMeasurement } from '../../gateway/profiles/glucose-measurement.js';
import { dateTime, enumOf, flagsOf, sfloat, uint } from '../../test/fixtures/gatt/arbitraries.js';
import { GLUCOSE_CONTEXT_VECTORS, GLUCOSE_FEATURE_VECTORS, GLUCOSE_VECTORS } from '../../test/fixtures/gatt/glucose.js';
import { roundTripSuite } from '../../test/fixtures/gatt/round-trip-suite.js';
import { encodeGlucoseFeature, encodeGlucoseMeasurement, encodeGlucoseMeasurementContext } from './glucose.js';

const measurement: fc.Arbitrary<GlucoseMeasurement> = fc
  .record(
    {
      sequenceNumber: uint(16),
      baseTime: dateTime,
      timeOffset: fc.integer({ min: -32768, max: 32767 }),
      concentration: fc.record({
        glucoseConcentration: sfloat,
        unit: fc.constantFrom('kg/L' as const, 'mol/L' as const),
        type: enumOf(GLUCOSE_TYPES, 4),
        sampleLocation: enumOf(SAMPLE_LOCATIONS, 4),
      }),
      sensorStatusAnnunciation: flagsOf(SENSOR_STATUS_BITS, 16),
      contextInformationFollows: fc.boolean(),
    },
    { requiredKeys: ['sequenceNumber', 'contextInformationFollows'] },
  )
  .map(({ concentration, ...rest }) => ({ ...rest, ...concentration }));

const context: fc.Arbitrary<GlucoseMeasurementContext> = fc
  .record(
    {
      sequenceNumber: uint(16),
      extendedFlags: uint(8),
      carbohydrate: fc.record({ carbohydrateId: enumOf(CARBOHYDRATE_IDS, 8), carbohydrate: sfloat }),
      meal: enumOf(MEALS, 8),
      testerHealth: fc.record({ tester: enumOf(TESTERS, 4), health: enumOf(HEALTH, 4) }),
      exercise: fc.record({ exerciseDuration: uint(16), exerciseIntensity: uint(8) }),
      medication: fc.record({ medicationId: enumOf(MEDICATION_IDS, 8), medication: sfloat, medicationUnit: fc.constantFrom('kg' as const, 'L' as const) }),
      hba1c: sfloat,
    },
    { requiredKeys: ['sequenceNumber'] },
  )
  .map(({ carbohydrate, testerHealth, exercise, medication, ...rest }) => ({ ...rest, ...carbohydrate, ...testerHealth, ...exercise, ...medication }));

const feature = flagsOf(GLUCOSE_FEATURE_BITS, 16).map((supported) => ({ supported }));

roundTripSuite('Glucose Measurement 0x2A18', decodeGlucoseMeasurement, encodeGlucoseMeasurement, GLUCOSE_VECTORS, measurement);
roundTripSuite('Glucose Measurement Context 0x2A34', decodeGlucoseMeasurementContext, encodeGlucoseMeasurementContext, GLUCOSE_CONTEXT_VECTORS, context);
roundTripSuite('Glucose Feature 0x2A51', decodeGlucoseFeature, encodeGlucoseFeature, GLUCOSE_FEATURE_VECTORS, feature);
