import { BLOOD_PRESSURE_MEASUREMENT_REJECTS, BLOOD_PRESSURE_MEASUREMENT_VECTORS } from '../../test/fixtures/gatt/blood-pressure-measurement.js';
import { decoderSuite } from '../../test/fixtures/gatt/decoder-suite.js';
import { decodeBloodPressureMeasurement } from './blood-pressure-measurement.js';

decoderSuite('Blood Pressure Measurement 0x2A35', decodeBloodPressureMeasurement, BLOOD_PRESSURE_MEASUREMENT_VECTORS, BLOOD_PRESSURE_MEASUREMENT_REJECTS);
