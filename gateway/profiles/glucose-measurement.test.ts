import { decoderSuite } from '../../test/fixtures/gatt/decoder-suite.js';
import {
  GLUCOSE_CONTEXT_REJECTS,
  GLUCOSE_CONTEXT_VECTORS,
  GLUCOSE_FEATURE_REJECTS,
  GLUCOSE_FEATURE_VECTORS,
  GLUCOSE_REJECTS,
  GLUCOSE_VECTORS,
} from '../../test/fixtures/gatt/glucose.js';
import { decodeGlucoseFeature } from './glucose-feature.js';
import { decodeGlucoseMeasurementContext } from './glucose-measurement-context.js';
import { decodeGlucoseMeasurement } from './glucose-measurement.js';

decoderSuite('Glucose Measurement 0x2A18', decodeGlucoseMeasurement, GLUCOSE_VECTORS, GLUCOSE_REJECTS);
decoderSuite('Glucose Measurement Context 0x2A34', decodeGlucoseMeasurementContext, GLUCOSE_CONTEXT_VECTORS, GLUCOSE_CONTEXT_REJECTS);
decoderSuite('Glucose Feature 0x2A51', decodeGlucoseFeature, GLUCOSE_FEATURE_VECTORS, GLUCOSE_FEATURE_REJECTS);
