/**
 * The gateway's durable outbox. Every decoded reading is appended here (and fsynced) before it is
 * published, and removed only after the broker's PUBACK, so power loss or a week without network
 * loses nothing. It is bounded: past the limit the oldest readings are dropped and reported.
 *
 * On disk it is an append-only log of JSON lines: `{"t":"r","s":seq,"r":reading}` adds a reading,
 * `{"t":"a","s":[seq,...]}` acknowledges, `{"t":"d","s":[...]}` records a drop. A torn last line
 * (power cut mid-write) is ignored on open. The log is compacted when mostly acknowledged.
 *
 * Group commit: appends and acks that arrive while a write+fsync is under way are written together
 * in the next one, so a burst costs one fsync, not one per reading. A group of acknowledgements only
 * is written without fsync: losing one costs a harmless re-send of a reading the hub already has
 * (same id, same InfluxDB point), never a reading.
 *
 * Sizing (docs/gateway.md): a reading line is about 600 bytes; a typical home makes about 30
 * readings a day, so 30 days offline is about 900 entries, 0.5 MB. The default bound, 50,000 entries
 * (about 30 MB on disk and in memory), leaves room for a continuously worn heart-rate strap sampled
 * once a minute (1,440 a day) for the same month.
 */
import { open, rename, mkdir, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Reading } from '../../contract/index.js';

export interface OutboxEntry {
  readonly seq: number;
  readonly reading: Reading;
}

export interface OutboxDrop {
  readonly count: number;
  readonly oldestMeasuredAt?: string;
  readonly newestMeasuredAt?: string;
}

export interface OutboxOptions {
  readonly dir: string;
  /** At most this many unacknowledged readings; the oldest are dropped beyond it. */
  readonly maxEntries?: number;
  /** Compact when the log holds this many obsolete lines (and they outnumber the pending entries). */
  readonly compactAfter?: number;
  readonly onDrop?: (drop: OutboxDrop) => void;
  /** fsync after each group write. Only benchmarks that measure the cost turn it off. */
  readonly fsync?: boolean;
}

export interface OutboxStats {
  readonly groupWrites: number;
  readonly fsyncs: number;
  readonly compactions: number;
  /** Lines on open that could not be parsed (a torn tail, or damage) and were skipped. */
  readonly skippedLinesOnOpen: number;
}

export const DEFAULT_OUTBOX_MAX_ENTRIES = 50_000;

