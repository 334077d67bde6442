import { decoderSuite } from '../../test/fixtures/gatt/decoder-suite.js';
import { BATTERY_REJECTS, BATTERY_VECTORS, SYSTEM_ID_REJECTS, SYSTEM_ID_VECTORS } from '../../test/fixtures/gatt/device-and-time.js';
import { decodeBatteryLevel } from './battery-level.js';
import { decodeSystemId } from './system-id.js';

decoderSuite('Battery Level 0x2A19', decodeBatteryLevel, BATTERY_VECTORS, BATTERY_REJECTS);
decoderSuite('System ID 0x2A23', decodeSystemId, SYSTEM_ID_VECTORS, SYSTEM_ID_REJECTS);
