import { decoderSuite } from '../../test/fixtures/gatt/decoder-suite.js';
import { WEIGHT_REJECTS, WEIGHT_SCALE_FEATURE_REJECTS, WEIGHT_SCALE_FEATURE_VECTORS, WEIGHT_VECTORS } from '../../test/fixtures/gatt/weight-scale.js';
import { decodeWeightMeasurement } from './weight-measurement.js';
import { decodeWeightScaleFeature } from './weight-scale-feature.js';

decoderSuite('Weight Measurement 0x2A9D', decodeWeightMeasurement, WEIGHT_VECTORS, WEIGHT_REJECTS);
decoderSuite('Weight Scale Feature 0x2A9E', decodeWeightScaleFeature, WEIGHT_SCALE_FEATURE_VECTORS, WEIGHT_SCALE_FEATURE_REJECTS);