interface Queued {
  readonly line: string;
  /** Must be on disk before the promise resolves (reading lines); acks and drops need not be. */
  readonly durable: boolean;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class FileOutbox {
  private readonly pending = new Map<number, { line: string; measuredAt: string }>();
  private nextSeq = 1;
  private obsoleteLines = 0;
  private queue: Queued[] = [];
  private flushing: Promise<void> | undefined;
  private fh: FileHandle | undefined;
  private closed = false;
  private compactRequested = false;
  /** A write failed part-way: the file may end in a partial line, so rewrite it from memory first. */
  private damaged = false;
  private readonly counters = { groupWrites: 0, fsyncs: 0, compactions: 0, skippedLinesOnOpen: 0 };

  private constructor(private readonly options: OutboxOptions) {}

  static async open(options: OutboxOptions): Promise<FileOutbox> {
    const outbox = new FileOutbox(options);
    await outbox.load();
    return outbox;
  }

  get path(): string {
    return join(this.options.dir, 'outbox.log');
  }

  get stats(): OutboxStats {
    return { ...this.counters };
  }

  private async load(): Promise<void> {
    await mkdir(this.options.dir, { recursive: true });
    let text = '';
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    for (const line of text.split('\n')) {
      if (!line) continue;
      let record: { t?: string; s?: number | number[]; r?: Reading };
      try {
        record = JSON.parse(line) as typeof record;
      } catch {
        // A torn write at the tail: that append never resolved, so nobody was told it was stored.
        this.counters.skippedLinesOnOpen++;
        continue;
      }
      if (record.t === 'r' && typeof record.s === 'number' && record.r && typeof record.r.measuredAt === 'string') {
        this.pending.set(record.s, { line: JSON.stringify(record.r), measuredAt: record.r.measuredAt });
        this.nextSeq = Math.max(this.nextSeq, record.s + 1);
      } else if ((record.t === 'a' || record.t === 'd') && Array.isArray(record.s)) {
        for (const s of record.s) this.pending.delete(s);
      } else {
        this.counters.skippedLinesOnOpen++;
      }
    }
    // Start from a clean file holding only what is pending: drops a torn tail and old acks.
    await this.rewrite();
  }

  /** Unacknowledged readings. */
  get depth(): number {
    return this.pending.size;
  }

  /** Measurement time of the oldest entry still waiting (by arrival). */
  oldestMeasuredAt(): string | undefined {
    const first = this.pending.values().next();
    return first.done ? undefined : first.value.measuredAt;
  }

  /** Durably appends readings; resolves once they are on disk (fsynced). */
  async append(readings: readonly Reading[]): Promise<void> {
    if (readings.length === 0) return;
    if (this.closed) throw new Error('outbox is closed');
    const lines: string[] = [];
    for (const reading of readings) {
      const seq = this.nextSeq++;
      const json = JSON.stringify(reading);
      this.pending.set(seq, { line: json, measuredAt: reading.measuredAt });
      lines.push(`{"t":"r","s":${seq},"r":${json}}`);
    }
    const write = this.enqueue(lines.join('\n'), true);
    this.enforceBound();
    await write;
  }

  /** Oldest unacknowledged entries first. */
  peek(max: number): OutboxEntry[] {
    const out: OutboxEntry[] = [];
    for (const [seq, { line }] of this.pending) {
      if (out.length >= max) break;
      out.push({ seq, reading: JSON.parse(line) as Reading });
    }
    return out;
  }

  /** Removes entries the broker acknowledged. */
  async ack(seqs: readonly number[]): Promise<void> {
    const removed = seqs.filter((s) => this.pending.delete(s));
    if (removed.length === 0 || this.closed) return;
    this.noteObsolete(removed.length);
    await this.enqueue(`{"t":"a","s":[${removed.join(',')}]}`, false);
  }

  private noteObsolete(entries: number): void {
    // Each acknowledged or dropped entry leaves two dead lines: its reading and its ack/drop.
    this.obsoleteLines += entries * 2;
    if (this.obsoleteLines >= (this.options.compactAfter ?? 5_000) && this.obsoleteLines > this.pending.size) {
      this.compactRequested = true;
    }
  }

  private enforceBound(): void {
    const max = this.options.maxEntries ?? DEFAULT_OUTBOX_MAX_ENTRIES;
    if (this.pending.size <= max) return;
    const dropped: number[] = [];
    let oldest: string | undefined;
    let newest: string | undefined;
    for (const [seq, entry] of this.pending) {
      if (this.pending.size - dropped.length <= max) break;
      dropped.push(seq);
      oldest ??= entry.measuredAt;
      newest = entry.measuredAt;
    }
    for (const s of dropped) this.pending.delete(s);
    this.noteObsolete(dropped.length);
    // The drop line follows the reading lines it refers to in the same group or a later one.
    this.enqueue(`{"t":"d","s":[${dropped.join(',')}]}`, false).catch(() => undefined);
    this.options.onDrop?.({ count: dropped.length, ...(oldest && { oldestMeasuredAt: oldest }), ...(newest && { newestMeasuredAt: newest }) });
  }

  private enqueue(line: string, durable: boolean): Promise<void> {
    if (this.closed) return Promise.reject(new Error('outbox is closed'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ line, durable, resolve, reject });
      this.flushing ??= this.flushLoop();
    });
  }

  /** The single writer: one group write (+ fsync) at a time; whatever queued meanwhile forms the next group. */
  private async flushLoop(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const group = this.queue;
        this.queue = [];
        try {
          if (this.damaged) {
            // The file may end in a partial line that would swallow the next record: rewrite it
            // from memory, which holds every pending entry including this group's.
            await this.rewrite();
            this.damaged = false;
          } else {
            await this.writeAll(Buffer.from(`${group.map((p) => p.line).join('\n')}\n`, 'utf8'));
            if (this.options.fsync !== false && group.some((p) => p.durable)) {
              await (await this.handle()).datasync();
              this.counters.fsyncs++;
            }
          }
          this.counters.groupWrites++;
          for (const p of group) p.resolve();
        } catch (err) {
          this.damaged = true;
          for (const p of group) p.reject(err);
        }
        // Compaction runs inside the single writer loop, so no append can land in the file being replaced.
        if (this.compactRequested && !this.damaged) {
          this.compactRequested = false;
          await this.rewrite().catch(() => {
            this.damaged = true;
          });
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }

  private async writeAll(buffer: Buffer): Promise<void> {
    const fh = await this.handle();
    let offset = 0;
    // A regular file takes the whole buffer in one write(2) unless the disk is full; loop anyway.
    while (offset < buffer.length) {
      const { bytesWritten } = await fh.write(buffer, offset, buffer.length - offset);
      if (bytesWritten === 0) throw new Error('outbox write made no progress');
      offset += bytesWritten;
    }
  }

  private async handle(): Promise<FileHandle> {
    this.fh ??= await open(this.path, 'a');
    return this.fh;
  }

  /** Rewrites the log with only the pending entries (write a temp file, fsync, rename, fsync dir). */
  private async rewrite(): Promise<void> {
    const tmp = `${this.path}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      const body = [...this.pending].map(([seq, { line }]) => `{"t":"r","s":${seq},"r":${line}}\n`).join('');
      await fh.writeFile(body, 'utf8');
      if (this.options.fsync !== false) await fh.sync();
    } finally {
      await fh.close();
    }
    await this.fh?.close();
    this.fh = undefined;
    await rename(tmp, this.path);
    if (this.options.fsync !== false) {
      // The rename is durable only once the directory entry is.
      const dir = await open(this.options.dir, 'r');
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    }
    this.obsoleteLines = 0;
    this.counters.compactions++;
  }

  /** Waits for queued writes, then closes the file. Later appends reject. */
  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    this.closed = true;
    await this.fh?.close();
    this.fh = undefined;
  }
}
