/**
 * The spool's writer: appends encoded records to the active segment with write + fdatasync, and
 * group-commits — records that arrive while one write + fdatasync is under way are written together
 * by the next, so a burst of N messages costs a couple of fsyncs, not N. Starts a new segment file
 * when the active one is full (its directory entry fsynced before anything in it is acknowledged).
 */
import type { FileHandle } from 'node:fs/promises';
import type { Logger } from '../log.js';
import { RECORD_HEADER_BYTES } from './record-codec.js';
import { createSegment, openSegment } from './segment-files.js';
import type { SegmentSpan } from './spool-recovery.js';

export interface PendingRecord {
  readonly record: Buffer;
  readonly points: number;
  readonly appendedAtMs: number;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

export interface CommittedRecord {
  readonly offset: number;
  readonly end: number;
  readonly points: number;
  readonly appendedAtMs: number;
  /** The record's points, UTF-8 line protocol: a view into the record, not a copy. */
  readonly payload: Buffer;
}

export class GroupCommitWriter {
  private queue: PendingRecord[] = [];
  queuedBytes = 0;
  writing = false;
  commits = 0;
  appends = 0;
  /** Set when the file could not be repaired after a failed write: nothing more is taken. */
  failure: Error | undefined;

  constructor(
    private readonly dir: string,
    /** Shared with the spool: the last one is the active segment, its `end` the durable end. */
    private readonly segments: SegmentSpan[],
    private fh: FileHandle,
    private readonly segmentBytes: number,
    private readonly log: Logger,
    /** Called with the records just made durable, before their appends resolve. */
    private readonly onCommitted: (records: readonly CommittedRecord[], seconds: number) => void,
  ) {}

  static async open(dir: string, segments: SegmentSpan[], segmentBytes: number, log: Logger, onCommitted: (records: readonly CommittedRecord[], seconds: number) => void): Promise<GroupCommitWriter> {
    const fh = await openSegment(dir, segments.at(-1)!.base);
    return new GroupCommitWriter(dir, segments, fh, segmentBytes, log, onCommitted);
  }

  enqueue(pending: PendingRecord): void {
    this.queue.push(pending);
    this.queuedBytes += pending.record.length;
    if (this.writing) return;
    this.writing = true;
    this.writeLoop().catch((err: unknown) => this.log.error({ err }, 'spool: writer stopped'));
  }

  private async writeLoop(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue;
      this.queue = [];
      this.queuedBytes = 0;
      const body = group.length === 1 ? group[0]!.record : Buffer.concat(group.map((g) => g.record));
      let position = 0;
      const started = performance.now();
      try {
        await this.rollIfFull();
        const active = this.segments.at(-1)!;
        position = active.end - active.base;
        // O_DSYNC: durable when the write returns (segment-files.ts).
        const { bytesWritten } = await this.fh.write(body, 0, body.length, position);
        if (bytesWritten !== body.length) throw new Error(`spool: short write (${bytesWritten} of ${body.length} bytes)`);
      } catch (err) {
        for (const g of group) g.reject(err);
        await this.repair(position, err as Error);
        continue;
      }
      this.commits++;
      this.appends += group.length;
      const active = this.segments.at(-1)!;
      const committed: CommittedRecord[] = [];
      let offset = active.end;
      for (const g of group) {
        committed.push({ offset, end: offset + g.record.length, points: g.points, appendedAtMs: g.appendedAtMs, payload: g.record.subarray(RECORD_HEADER_BYTES) });
        offset += g.record.length;
      }
      active.end = offset;
      this.onCommitted(committed, (performance.now() - started) / 1000);
      for (const g of group) g.resolve();
    }
    this.writing = false;
  }

  private async repair(position: number, err: Error): Promise<void> {
    this.log.error({ err }, 'spool: write failed; the appends in it were refused (no PUBACK)');
    try {
      // Cut whatever the failed write left, so the next record follows the last good one.
      await this.fh.truncate(position);
      await this.fh.datasync();
    } catch (truncateErr) {
      this.failure = new Error(`spool unwritable: ${(truncateErr as Error).message}`);
      for (const g of this.queue) g.reject(this.failure);
      this.queue = [];
      this.queuedBytes = 0;
    }
  }

  private async rollIfFull(): Promise<void> {
    const active = this.segments.at(-1)!;
    if (active.end - active.base < this.segmentBytes) return;
    const next = await createSegment(this.dir, active.end);
    await this.fh.close();
    this.fh = next;
    this.segments.push({ base: active.end, end: active.end });
  }

  /** Waits for the writes under way, then closes the file. */
  async close(): Promise<void> {
    while (this.writing) await new Promise((r) => setImmediate(r));
    await this.fh.close();
  }
}
