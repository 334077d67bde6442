import fc from 'fast-check';
import { decodePlxContinuousMeasurement, type PlxContinuousMeasurement } from '../../gateway/profiles/plx-continuous-measurement.js';
import { decodePlxSpotCheckMeasurement, type PlxSpotCheckMeasurement } from '../../gateway/profiles/plx-spot-check-measurement.js';
import { PLX_DEVICE_AND_SENSOR_STATUS_BITS, PLX_MEASUREMENT_STATUS_BITS } from '../../gateway/profiles/plx-status.js';
import { dateTime, flagsOf, sfloat } from '../../test/fixtures/gatt/arbitraries.js';
import { PLX_CONTINUOUS_VECTORS, PLX_SPOT_CHECK_VECTORS } from '../../test/fixtures/gatt/pulse-oximeter.js';
import { roundTripSuite } from '../../test/fixtures/gatt/round-trip-suite.js';
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
