import { INTERMEDIATE_CUFF_PRESSURE_REJECTS, INTERMEDIATE_CUFF_PRESSURE_VECTORS } from '../../test/fixtures/gatt/blood-pressure.js';
import { decoderSuite } from '../../test/fixtures/gatt/decoder-suite.js';
import { decodeIntermediateCuffPressure } from './intermediate-cuff-pressure.js';

decoderSuite('Intermediate Cuff Pressure 0x2A36', decodeIntermediateCuffPressure, INTERMEDIATE_CUFF_PRESSURE_VECTORS, INTERMEDIATE_CUFF_PRESSURE_REJECTS);
