/**
 * The hub's durable spool: an append-only log of line-protocol points between ingest and InfluxDB.
 * `append` resolves once the points are on disk (write + fdatasync), and that is when the broker
 * sends PUBACK; the drainer (drainer.ts) then moves them to InfluxDB in order and calls `confirm`,
 * and only confirmed records are ever deleted. Format and policy: docs/ingestion.md.
 *
 * Group commit: appends that arrive while a write+fsync is under way are written together by the
 * next one, so a burst costs one fsync, not one per message.
 *
 * Recent records are also kept in memory (up to `memoryBytes`), so at live rates the drainer sends
 * them without reading the file back; a backlog larger than that is read back from the segments.
 */
import type { Logger } from '../log.js';
import { GroupCommitWriter, type CommittedRecord } from './group-commit-writer.js';
import { areSinglePointLines, encodeRecord } from './record-codec.js';
import { createSegment, removeSegment, writeCheckpoint } from './segment-files.js';
import { SegmentReader } from './segment-reader.js';
import { recoverSpool, type SegmentSpan } from './spool-recovery.js';

export interface SpoolOptions {
  readonly dir: string;
  readonly log: Logger;
  /** Start a new segment file once the current one is this big. */
  readonly segmentBytes?: number;
  /** Refuse appends while the backlog is this big (backpressure: the gateways keep their readings). */
  readonly maxBytes?: number;
  /** Budget for records kept in memory for the drainer. */
  readonly memoryBytes?: number;
  /** How often, at most, the confirmed offset is persisted (a lagging checkpoint only means re-sends after a crash). */
  readonly checkpointEveryMs?: number;
  readonly now?: () => number;
  /** Told how long each write + fdatasync took (a slow disk shows here first). */
  readonly onCommit?: (seconds: number, appends: number) => void;
}

/** A run of consecutive records, handed to the drainer. */
export interface SpoolBatch {
  readonly start: number;
  readonly end: number;
  readonly points: number;
  /** The records' points, one per line, UTF-8. Empty for a skipped damaged stretch. */
  readonly payload: Buffer;
}

export interface SpoolStats {
  readonly pendingPoints: number;
  readonly pendingBytes: number;
  /** Age of the oldest unconfirmed record (to the granularity of a batch), 0 when empty. */
  readonly oldestAgeSeconds: number;
  readonly segments: number;
  readonly writable: boolean;
  /** Write + fdatasync rounds so far; with group commit, far fewer than appends under load. */
  readonly commits: number;
  readonly appends: number;
}

const EMPTY = Buffer.alloc(0);
const NEWLINE = 0x0a;

/** The records' payloads as one body, '\n' between them: one copy, no string in between. */
function joinLines(records: readonly { payload: Buffer }[]): Buffer {
  if (records.length === 1) return records[0]!.payload;
  let bytes = records.length - 1;
  for (const r of records) bytes += r.payload.length;
  const body = Buffer.allocUnsafe(bytes);
  let at = 0;
  for (const r of records) {
    if (at > 0) body[at++] = NEWLINE;
    at += r.payload.copy(body, at);
  }
  return body;
}

export class SpoolFullError extends Error {
  constructor(pendingBytes: number, maxBytes: number) {
    super(`spool full: ${pendingBytes} bytes wait for InfluxDB (SPOOL_MAX_BYTES=${maxBytes}); withholding PUBACK so gateways keep their readings`);
    this.name = 'SpoolFullError';
  }
}

export class Spool {
  private writer!: GroupCommitWriter;
  private closed = false;
  private readonly tail: CommittedRecord[] = [];
  private tailBytes = 0;
  private tailSkipping = false;
  private readCursor: number;
  private reading = false;
  /** Points handed to the drainer and not yet confirmed. */
  private handedOutPoints = 0;
  /** First append time of each batch handed out and not yet confirmed, in order. */
  private readonly outstanding: { end: number; firstAtMs: number }[] = [];
  private unreadHeadAtMs: number | undefined;
  private checkpointTimer: NodeJS.Timeout | undefined;
  private checkpointChain: Promise<void> = Promise.resolve();
  private persistedOffset: number;
  private readonly listeners = new Set<() => void>();
  private readonly maxBytes: number;
  private readonly memoryBytes: number;
  private readonly now: () => number;

