import { BODY_COMPOSITION_REJECTS, BODY_COMPOSITION_VECTORS } from '../../test/fixtures/gatt/body-composition.js';
import { decoderSuite } from '../../test/fixtures/gatt/decoder-suite.js';
import { decodeBodyCompositionMeasurement } from './body-composition-measurement.js';

decoderSuite('Body Composition Measurement 0x2A9C', decodeBodyCompositionMeasurement, BODY_COMPOSITION_VECTORS, BODY_COMPOSITION_REJECTS);
