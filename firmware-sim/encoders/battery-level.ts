/** Battery Level 0x2A19 encoder (BAS 1.0 §3.1). */
import type { BatteryLevel } from '../../gateway/profiles/battery-level.js';

export function encodeBatteryLevel(b: BatteryLevel): Uint8Array {
  return Uint8Array.of(b.batteryLevel);
}
