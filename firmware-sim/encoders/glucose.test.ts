import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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
import { fuzzSeed } from '../../test/fixtures/gatt/decoder-suite.js';
import { roundTripSuite } from '../../test/fixtures/gatt/round-trip-suite.js';
import { bytes, hexOf } from '../../test/fixtures/gatt/vector.js';
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

const BASE_TIME = { year: 2026, month: 11, day: 22, hours: 7, minutes: 30, seconds: 0 };
const EXP = { exponents: { glucoseConcentration: -5 } };

// ---- Literal wire values: no gateway decoder or table in the loop ----------------------------------
// The codes below are written in this test from GLS 1.0 / the GATT Specification Supplement, a third
// copy beside the gateway's tables and the encoder's own: a wrong code in either fails here.

const NORDIC_GLS = 'NordicSemiconductor/Android-BLE-Common-Library ble-common/src/test/java/no/nordicsemi/android/ble/common/callback/glucose';

describe('encodeGlucoseMeasurement from literal expected values', () => {
  it(`Nordic's full record becomes Nordic's octets (${NORDIC_GLS}/GlucoseMeasurementDataCallbackTest.java onGlucoseMeasurementReceived)`, () => {
    const encoded = encodeGlucoseMeasurement(
      {
        sequenceNumber: 1,
        baseTime: { year: 2019, month: 2, day: 27, hours: 11, minutes: 10, seconds: 30 },
        timeOffset: -5,
        glucoseConcentration: 30,
        unit: 'kg/L',
        type: 'capillaryPlasma',
        sampleLocation: 'finger',
        sensorStatusAnnunciation: ['deviceBatteryLow', 'sampleSizeInsufficient', 'sensorTemperatureTooLow'],
        contextInformationFollows: true,
      },
      { exponents: { glucoseConcentration: 0 } },
    );
    // flags 0x1B, seq 1, 2019-02-27 11:10:30, offset -5, SFLOAT 30 (0x001E), type 2 | location 1 << 4, status 0x0105
    expect(hexOf(encoded)).toBe('1b0100e307021b0b0a1efbff1e00120501');
  });

  it('90 mg/dL on a finger, capillary whole blood, mmol/L flag clear (constructed from the GLS 1.0 field layout)', () => {
    const encoded = encodeGlucoseMeasurement(
      { sequenceNumber: 42, baseTime: { year: 2026, month: 11, day: 22, hours: 7, minutes: 30, seconds: 0 }, glucoseConcentration: 0.0009, unit: 'kg/L', type: 'capillaryWholeBlood', sampleLocation: 'finger', contextInformationFollows: false },
      { exponents: { glucoseConcentration: -5 } },
    );
    // SFLOAT 90e-5: mantissa 0x05A, exponent -5 = 0xB -> 0xB05A, little-endian 5a b0
    expect(hexOf(encoded)).toBe('022a00ea070b16071e005ab011');
  });

  const TYPE_CODES = [
    ['capillaryWholeBlood', 1],
    ['capillaryPlasma', 2],
    ['venousWholeBlood', 3],
    ['venousPlasma', 4],
    ['arterialWholeBlood', 5],
    ['arterialPlasma', 6],
    ['undeterminedWholeBlood', 7],
    ['undeterminedPlasma', 8],
    ['interstitialFluid', 9],
    ['controlSolution', 10],
    ['reserved:0', 0],
    ['reserved:15', 15],
  ] as const;
  const LOCATION_CODES = [
    ['finger', 1],
    ['alternateSiteTest', 2],
    ['earlobe', 3],
    ['controlSolution', 4],
    ['notAvailable', 15],
    ['reserved:0', 0],
  ] as const;
  const STATUS_BITS = [
    'deviceBatteryLow',
    'sensorMalfunction',
    'sampleSizeInsufficient',
    'stripInsertionError',
    'stripTypeIncorrect',
    'resultHigherThanDeviceCanProcess',
    'resultLowerThanDeviceCanProcess',
    'sensorTemperatureTooHigh',
    'sensorTemperatureTooLow',
    'sensorReadInterrupted',
    'generalDeviceFault',
    'timeFault',
  ] as const;
  const HEAD = '02 0100 ea07 0b 16 07 1e 00 5ab0'.replace(/ /g, '');

  it.each(TYPE_CODES)('type %s is low nibble %i', (type, code) => {
    const encoded = encodeGlucoseMeasurement({ sequenceNumber: 1, baseTime: BASE_TIME, glucoseConcentration: 0.0009, unit: 'kg/L', type, sampleLocation: 'reserved:0', contextInformationFollows: false }, EXP);
    expect(hexOf(encoded)).toBe(`${HEAD}0${code.toString(16)}`);
  });

  it.each(LOCATION_CODES)('sample location %s is high nibble %i', (sampleLocation, code) => {
    const encoded = encodeGlucoseMeasurement({ sequenceNumber: 1, baseTime: BASE_TIME, glucoseConcentration: 0.0009, unit: 'kg/L', type: 'reserved:0', sampleLocation, contextInformationFollows: false }, EXP);
    expect(hexOf(encoded)).toBe(`${HEAD}${code.toString(16)}0`);
  });

  it.each(STATUS_BITS.map((name, bit) => [name, bit] as const))('sensor status %s is bit %i', (name, bit) => {
    const encoded = encodeGlucoseMeasurement({ sequenceNumber: 1, baseTime: BASE_TIME, sensorStatusAnnunciation: [name], contextInformationFollows: false });
    const status = 1 << bit;
    expect(hexOf(encoded)).toBe(`080100ea070b16071e00${(status & 0xff).toString(16).padStart(2, '0')}${(status >> 8).toString(16).padStart(2, '0')}`);
  });

  it('any type, location and status bits land on the literal octets (fast-check)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TYPE_CODES), fc.constantFrom(...LOCATION_CODES), fc.subarray([...STATUS_BITS.keys()]), ([type, t], [sampleLocation, l], bits) => {
        const encoded = encodeGlucoseMeasurement(
          { sequenceNumber: 1, baseTime: BASE_TIME, glucoseConcentration: 0.0009, unit: 'kg/L', type, sampleLocation, sensorStatusAnnunciation: bits.map((b) => STATUS_BITS[b]!), contextInformationFollows: false },
          EXP,
        );
        const status = bits.reduce((n, b) => n | (1 << b), 0);
        expect([...encoded.slice(12)]).toEqual([(l << 4) | t, status & 0xff, status >> 8]);
        expect(encoded[0]).toBe(0x0a); // concentration (bit 1) and status (bit 3) present
      }),
      { seed: fuzzSeed(), numRuns: 300 },
    );
  });

  it('refuses names the specification does not give', () => {
    expect(() => encodeGlucoseMeasurement({ sequenceNumber: 1, glucoseConcentration: 0.001, unit: 'kg/L', type: 'saliva', contextInformationFollows: false })).toThrow(/unknown glucose type "saliva"/);
    expect(() => encodeGlucoseMeasurement({ sequenceNumber: 1, sensorStatusAnnunciation: ['stripWet'], contextInformationFollows: false })).toThrow(/unknown sensor status flag "stripWet"/);
  });
});

