/**
 * Reopening the spool after a stop or a crash (kill -9, power cut): find the segments, read the
 * confirmed offset, delete segments InfluxDB has fully confirmed, and scan what is left to count the
 * backlog. A torn tail of the last segment — a write the crash interrupted, never acknowledged,
 * since PUBACK follows the fsync — is cut off, so new appends follow the last complete record.
 */
import { mkdir, open } from 'node:fs/promises';
import type { Logger } from '../log.js';
import { decodeRecords } from './record-codec.js';
import { listSegments, readCheckpoint, removeSegment, segmentPath } from './segment-files.js';

export interface SegmentSpan {
  readonly base: number;
  /** Offset just past the last complete record of the segment. */
  end: number;
}

export interface RecoveredSpool {
  readonly segments: SegmentSpan[];
  readonly confirmedOffset: number;
  /** Points between the confirmed offset and the end: the backlog to drain. */
  readonly pendingPoints: number;
  readonly pendingBytes: number;
  readonly oldestAppendedAtMs: number | undefined;
  /** Bytes cut from the tail of the last segment (a torn write). */
  readonly truncatedBytes: number;
}

const SCAN_CHUNK_BYTES = 4 * 1024 * 1024;

interface ScanResult {
  readonly validBytes: number;
  readonly points: number;
  readonly oldest: number | undefined;
  readonly size: number;
}

/** Scans a segment from `fromPos` (a record boundary), counting points until the first incomplete or bad record. */
async function scanSegment(path: string, base: number, fromPos: number): Promise<ScanResult> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    let pos = fromPos;
    let points = 0;
    let oldest: number | undefined;
    let carry = Buffer.alloc(0);
    while (pos + carry.length < size) {
      const want = Math.min(SCAN_CHUNK_BYTES, size - pos - carry.length);
      const chunk = Buffer.allocUnsafe(want);
      const { bytesRead } = await fh.read(chunk, 0, want, pos + carry.length);
      if (bytesRead === 0) break;
      const buf = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      const decoded = decodeRecords(buf, base + pos);
      for (const r of decoded.records) {
        points += r.points;
        oldest ??= r.appendedAtMs;
      }
      pos += decoded.validBytes;
      if (decoded.stop === 'corrupt') return { validBytes: pos, points, oldest, size };
      carry = buf.subarray(decoded.validBytes);
    }
    return { validBytes: pos, points, oldest, size };
  } finally {
    await fh.close();
  }
}

export async function recoverSpool(dir: string, log: Logger): Promise<RecoveredSpool> {
  await mkdir(dir, { recursive: true });
  const bases = await listSegments(dir);
  const checkpoint = (await readCheckpoint(dir)) ?? bases[0] ?? 0;

  // Segments entirely below the checkpoint were confirmed; a crash may have left them undeleted.
  const live: number[] = [];
  for (let i = 0; i < bases.length; i++) {
    const base = bases[i]!;
    const next = bases[i + 1];
    if (next !== undefined && next <= checkpoint) await removeSegment(dir, base);
    else live.push(base);
  }

  const segments: SegmentSpan[] = [];
  let pendingPoints = 0;
  let pendingBytes = 0;
  let oldest: number | undefined;
  let truncatedBytes = 0;
  for (let i = 0; i < live.length; i++) {
    const base = live[i]!;
    const isLast = i === live.length - 1;
    const from = Math.max(0, checkpoint - base);
    const scan = await scanSegment(segmentPath(dir, base), base, from);
    if (scan.validBytes < scan.size) {
      if (isLast) {
        truncatedBytes = scan.size - scan.validBytes;
        const fh = await open(segmentPath(dir, base), 'r+');
        try {
          await fh.truncate(scan.validBytes);
          await fh.sync();
        } finally {
          await fh.close();
        }
        log.warn({ segment: base, truncatedBytes }, 'spool: cut a torn tail left by a crash (an unacknowledged write)');
      } else {
        // Not a crash artefact (older segments were complete when the next one began): disk damage.
        log.error({ segment: base, unreadableBytes: scan.size - scan.validBytes }, 'spool: segment damaged; skipping its unreadable rest');
      }
    }
    segments.push({ base, end: base + scan.validBytes });
    pendingPoints += scan.points;
    pendingBytes += Math.max(0, scan.validBytes - from);
    oldest ??= scan.oldest;
  }
  const confirmedOffset = segments.length > 0 ? Math.max(checkpoint, segments[0]!.base) : checkpoint;
  return { segments, confirmedOffset, pendingPoints, pendingBytes, oldestAppendedAtMs: oldest, truncatedBytes };
}
