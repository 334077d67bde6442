import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePlxContinuousMeasurement, type PlxContinuousMeasurement } from '../../gateway/profiles/plx-continuous-measurement.js';
import { decodePlxSpotCheckMeasurement, type PlxSpotCheckMeasurement } from '../../gateway/profiles/plx-spot-check-measurement.js';
import { PLX_DEVICE_AND_SENSOR_STATUS_BITS, PLX_MEASUREMENT_STATUS_BITS } from '../../gateway/profiles/plx-status.js';
import { dateTime, flagsOf, sfloat } from '../../test/fixtures/gatt/arbitraries.js';
import { PLX_CONTINUOUS_VECTORS, PLX_SPOT_CHECK_VECTORS } from '../../test/fixtures/gatt/pulse-oximeter.js';
import { roundTripSuite } from '../../test/fixtures/gatt/round-trip-suite.js';
import { bytes, canReencode, hexOf } from '../../test/fixtures/gatt/vector.js';
import { encodePlxContinuousMeasurement, encodePlxSpotCheckMeasurement } from './pulse-oximeter.js';

const measurementStatus = flagsOf(PLX_MEASUREMENT_STATUS_BITS, 16);
const deviceAndSensorStatus = flagsOf(PLX_DEVICE_AND_SENSOR_STATUS_BITS, 24);

const spot: fc.Arbitrary<PlxSpotCheckMeasurement> = fc.record(
  { spo2: sfloat, pulseRate: sfloat, timestamp: dateTime, measurementStatus, deviceAndSensorStatus, pulseAmplitudeIndex: sfloat, deviceClockNotSet: fc.boolean() },
  { requiredKeys: ['spo2', 'pulseRate', 'deviceClockNotSet'] },
);

const continuous: fc.Arbitrary<PlxContinuousMeasurement> = fc
  .record(
    {
      spo2: sfloat,
      pulseRate: sfloat,
      fast: fc.record({ spo2Fast: sfloat, pulseRateFast: sfloat }),
      slow: fc.record({ spo2Slow: sfloat, pulseRateSlow: sfloat }),
      measurementStatus,
      deviceAndSensorStatus,
      pulseAmplitudeIndex: sfloat,
    },
    { requiredKeys: ['spo2', 'pulseRate'] },
  )
  .map(({ fast, slow, ...rest }) => ({ ...rest, ...fast, ...slow }));

roundTripSuite('PLX Spot-check Measurement 0x2A5E', decodePlxSpotCheckMeasurement, encodePlxSpotCheckMeasurement, PLX_SPOT_CHECK_VECTORS, spot);
roundTripSuite('PLX Continuous Measurement 0x2A5F', decodePlxContinuousMeasurement, encodePlxContinuousMeasurement, PLX_CONTINUOUS_VECTORS, continuous);

const SPEZI = 'StanfordSpezi/SpeziBluetooth Tests/SpeziBluetoothServicesTests/PLXTests.swift';