describe('encodeGlucoseMeasurementContext from literal expected values', () => {
  it(`every field (${NORDIC_GLS}/GlucoseMeasurementContextDataCallbackTest.java onGlucoseMeasurementContextReceived_full layout and enumerations)`, () => {
    // The fixture's literal expected value encoded with no decoder in the loop: dinner = 3, casual = 4,
    // tester 2 | health 1 << 4 = 0x12, long-acting insulin = 4.
    const full = GLUCOSE_CONTEXT_VECTORS[0]!;
    const encoded = encodeGlucoseMeasurementContext(full.expected, { exponents: { carbohydrate: 0, medication: -1, hba1c: -1 } });
    expect(hexOf(encoded)).toBe('ff0000b303640004123c003204d3f459f1');
    expect(hexOf(encoded)).toBe(hexOf(bytes(full.hex)));
  });

  it.each([
    ['breakfast', 1],
    ['lunch', 2],
    ['dinner', 3],
    ['snack', 4],
    ['drink', 5],
    ['supper', 6],
    ['brunch', 7],
  ] as const)('carbohydrate id %s is %i', (carbohydrateId, code) => {
    expect(hexOf(encodeGlucoseMeasurementContext({ sequenceNumber: 1, carbohydrateId, carbohydrate: 0 }))).toBe(`010100${code.toString(16).padStart(2, '0')}0000`);
  });

  it.each([
    ['preprandial', 1],
    ['postprandial', 2],
    ['fasting', 3],
    ['casual', 4],
    ['bedtime', 5],
  ] as const)('meal %s is %i', (meal, code) => {
    expect(hexOf(encodeGlucoseMeasurementContext({ sequenceNumber: 1, meal }))).toBe(`020100${code.toString(16).padStart(2, '0')}`);
  });

  it.each([
    ['self', 'minorHealthIssues', 0x11],
    ['healthCareProfessional', 'majorHealthIssues', 0x22],
    ['labTest', 'duringMenses', 0x33],
    ['notAvailable', 'underStress', 0x4f],
    ['self', 'noHealthIssues', 0x51],
    ['self', 'notAvailable', 0xf1],
  ] as const)('tester %s with health %s is 0x%s', (tester, health, octet) => {
    expect(hexOf(encodeGlucoseMeasurementContext({ sequenceNumber: 1, tester, health }))).toBe(`040100${octet.toString(16)}`);
  });

  it.each([
    ['rapidActingInsulin', 1],
    ['shortActingInsulin', 2],
    ['intermediateActingInsulin', 3],
    ['longActingInsulin', 4],
    ['preMixedInsulin', 5],
  ] as const)('medication id %s is %i (kg: units flag clear)', (medicationId, code) => {
    expect(hexOf(encodeGlucoseMeasurementContext({ sequenceNumber: 1, medicationId, medication: 0, medicationUnit: 'kg' }))).toBe(`100100${code.toString(16).padStart(2, '0')}0000`);
  });
});

describe('encodeGlucoseFeature from literal expected values', () => {
  it(`bits 4-9 become Nordic's octets (${NORDIC_GLS}/GlucoseFeatureDataCallbackTest.java onGlucoseFeaturesReceived)`, () => {
    const supported = ['sensorStripTypeErrorDetection', 'sensorResultHighLowDetection', 'sensorTemperatureHighLowDetection', 'sensorReadInterruptDetection', 'generalDeviceFault', 'timeFault'];
    expect(hexOf(encodeGlucoseFeature({ supported }))).toBe('f003');
  });

  it('multiple bond is bit 10 (what the simulated meter reports)', () => {
    expect(hexOf(encodeGlucoseFeature({ supported: ['multipleBond'] }))).toBe('0004');
  });
});
