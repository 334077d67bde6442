/**
 * The spool's on-disk record, pure. One record holds the points of one acknowledged append (usually
 * one MQTT message), as InfluxDB line protocol, one point per line:
 *
 *   offset  size  field
 *   0       4     payload length in bytes (u32 LE)
 *   4       4     number of points (u32 LE)
 *   8       8     append time, ms since the epoch (f64 LE) — for the "age of the oldest entry" metric
 *   16      4     CRC-32 (ISO-HDLC, as zlib) of bytes 0..15 and the payload (u32 LE)
 *   20      n     payload: UTF-8 line protocol, points separated by '\n', no trailing newline
 *
 * The CRC makes a torn tail (a crash in the middle of a write, or a file extended with zeros by the
 * file system) recognisable: decoding stops at the first record that is incomplete or fails its CRC.
 */
import { crc32 } from 'node:zlib';

export const RECORD_HEADER_BYTES = 20;
/** Larger lengths can only be garbage: no append is anywhere near this big (an MQTT packet is at most 1 MiB here). */
export const MAX_RECORD_PAYLOAD_BYTES = 64 * 1024 * 1024;

export interface DecodedRecord {
  /** Byte offset of the record in the spool's logical stream. */
  readonly offset: number;
  /** Offset just past the record: where the next one starts. */
  readonly end: number;
  readonly points: number;
  readonly appendedAtMs: number;
  /** The points as UTF-8 line protocol (a view into the decoded buffer). */
  readonly payload: Buffer;
}

export interface DecodeResult {
  readonly records: DecodedRecord[];
  /** Bytes of `buf` taken by complete, valid records. */
  readonly validBytes: number;
  /**
   * Why decoding stopped before the end of `buf`: `incomplete` (a record runs past the buffer: read
   * more, or it is a torn tail) or `corrupt` (bad length or CRC). Undefined when all of `buf` was used.
   */
  readonly stop?: 'incomplete' | 'corrupt';
}

/**
 * Line protocol separates points by newlines, so a point may not contain one (nor be empty).
 * `joined` is `lines.join('\n')`: it then has exactly lines.length - 1 newlines (one scan of the
 * whole text rather than one per line: this runs for every message).
 */
export function areSinglePointLines(lines: readonly string[], joined = lines.join('\n')): boolean {
  if (lines.length === 0) return true; // no points, none malformed (the count below would expect -1 newlines)
  for (const line of lines) if (line.length === 0) return false;
  let newlines = 0;
  for (let i = joined.indexOf('\n'); i !== -1; i = joined.indexOf('\n', i + 1)) newlines++;
  return newlines === lines.length - 1;
}

export function encodeRecord(payload: string, points: number, appendedAtMs: number): Buffer {
  const length = Buffer.byteLength(payload, 'utf8');
  const record = Buffer.allocUnsafe(RECORD_HEADER_BYTES + length);
  record.writeUInt32LE(length, 0);
  record.writeUInt32LE(points, 4);
  record.writeDoubleLE(appendedAtMs, 8);
  record.write(payload, RECORD_HEADER_BYTES, 'utf8');
  record.writeUInt32LE(checksum(record, length), 16);
  return record;
}

function checksum(record: Buffer, payloadBytes: number): number {
  const head = crc32(record.subarray(0, 16));
  return crc32(record.subarray(RECORD_HEADER_BYTES, RECORD_HEADER_BYTES + payloadBytes), head);
}

/**
 * Decodes the records in `buf`, which starts at logical offset `baseOffset`, stopping before the
 * record that would take the count over `maxPoints` (the first complete record is always returned).
 */
export function decodeRecords(buf: Buffer, baseOffset: number, maxPoints = Number.POSITIVE_INFINITY): DecodeResult {
  const records: DecodedRecord[] = [];
  let pos = 0;
  let points = 0;
  while (pos < buf.length) {
    if (buf.length - pos < RECORD_HEADER_BYTES) return { records, validBytes: pos, stop: 'incomplete' };
    const length = buf.readUInt32LE(pos);
    const count = buf.readUInt32LE(pos + 4);
    if (length > MAX_RECORD_PAYLOAD_BYTES || count === 0) return { records, validBytes: pos, stop: 'corrupt' };
    if (records.length > 0 && points + count > maxPoints) return { records, validBytes: pos };
    const end = pos + RECORD_HEADER_BYTES + length;
    if (end > buf.length) return { records, validBytes: pos, stop: 'incomplete' };
    const record = buf.subarray(pos, end);
    if (checksum(record, length) !== buf.readUInt32LE(pos + 16)) return { records, validBytes: pos, stop: 'corrupt' };
    records.push({
      offset: baseOffset + pos,
      end: baseOffset + end,
      points: count,
      appendedAtMs: buf.readDoubleLE(pos + 8),
      payload: record.subarray(RECORD_HEADER_BYTES),
    });
    points += count;
    pos = end;
  }
  return { records, validBytes: pos };
}
