import { decoderSuite } from '../../test/fixtures/gatt/decoder-suite.js';
import { HEART_RATE_REJECTS, HEART_RATE_VECTORS } from '../../test/fixtures/gatt/heart-rate.js';
import { decodeHeartRateMeasurement } from './heart-rate-measurement.js';

decoderSuite('Heart Rate Measurement 0x2A37', decodeHeartRateMeasurement, HEART_RATE_VECTORS, HEART_RATE_REJECTS);
