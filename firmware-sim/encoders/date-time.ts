import type { LocalDateTime } from '../../gateway/profiles/date-time.js';
import type { ByteWriter } from './byte-writer.js';

/** Date Time (0x2A08), 7 octets: year u16, month, day, hours, minutes, seconds. */
export function writeDateTime(w: ByteWriter, t: LocalDateTime): ByteWriter {
  return w.u16(t.year).u8(t.month).u8(t.day).u8(t.hours).u8(t.minutes).u8(t.seconds);
}
