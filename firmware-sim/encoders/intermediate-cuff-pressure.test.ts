import fc from 'fast-check';
import type { PulseRateRange } from '../../gateway/profiles/blood-pressure-measurement.js';
import { decodeIntermediateCuffPressure } from '../../gateway/profiles/intermediate-cuff-pressure.js';
import { dateTime, uint } from '../../test/fixtures/gatt/arbitraries.js';
import { INTERMEDIATE_CUFF_PRESSURE_VECTORS } from '../../test/fixtures/gatt/blood-pressure.js';
import { roundTripSuite } from '../../test/fixtures/gatt/round-trip-suite.js';
import { encodeIntermediateCuffPressure } from './intermediate-cuff-pressure.js';

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

const icp = fc.record(
  {
    unit: fc.constantFrom('mmHg' as const, 'kPa' as const),
    cuffPressure: pressure,
    diastolic: pressure,
    meanArterialPressure: pressure,
    timestamp: dateTime,
    pulseRate: pressure,
    userId: uint(8),
    measurementStatus: status,
  },
  { requiredKeys: ['unit', 'cuffPressure', 'diastolic', 'meanArterialPressure'] },
);

roundTripSuite('Intermediate Cuff Pressure 0x2A36', decodeIntermediateCuffPressure, encodeIntermediateCuffPressure, INTERMEDIATE_CUFF_PRESSURE_VECTORS, icp);
