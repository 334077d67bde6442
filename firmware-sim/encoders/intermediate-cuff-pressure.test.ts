import fc from 'fast-check';
import { decodeIntermediateCuffPressure } from '../../gateway/profiles/intermediate-cuff-pressure.js';
import { bpMeasurementStatus, bpPressure, dateTime, uint } from '../../test/fixtures/gatt/arbitraries.js';
import { INTERMEDIATE_CUFF_PRESSURE_VECTORS } from '../../test/fixtures/gatt/blood-pressure.js';
import { roundTripSuite } from '../../test/fixtures/gatt/round-trip-suite.js';
import { encodeIntermediateCuffPressure } from './intermediate-cuff-pressure.js';


const icp = fc.record(
  {
    unit: fc.constantFrom('mmHg' as const, 'kPa' as const),
    cuffPressure: bpPressure,
    diastolic: bpPressure,
    meanArterialPressure: bpPressure,
    timestamp: dateTime,
    pulseRate: bpPressure,
    userId: uint(8),
    measurementStatus: bpMeasurementStatus,
  },
  { requiredKeys: ['unit', 'cuffPressure', 'diastolic', 'meanArterialPressure'] },
);

roundTripSuite('Intermediate Cuff Pressure 0x2A36', decodeIntermediateCuffPressure, encodeIntermediateCuffPressure, INTERMEDIATE_CUFF_PRESSURE_VECTORS, icp);
