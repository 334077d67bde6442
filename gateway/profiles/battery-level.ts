/** Battery Level, characteristic 0x2A19 (Battery Service 0x180F, BAS 1.0 §3.1): uint8 percent, 0-100. */
import { ByteReader } from './byte-reader.js';
import { decodeSafely, InvalidPayload, type DecodeResult } from './result.js';

export const BATTERY_LEVEL_UUID = '2a19';

export interface BatteryLevel {
  /** percent */
  readonly batteryLevel: number;
}

export function decodeBatteryLevel(payload: Uint8Array): DecodeResult<BatteryLevel> {
  return decodeSafely(() => {
    const batteryLevel = new ByteReader(payload).u8('batteryLevel');
    // BAS 1.0 §3.1: values 101-255 are reserved.
    if (batteryLevel > 100) throw new InvalidPayload(`invalid batteryLevel: ${batteryLevel} outside 0-100`);
    return { batteryLevel };
  });
}