  private constructor(
    private readonly options: SpoolOptions,
    private readonly segments: SegmentSpan[],
    private confirmedOffset: number,
    private pendingPoints: number,
    oldestAtMs: number | undefined,
    private readonly reader: SegmentReader,
  ) {
    this.readCursor = confirmedOffset;
    this.persistedOffset = confirmedOffset;
    this.unreadHeadAtMs = oldestAtMs;
    this.maxBytes = options.maxBytes ?? 8 * 1024 * 1024 * 1024;
    this.memoryBytes = options.memoryBytes ?? 16 * 1024 * 1024;
    this.now = options.now ?? Date.now;
  }

  /** Opens (or creates) the spool in `dir`, recovering from a crash: see spool-recovery.ts. */
  static async open(options: SpoolOptions): Promise<Spool> {
    const recovered = await recoverSpool(options.dir, options.log);
    const segments = recovered.segments;
    if (segments.length === 0) {
      await (await createSegment(options.dir, recovered.confirmedOffset)).close();
      segments.push({ base: recovered.confirmedOffset, end: recovered.confirmedOffset });
    }
    const reader = new SegmentReader(options.dir, segments, options.log);
    if (recovered.pendingPoints > 0) {
      options.log.info({ points: recovered.pendingPoints, bytes: recovered.pendingBytes }, 'spool: reopened with a backlog to drain');
    }
    const spool = new Spool(options, segments, recovered.confirmedOffset, recovered.pendingPoints, recovered.oldestAppendedAtMs, reader);
    spool.writer = await GroupCommitWriter.open(options.dir, segments, options.segmentBytes ?? 64 * 1024 * 1024, options.log, (records, seconds) => {
      spool.committed(records);
      options.onCommit?.(seconds, records.length);
    });
    return spool;
  }

  private get durableEnd(): number {
    return this.segments.at(-1)!.end;
  }

  /** Appends points (one line of line protocol each); resolves once they are on disk (group commit: group-commit-writer.ts). */
  append(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return Promise.resolve();
    if (this.closed) return Promise.reject(new Error('spool is closed'));
    if (this.writer.failure) return Promise.reject(this.writer.failure);
    const pendingBytes = this.durableEnd - this.confirmedOffset + this.writer.queuedBytes;
    if (pendingBytes > this.maxBytes) return Promise.reject(new SpoolFullError(pendingBytes, this.maxBytes));
    const payload = lines.join('\n');
    if (!areSinglePointLines(lines, payload)) return Promise.reject(new Error('a spooled point must be one non-empty line of line protocol'));
    const appendedAtMs = this.now();
    const record = encodeRecord(payload, lines.length, appendedAtMs);
    return new Promise<void>((resolve, reject) => this.writer.enqueue({ record, points: lines.length, appendedAtMs, resolve, reject }));
  }

  /** Records are durable: account for them and keep them in memory for the drainer if there is room. */
  private committed(records: readonly CommittedRecord[]): void {
    for (const r of records) {
      this.pendingPoints += r.points;
      if (this.tail.length === 0) this.tailSkipping = false;
      if (!this.tailSkipping && this.tailBytes + r.payload.length <= this.memoryBytes) {
        this.tail.push(r);
        this.tailBytes += r.payload.length;
      } else {
        // Keep the tail contiguous: once one record is left out, the rest is read from disk.
        this.tailSkipping = true;
      }
      if (r.offset === this.readCursor && this.unreadHeadAtMs === undefined) this.unreadHeadAtMs = r.appendedAtMs;
    }
    for (const listener of this.listeners) listener();
  }

