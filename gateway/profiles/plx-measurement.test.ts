import { decoderSuite } from '../../test/fixtures/gatt/decoder-suite.js';
import { PLX_CONTINUOUS_REJECTS, PLX_CONTINUOUS_VECTORS, PLX_SPOT_CHECK_REJECTS, PLX_SPOT_CHECK_VECTORS } from '../../test/fixtures/gatt/pulse-oximeter.js';
import { decodePlxContinuousMeasurement } from './plx-continuous-measurement.js';
import { decodePlxSpotCheckMeasurement } from './plx-spot-check-measurement.js';

decoderSuite('PLX Spot-check Measurement 0x2A5E', decodePlxSpotCheckMeasurement, PLX_SPOT_CHECK_VECTORS, PLX_SPOT_CHECK_REJECTS);
decoderSuite('PLX Continuous Measurement 0x2A5F', decodePlxContinuousMeasurement, PLX_CONTINUOUS_VECTORS, PLX_CONTINUOUS_REJECTS);
