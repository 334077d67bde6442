/**
 * Reads records back from the segment files for the drainer, when they are no longer (or were never)
 * in the spool's memory: after a restart, and when a long InfluxDB outage made the backlog larger
 * than the memory budget. Reads only below the durable end, so it never sees a write in progress.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Logger } from '../log.js';
import { RECORD_HEADER_BYTES, decodeRecords, type DecodedRecord } from './record-codec.js';
import { segmentPath } from './segment-files.js';
import type { SegmentSpan } from './spool-recovery.js';

const FIRST_READ_BYTES = 1024 * 1024;

export interface ReadResult {
  readonly records: DecodedRecord[];
  /** Where the next read starts: past the records, or past unreadable bytes that were skipped. */
  readonly next: number;
}

export class SegmentReader {
  private open: { base: number; fh: FileHandle } | undefined;

  constructor(
    private readonly dir: string,
    private readonly segments: readonly SegmentSpan[],
    private readonly log: Logger,
  ) {}

  /** Records from `cursor` (a record boundary) up to `limit`, about `maxPoints` points. */
  async read(cursor: number, limit: number, maxPoints: number): Promise<ReadResult> {
    const segment = this.segments.find((s) => s.base <= cursor && cursor < s.end);
    if (!segment) {
      // The cursor sits at the end of a segment (or in a gap left by a damaged one): go to the next.
      const next = this.segments.find((s) => s.base >= cursor && s.end > s.base);
      return { records: [], next: next ? next.base : cursor };
    }
    const fh = await this.handle(segment.base);
    const end = Math.min(limit, segment.end);
    let want = Math.min(FIRST_READ_BYTES, end - cursor);
    for (;;) {
      const buf = Buffer.allocUnsafe(want);
      const { bytesRead } = await fh.read(buf, 0, want, cursor - segment.base);
      const decoded = decodeRecords(buf.subarray(0, bytesRead), cursor, maxPoints);
      if (decoded.records.length > 0) return { records: decoded.records, next: decoded.records.at(-1)!.end };
      if (decoded.stop === 'incomplete' && want < end - cursor) {
        // One record larger than the read: read enough for it.
        want = Math.min(end - cursor, Math.max(want * 2, RECORD_HEADER_BYTES + buf.readUInt32LE(0)));
        continue;
      }
      // Unreadable bytes below the durable end: only disk damage does this. Skip the segment's rest.
      this.log.error({ segment: segment.base, offset: cursor }, 'spool: unreadable record; skipping the rest of the segment');
      return { records: [], next: segment.end };
    }
  }

  private async handle(base: number): Promise<FileHandle> {
    if (this.open?.base === base) return this.open.fh;
    await this.close();
    const fh = await open(segmentPath(this.dir, base), 'r');
    this.open = { base, fh };
    return fh;
  }

  /** Closes the file of a segment about to be deleted, or all on shutdown. */
  async close(base?: number): Promise<void> {
    if (!this.open || (base !== undefined && this.open.base !== base)) return;
    const { fh } = this.open;
    this.open = undefined;
    await fh.close();
  }
}
