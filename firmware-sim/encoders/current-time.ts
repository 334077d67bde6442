/**
 * The simulated device's clock behind Current Time 0x2A2B (CTS 1.1 §3.1), 10 octets (GATT
 * Specification Supplement "Current Time"): Date Time (year u16, month, day, hours, minutes,
 * seconds) | Day of Week u8 | Fractions256 u8 | Adjust Reason u8. Device clocks keep local wall-clock
 * time. Written here rather than borrowed from the gateway, whose encoder is what writes to it.
 */
import { wallClock, wallClockToUtc } from '../../contract/time-zone.js';
import { ByteWriter } from './byte-writer.js';
import { writeDateTime } from './date-time.js';

/** The 10 octets a clock showing `instant` in `timeZone` reads as (Adjust Reason: none). */
export function encodeDeviceClock(instant: Date, timeZone: string): Uint8Array {
  const local = wallClock(instant, timeZone);
  const weekday = new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay(); // 0 = Sunday
  const w = new ByteWriter();
  writeDateTime(w, local);
  // Day of Week: 1 = Monday ... 7 = Sunday (0 = unknown). Fractions256: 1/256 s.
  return w
    .u8(weekday === 0 ? 7 : weekday)
    .u8(Math.floor((instant.getTime() % 1000) * 0.256))
    .u8(0)
    .toBytes();
}

/**
 * The instant a write to Current Time sets the clock to, or undefined when the device must refuse it
 * (CTS 1.1 §3.1.2: wrong length, or a date or time out of range).
 */
export function instantOfClockWrite(value: Uint8Array, timeZone: string): Date | undefined {
  if (value.length !== 10) return undefined;
  const local = { year: value[0]! | (value[1]! << 8), month: value[2]!, day: value[3]!, hours: value[4]!, minutes: value[5]!, seconds: value[6]! };
  const valid =
    local.year >= 1582 &&
    local.year <= 9999 &&
    local.month >= 1 &&
    local.month <= 12 &&
    local.day >= 1 &&
    local.day <= new Date(Date.UTC(local.year, local.month, 0)).getUTCDate() &&
    local.hours <= 23 &&
    local.minutes <= 59 &&
    local.seconds <= 59;
  if (!valid) return undefined;
  return new Date(wallClockToUtc(local, timeZone).getTime() + (value[8]! * 1000) / 256);
}
