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
 * in the next one, so a burst costs one fsync, not one per reading.
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
  /** Compact when the log holds this many acknowledged entries (and they outnumber the pending ones). */
  readonly compactAfter?: number;
  readonly onDrop?: (drop: OutboxDrop) => void;
  /** fsync after each group write. Only tests that measure the cost turn it off. */
  readonly fsync?: boolean;
}

interface Pending {
  readonly line: string;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class FileOutbox {
  private readonly pending = new Map<number, { line: string; measuredAt: string }>();
  private nextSeq = 1;
  private obsoleteLines = 0;
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private fh: FileHandle | undefined;
  private closed = false;
  private compactRequested = false;

  private constructor(private readonly options: OutboxOptions) {}

  static async open(options: OutboxOptions): Promise<FileOutbox> {
    const outbox = new FileOutbox(options);
    await outbox.load();
    return outbox;
  }

  private get path(): string {
    return join(this.options.dir, 'outbox.log');
  }

  private async load(): Promise<void> {
    await mkdir(this.options.dir, { recursive: true });
    let text = '';
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const lines = text.split('\n');
    for (const line of lines) {
      if (!line) continue;
      let record: { t?: string; s?: number | number[]; r?: Reading };
      try {
        record = JSON.parse(line) as typeof record;
      } catch {
        continue; // torn write at the tail: that append was never acknowledged to anyone
      }
      if (record.t === 'r' && typeof record.s === 'number' && record.r) {
        this.pending.set(record.s, { line: JSON.stringify(record.r), measuredAt: record.r.measuredAt });
        this.nextSeq = Math.max(this.nextSeq, record.s + 1);
      } else if ((record.t === 'a' || record.t === 'd') && Array.isArray(record.s)) {
        for (const s of record.s) if (this.pending.delete(s)) this.obsoleteLines++;
      }
    }
    // Start from a clean file holding only what is pending: drops any torn tail.
    await this.rewrite();
  }

  /** Unacknowledged readings. */
  get depth(): number {
    return this.pending.size;
  }

  oldestMeasuredAt(): string | undefined {
    const first = this.pending.values().next();
    return first.done ? undefined : first.value.measuredAt;
  }

  /** Durably appends readings; resolves once they are on disk. */
  async append(readings: readonly Reading[]): Promise<void> {
    if (readings.length === 0) return;
    const lines: string[] = [];
    for (const reading of readings) {
      const seq = this.nextSeq++;
      const json = JSON.stringify(reading);
      this.pending.set(seq, { line: json, measuredAt: reading.measuredAt });
      lines.push(`{"t":"r","s":${seq},"r":${json}}`);
    }
    const write = this.enqueue(lines.join('\n'));
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
    if (removed.length === 0) return;
    this.obsoleteLines += removed.length * 2;
    if (this.obsoleteLines >= (this.options.compactAfter ?? 5_000) && this.obsoleteLines > this.pending.size) {
      this.compactRequested = true;
    }
    await this.enqueue(`{"t":"a","s":[${removed.join(',')}]}`);
  }

  private enforceBound(): void {
    const max = this.options.maxEntries ?? 50_000;
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
    this.obsoleteLines += dropped.length * 2;
    void this.enqueue(`{"t":"d","s":[${dropped.join(',')}]}`).catch(() => undefined);
    this.options.onDrop?.({ count: dropped.length, ...(oldest && { oldestMeasuredAt: oldest }), ...(newest && { newestMeasuredAt: newest }) });
  }

  private enqueue(line: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error('outbox is closed'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ line, resolve, reject });
      this.flushing ??= this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const group = this.queue;
        this.queue = [];
        try {
          const fh = await this.handle();
          await fh.write(`${group.map((p) => p.line).join('\n')}\n`);
          if (this.options.fsync !== false) await fh.datasync();
          for (const p of group) p.resolve();
        } catch (err) {
          for (const p of group) p.reject(err);
        }
        // Compaction runs inside the single writer loop, so no append can land in the file being replaced.
        if (this.compactRequested) {
          this.compactRequested = false;
          await this.rewrite().catch(() => undefined);
        }
      }
    } finally {
      this.flushing = undefined;
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
      await fh.write(body);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await this.fh?.close();
    this.fh = undefined;
    await rename(tmp, this.path);
    const dir = await open(this.options.dir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
    this.obsoleteLines = 0;
  }

  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    this.closed = true;
    await this.fh?.close();
    this.fh = undefined;
  }
}
