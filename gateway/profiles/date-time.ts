/**
 * Date Time (0x2A08), as embedded in measurement characteristics: year uint16, month, day, hours,
 * minutes, seconds (7 octets). The device's local wall-clock time, without a zone.
 */
import type { WallClock } from '../../contract/index.js';
import type { ByteReader } from './byte-reader.js';
import { InvalidPayload } from './result.js';

/** The same fields as the contract's wall clock, which converts it to an instant (contract/time-zone.ts). */
export type LocalDateTime = WallClock;

/** `YYYY-MM-DDTHH:mm:ss`, the device's own notation of the time (no zone). */
export function formatLocal(t: LocalDateTime): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(t.year, 4)}-${p(t.month)}-${p(t.day)}T${p(t.hours)}:${p(t.minutes)}:${p(t.seconds)}`;
}

/**
 * Reads a Date Time. GATT Specification Supplement §3.70: year 1582-9999 or 0 (unknown), month 1-12 or 0,
 * day 1-31 or 0; hours 0-23, minutes 0-59, seconds 0-59. Returns undefined when the device does not know
 * the date (a year, month or day of 0), which callers treat as "no time stamp".
 */
export function readDateTime(reader: ByteReader, field: string): LocalDateTime | undefined {
  const year = reader.u16(`${field}.year`);
  const month = reader.u8(`${field}.month`);
  const day = reader.u8(`${field}.day`);
  const hours = reader.u8(`${field}.hours`);
  const minutes = reader.u8(`${field}.minutes`);
  const seconds = reader.u8(`${field}.seconds`);
  if (year === 0 || month === 0 || day === 0) return undefined;
  if (year < 1582 || year > 9999) throw new InvalidPayload(`invalid ${field}: year ${year} outside 1582-9999`);
  if (month > 12) throw new InvalidPayload(`invalid ${field}: month ${month}`);
  if (day > 31) throw new InvalidPayload(`invalid ${field}: day ${day}`);
  if (hours > 23 || minutes > 59 || seconds > 59) {
    throw new InvalidPayload(`invalid ${field}: time ${hours}:${minutes}:${seconds}`);
  }
  return { year, month, day, hours, minutes, seconds };
}
