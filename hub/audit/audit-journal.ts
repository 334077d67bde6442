/**
 * The audit trail's durable local journal: every entry is appended here, and made durable, before
 * the request it records is answered; the trail then drains it into the SQL store. So an entry can
 * be lost neither when the store is down at shutdown nor when the process is killed (-9 included):
 * what a process leaves in the journal, the next one writes to the store.
 *
 * Files, in `dir` (owner-only, they hold patient ids): segments named by a sequence number
 * (`00000000000000000007.jnl`). A segment is a run of records in the spool's framing
 * (hub/spool/record-codec.ts: length, count, time, CRC-32, so a torn tail after a crash is
 * recognised and cut), each record one group commit: the group's entries as JSON, one a line.
 * Writes use O_DSYNC like the spool's (durable when the write returns), and entries arriving while
 * one write is under way go together in the next, so a burst costs a couple of syncs, not one each.
 *
 * Truncation: the journal keeps, per segment, the ids of the entries not yet settled (in the
 * store, or durably dead-lettered); ids rather than a count, so that settling one entry twice (once
 * from memory, once read back) cannot free a segment early. A segment that is no longer the one appended to and has none left is
 * deleted; the active one is replaced when it reaches `segmentBytes`. Each process starts a new
 * active segment, so what an earlier process left is read back once (`readBacklog`) and never
 * appended to. A crash between a store commit and a deletion replays entries the store already has;
 * entries keep their ids (ULIDs made before journalling), and the store skips ids it holds.
 *
 * The same id may appear twice: an entry rewritten as unserved when its request gave up waiting
 * (audit-trail.ts). Reading back keeps the last version.
 */
import { constants } from 'node:fs';
import { mkdir, open, readdir, readFile, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeRecords, encodeRecord } from '../spool/record-codec.js';
import { fsyncDir } from '../spool/segment-files.js';
import type { AuditEntry } from './audit-entry.js';

const SEGMENT = /^(\d{20})\.jnl$/;
const segmentName = (seq: number) => `${String(seq).padStart(20, '0')}.jnl`;
/** A segment an earlier process left (or the trail spilled past its memory), not read back yet. */
const UNREAD = 'unread';
type Outstanding = Set<string> | typeof UNREAD;

export interface JournalLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface AuditJournalOptions {
  /** Size at which the active segment is replaced by a new one (default 4 MiB). */
  readonly segmentBytes?: number;
  readonly log?: JournalLog;
}

/** An entry read back from the journal, with the segment that holds it (for `settle`). */
export interface JournalledEntry {
  readonly entry: AuditEntry;
  readonly segment: number;
}

interface Waiting {
  readonly payload: string;
  readonly ids: readonly string[];
  resolve(segment: number): void;
  reject(err: Error): void;
}

