import fc from 'fast-check';
import { decodeBatteryLevel } from '../../gateway/profiles/battery-level.js';
import { ADJUST_REASON_BITS, DAYS_OF_WEEK, decodeCurrentTime, encodeCurrentTime, type CurrentTime } from '../../gateway/profiles/current-time.js';
import { dateTime, enumOf, flagsOf, uint } from '../../test/fixtures/gatt/arbitraries.js';
import { BATTERY_VECTORS, CURRENT_TIME_VECTORS } from '../../test/fixtures/gatt/device-and-time.js';
import { roundTripSuite } from '../../test/fixtures/gatt/round-trip-suite.js';
import { encodeBatteryLevel } from './battery-level.js';

const currentTime: fc.Arbitrary<CurrentTime> = fc.record(
  { dateTime, dayOfWeek: enumOf(DAYS_OF_WEEK, 8), fractions256: uint(8), adjustReason: flagsOf(ADJUST_REASON_BITS, 8) },
  { requiredKeys: ['dayOfWeek', 'fractions256', 'adjustReason'] },
);

roundTripSuite('Battery Level 0x2A19', decodeBatteryLevel, encodeBatteryLevel, BATTERY_VECTORS, fc.integer({ min: 0, max: 100 }).map((batteryLevel) => ({ batteryLevel })));
// The gateway's own Current Time encoder, as a simulated device reads what the gateway wrote.
roundTripSuite('Current Time 0x2A2B', decodeCurrentTime, encodeCurrentTime, CURRENT_TIME_VECTORS, currentTime);