describe('PLX encoders from literal expected values (no gateway decoder or table in the loop)', () => {
  it(`spot check with every field becomes SpeziBluetooth's octets (${SPEZI} testSpotCheckMeasurementCoding)`, () => {
    const encoded = encodePlxSpotCheckMeasurement(
      {
        spo2: 94,
        pulseRate: 147,
        timestamp: { year: 2024, month: 11, day: 29, hours: 23, minutes: 8, seconds: 57 },
        measurementStatus: ['measurementOngoing', 'questionableMeasurementDetected'],
        deviceAndSensorStatus: ['equipmentMalfunctionDetected', 'lowPerfusionDetected'],
        pulseAmplitudeIndex: 8.7,
        deviceClockNotSet: false,
      },
      { exponents: { spo2: -1, pulseRate: -1, pulseAmplitudeIndex: -2 } },
    );
    expect(hexOf(encoded)).toBe('0facf3bef5e8070b1d170839204022000066e3');
  });

  it(`continuous with status and PAI becomes SpeziBluetooth's octets (${SPEZI} testSimpleMeasurementCoding)`, () => {
    const encoded = encodePlxContinuousMeasurement({ spo2: 95, pulseRate: 90, measurementStatus: ['measurementOngoing'], deviceAndSensorStatus: [], pulseAmplitudeIndex: 8.7 });
    expect(hexOf(encoded)).toBe('1c5f005a00200000000057f0');
  });

  it.each(PLX_SPOT_CHECK_VECTORS.filter(canReencode).map((v) => [v.name, v] as const))('spot-check vector table: %s', (_name, v) => {
    const options = v.reencode && !('not' in v.reencode) ? v.reencode : undefined;
    expect(hexOf(encodePlxSpotCheckMeasurement(v.expected, options)), v.source).toBe(hexOf(bytes(v.hex)));
  });

  it.each(PLX_CONTINUOUS_VECTORS.filter(canReencode).map((v) => [v.name, v] as const))('continuous vector table: %s', (_name, v) => {
    const options = v.reencode && !('not' in v.reencode) ? v.reencode : undefined;
    expect(hexOf(encodePlxContinuousMeasurement(v.expected, options)), v.source).toBe(hexOf(bytes(v.hex)));
  });

  // PLXS 1.0.1 §3.1.1.4 Measurement Status: one named bit at a time, as uint16 little-endian octets.
  it.each([
    ['measurementOngoing', '2000'],
    ['earlyEstimatedData', '4000'],
    ['validatedData', '8000'],
    ['fullyQualifiedData', '0001'],
    ['dataFromMeasurementStorage', '0002'],
    ['dataForDemonstration', '0004'],
    ['dataForTesting', '0008'],
    ['calibrationOngoing', '0010'],
    ['measurementUnavailable', '0020'],
    ['questionableMeasurementDetected', '0040'],
    ['invalidMeasurementDetected', '0080'],
    ['bit0', '0100'],
  ] as const)('measurement status %s is octets %s', (flag, octets) => {
    const encoded = encodePlxSpotCheckMeasurement({ spo2: 98, pulseRate: 72, measurementStatus: [flag], deviceClockNotSet: false });
    expect(hexOf(encoded)).toBe(`0262004800${octets}`);
  });

  // PLXS 1.0.1 §3.1.1.5 Device and Sensor Status: one named bit at a time, as uint24 little-endian octets.
  it.each([
    ['extendedDisplayUpdateOngoing', '010000'],
    ['equipmentMalfunctionDetected', '020000'],
    ['signalProcessingIrregularityDetected', '040000'],
    ['inadequateSignalDetected', '080000'],
    ['poorSignalDetected', '100000'],
    ['lowPerfusionDetected', '200000'],
    ['erraticSignalDetected', '400000'],
    ['nonpulsatileSignalDetected', '800000'],
    ['questionablePulseDetected', '000100'],
    ['signalAnalysisOngoing', '000200'],
    ['sensorInterferenceDetected', '000400'],
    ['sensorUnconnectedToUser', '000800'],
    ['unknownSensorConnected', '001000'],
    ['sensorDisplaced', '002000'],
    ['sensorMalfunctioning', '004000'],
    ['sensorDisconnected', '008000'],
    ['bit23', '000080'],
  ] as const)('device and sensor status %s is octets %s', (flag, octets) => {
    const encoded = encodePlxSpotCheckMeasurement({ spo2: 98, pulseRate: 72, deviceAndSensorStatus: [flag], deviceClockNotSet: false });
    expect(hexOf(encoded)).toBe(`0462004800${octets}`);
  });

  it('refuses a status flag the specification does not name', () => {
    expect(() => encodePlxSpotCheckMeasurement({ spo2: 98, pulseRate: 72, measurementStatus: ['toString'], deviceClockNotSet: false })).toThrow(
      /unknown measurementStatus flag "toString"/,
    );
  });
});