export class AuditJournal {
  private queue: Waiting[] = [];
  private writing = false;
  /** Ids of the entries not yet settled, per segment. */
  private readonly outstanding = new Map<number, Outstanding>();
  private readonly sizes = new Map<number, number>();
  private deleting: Promise<void> = Promise.resolve();
  private lock: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly dir: string,
    private fh: FileHandle,
    private active: number,
    private readonly segmentBytes: number,
    private readonly log: JournalLog | undefined,
  ) {}

  /** Opens the journal in `dir` (created owner-only if missing) and starts a new active segment. */
  static async open(dir: string, options: AuditJournalOptions = {}): Promise<AuditJournal> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const left = await listSegments(dir);
    const active = (left.at(-1) ?? 0) + 1;
    const fh = await createSegment(dir, active);
    const journal = new AuditJournal(dir, fh, active, options.segmentBytes ?? 4 * 1024 * 1024, options.log);
    for (const seq of left) {
      journal.outstanding.set(seq, UNREAD);
      journal.sizes.set(seq, await fileSize(join(dir, segmentName(seq))));
    }
    journal.outstanding.set(active, new Set());
    journal.sizes.set(active, 0);
    if (left.length > 0) options.log?.warn({ segments: left.length }, 'audit journal: entries left by an earlier process; writing them to the store');
    return journal;
  }

  /** Entries journalled and not yet settled (segments not read back yet count 0: unknown). */
  get backlog(): number {
    let n = 0;
    for (const ids of this.outstanding.values()) if (ids !== UNREAD) n += ids.size;
    return n;
  }

  /** Bytes of the journal's files (settled segments are deleted). */
  get bytes(): number {
    let n = 0;
    for (const size of this.sizes.values()) n += size;
    return n;
  }

  /** True while segments left by an earlier process (or spilled past memory) wait to be read back. */
  get hasUnread(): boolean {
    for (const ids of this.outstanding.values()) if (ids === UNREAD) return true;
    return false;
  }

  /**
   * Appends entries; resolves with the segment holding them once they are durable. The caller
   * settles them (`settle`) once they are in the store or dead-lettered.
   */
  append(entries: readonly AuditEntry[]): Promise<number> {
    if (entries.length === 0) return Promise.resolve(this.active);
    if (this.closed) return Promise.reject(new Error('audit journal closed'));
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ payload: entries.map((e) => JSON.stringify(e)).join('\n'), ids: entries.map((e) => e.id), resolve, reject });
      if (!this.writing) {
        this.writing = true;
        void this.writeLoop();
      }
    });
  }

  /** These entries of `segment` are in the store (or dead-lettered): its file goes once all are. */
  settle(segment: number, ids: readonly string[]): void {
    const left = this.outstanding.get(segment);
    if (left === undefined || left === UNREAD) return;
    for (const id of ids) left.delete(id);
    this.deleteIfSettled(segment);
  }

  /**
   * Marks the segments written so far as to be read back: their entries did not all stay in the
   * trail's memory (it was full). The next `readBacklog` returns them again.
   */
  async spill(): Promise<void> {
    await this.rotate();
    for (const seq of this.outstanding.keys()) if (seq !== this.active) this.outstanding.set(seq, UNREAD);
  }

  /**
   * Reads back segments marked unread, oldest first, until at least `limit` entries are collected
   * (whole segments only); each read segment then waits for the entries it holds.
   */
  async readBacklog(limit: number): Promise<JournalledEntry[]> {
    const byId = new Map<string, JournalledEntry>();
    const perSegment = new Map<number, Set<string>>();
    for (const seq of [...this.outstanding.keys()].sort((a, b) => a - b)) {
      if (byId.size >= limit) break;
      if (seq === this.active || this.outstanding.get(seq) !== UNREAD) continue;
      const ids = new Set<string>();
      perSegment.set(seq, ids);
      for (const entry of await this.readSegment(seq)) {
        const earlier = byId.get(entry.id);
        if (earlier) perSegment.get(earlier.segment)?.delete(entry.id);
        byId.set(entry.id, { entry, segment: seq });
        ids.add(entry.id);
      }
    }
    for (const [seq, ids] of perSegment) {
      this.outstanding.set(seq, ids);
      this.deleteIfSettled(seq);
    }
    return [...byId.values()];
  }

  /** Waits for the writes under way and closes; with nothing outstanding the journal's files go. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.writing) await new Promise((r) => setImmediate(r));
    await this.fh.close();
    await this.deleting;
    const left = [...this.outstanding.values()].filter((ids) => ids === UNREAD || ids.size > 0);
    if (left.length === 0) {
      await rm(join(this.dir, segmentName(this.active)), { force: true });
      this.outstanding.delete(this.active);
      this.sizes.delete(this.active);
    }
  }

  private async writeLoop(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue;
      this.queue = [];
      await this.exclusive(() => this.writeGroup(group));
    }
    this.writing = false;
  }

  private async writeGroup(group: readonly Waiting[]): Promise<void> {
    const count = group.reduce((n, g) => n + g.ids.length, 0);
    const record = encodeRecord(group.map((g) => g.payload).join('\n'), count, Date.now());
    const segment = this.active;
    const position = this.sizes.get(segment) ?? 0;
    try {
      // O_DSYNC: durable when the write returns (segment-files.ts' reasoning).
      const { bytesWritten } = await this.fh.write(record, 0, record.length, position);
      if (bytesWritten !== record.length) throw new Error(`audit journal: short write (${bytesWritten} of ${record.length} bytes)`);
    } catch (err) {
      for (const g of group) g.reject(err as Error);
      // Cut what the failed write left, so the next record follows the last good one.
      await this.fh.truncate(position).catch(() => undefined);
      return;
    }
    this.sizes.set(segment, position + record.length);
    const ids = this.outstanding.get(segment);
    if (ids !== UNREAD) for (const g of group) for (const id of g.ids) ids?.add(id);
    for (const g of group) g.resolve(segment);
    if (position + record.length >= this.segmentBytes) {
      await this.startSegment().catch((err: unknown) => this.log?.error({ err }, 'audit journal: could not start a new segment'));
    }
  }

  /** File operations one at a time: a write and a change of the active segment never overlap. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn);
    this.lock = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private rotate(): Promise<void> {
    return this.exclusive(() => this.startSegment());
  }

  /** Starts a new active segment; the old one goes once its entries are settled. */
  private async startSegment(): Promise<void> {
    const previous = this.active;
    const next = previous + 1;
    const fh = await createSegment(this.dir, next);
    const old = this.fh;
    this.fh = fh;
    this.active = next;
    this.outstanding.set(next, new Set());
    this.sizes.set(next, 0);
    await old.close();
    this.deleteIfSettled(previous);
  }

  private deleteIfSettled(segment: number): void {
    const ids = this.outstanding.get(segment);
    if (segment === this.active || ids === undefined || ids === UNREAD || ids.size > 0) return;
    this.outstanding.delete(segment);
    this.sizes.delete(segment);
    this.deleting = this.deleting
      .then(() => rm(join(this.dir, segmentName(segment)), { force: true }))
      .catch((err: unknown) => this.log?.error({ err }, 'audit journal: could not delete a settled segment'));
  }

  private async readSegment(seq: number): Promise<AuditEntry[]> {
    const buf = await readFile(join(this.dir, segmentName(seq)));
    const decoded = decodeRecords(buf, 0);
    if (decoded.stop === 'corrupt') this.log?.error({ segment: seq, offset: decoded.validBytes }, 'audit journal: unreadable record; the rest of the segment is skipped');
    const entries: AuditEntry[] = [];
    for (const record of decoded.records) {
      for (const line of record.payload.toString('utf8').split('\n')) {
        try {
          entries.push(JSON.parse(line) as AuditEntry);
        } catch {
          this.log?.error({ segment: seq }, 'audit journal: a line is not JSON; skipped');
        }
      }
    }
    return entries;
  }
}

async function listSegments(dir: string): Promise<number[]> {
  const seqs: number[] = [];
  for (const name of await readdir(dir)) {
    const match = SEGMENT.exec(name);
    if (match?.[1]) seqs.push(Number(match[1]));
  }
  return seqs.sort((a, b) => a - b);
}

async function createSegment(dir: string, seq: number): Promise<FileHandle> {
  const fh = await open(join(dir, segmentName(seq)), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_DSYNC, 0o600);
  try {
    // The new name must survive a power cut before anything in it is acknowledged.
    await fsyncDir(dir);
  } catch (err) {
    await fh.close();
    throw err;
  }
  return fh;
}

async function fileSize(path: string): Promise<number> {
  const fh = await open(path, 'r');
  try {
    return (await fh.stat()).size;
  } finally {
    await fh.close();
  }
}