  /** Called after each durable append. Returns an unsubscribe function. */
  onData(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The next records in order, about `maxPoints` points; undefined when all were handed out. Not re-entrant. */
  async nextBatch(maxPoints: number): Promise<SpoolBatch | undefined> {
    if (this.reading) throw new Error('spool.nextBatch is not re-entrant');
    if (this.readCursor >= this.durableEnd) return undefined;
    this.reading = true;
    try {
      const start = this.readCursor;
      let records: readonly { end: number; points: number; appendedAtMs: number; payload: Buffer }[];
      if (this.tail[0]?.offset === start) {
        let n = 0;
        let points = 0;
        while (n < this.tail.length && (n === 0 || points + this.tail[n]!.points <= maxPoints)) points += this.tail[n++]!.points;
        records = this.tail.splice(0, n);
        for (const r of records) this.tailBytes -= r.payload.length;
      } else {
        const read = await this.reader.read(start, this.tail[0]?.offset ?? this.durableEnd, maxPoints);
        records = read.records;
        if (records.length === 0) {
          this.readCursor = read.next;
          return { start, end: read.next, points: 0, payload: EMPTY };
        }
      }
      const end = records.at(-1)!.end;
      this.readCursor = end;
      this.outstanding.push({ end, firstAtMs: this.unreadHeadAtMs ?? records[0]!.appendedAtMs });
      // The next unread record is newer than the last one handed out; its exact time is read with it.
      const head = this.tail[0];
      this.unreadHeadAtMs = end >= this.durableEnd ? undefined : head?.offset === end ? head.appendedAtMs : records.at(-1)!.appendedAtMs;
      let points = 0;
      for (const r of records) points += r.points;
      this.handedOutPoints += points;
      return { start, end, points, payload: joinLines(records) };
    } finally {
      this.reading = false;
    }
  }

  /** InfluxDB (or the dead-letter store) has everything up to `end`; `points` of them. In order. */
  confirm(end: number, points: number): void {
    if (end <= this.confirmedOffset) return;
    this.confirmedOffset = end;
    this.pendingPoints -= points;
    this.handedOutPoints -= points;
    while (this.outstanding.length > 0 && this.outstanding[0]!.end <= end) this.outstanding.shift();
    if (!this.checkpointTimer && !this.closed) {
      this.checkpointTimer = setTimeout(() => {
        this.checkpointTimer = undefined;
        void this.persistCheckpoint();
      }, this.options.checkpointEveryMs ?? 200);
      this.checkpointTimer.unref();
    }
  }

  /** Writes the confirmed offset and deletes the segments it covers. Serialised; errors are logged (the old checkpoint stays valid). */
  persistCheckpoint(): Promise<void> {
    this.checkpointChain = this.checkpointChain.then(async () => {
      const offset = this.confirmedOffset;
      if (offset === this.persistedOffset) return;
      try {
        await writeCheckpoint(this.options.dir, offset);
        this.persistedOffset = offset;
        while (this.segments.length > 1 && this.segments[0]!.end <= offset) {
          const { base } = this.segments.shift()!;
          await this.reader.close(base);
          await removeSegment(this.options.dir, base);
        }
      } catch (err) {
        this.options.log.error({ err }, 'spool: checkpoint not written; will retry');
      }
    });
    return this.checkpointChain;
  }

  stats(): SpoolStats {
    const oldest = this.outstanding[0]?.firstAtMs ?? this.unreadHeadAtMs;
    return {
      pendingPoints: this.pendingPoints,
      pendingBytes: this.durableEnd - this.confirmedOffset,
      oldestAgeSeconds: oldest === undefined || this.pendingPoints === 0 ? 0 : Math.max(0, (this.now() - oldest) / 1000),
      segments: this.segments.length,
      writable: !this.closed && this.writer.failure === undefined,
      commits: this.writer.commits,
      appends: this.writer.appends,
    };
  }

  /** Points durable in the spool and not yet handed to the drainer. */
  get unsentPoints(): number {
    return this.pendingPoints - this.handedOutPoints;
  }

  /** True when InfluxDB has confirmed everything appended. */
  get drained(): boolean {
    return this.confirmedOffset >= this.durableEnd && this.writer.queuedBytes === 0 && !this.writer.writing;
  }

  /** Stops taking appends, waits for the writes under way, persists the checkpoint, closes the files. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writer.close();
    clearTimeout(this.checkpointTimer);
    this.checkpointTimer = undefined;
    await this.persistCheckpoint();
    await this.reader.close();
  }
}
