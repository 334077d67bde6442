/** Battery Level (0x2A19, BAS 1.0 §3.1), read once per connection for the device status report. */
import { hasCharacteristic, type GattConnection } from '../ble/adapter.js';
import { CHARACTERISTIC, SERVICE } from '../ble/gatt-uuids.js';
import { decodeBatteryLevel } from '../profiles/battery-level.js';

export type BatteryResult = { readonly percent?: number; readonly error?: string };

export async function readBattery(conn: GattConnection): Promise<BatteryResult> {
  if (!hasCharacteristic(conn, SERVICE.battery, CHARACTERISTIC.batteryLevel)) return {};
  try {
    const decoded = decodeBatteryLevel(await conn.read(SERVICE.battery, CHARACTERISTIC.batteryLevel));
    return decoded.ok ? { percent: decoded.value.batteryLevel } : { error: decoded.reason };
  } catch (err) {
    // An unreadable battery level must not cost the measurements.
    return { error: (err as Error).message };
  }
}
