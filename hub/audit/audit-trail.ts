/**
 * Batched, group-committed writes of audit entries.
 *
 * A single-row insert costs about 1.2 ms on PGlite, so the trail never inserts per request: entries
 * wait in a bounded buffer and are appended in batches (every `flushEveryMs`, or at once when
 * `maxBatch` are waiting), one batch in flight at a time.
 *
 * The trade-off (docs/api.md, "Audit"): a read of patient data is served only after its entry is
 * durable (`commit` resolves when the batch holding it is written). That costs the reader at most
 * `flushEveryMs` plus one batch insert, shared by every request in the batch, and it means a crash
 * can never leave a served read unlogged. When the store fails, `commit` rejects at once (the API
 * answers 503 and serves nothing) while the entry, marked `failed`/503, stays queued and is written
 * when the store is back, so the attempt is still on record. Entries that need no wait (denials,
 * results of changes whose attempt was committed first) go through `enqueue`.
 *
 * A store that refuses a batch's data (AuditEntriesRefusedError) is not down: retrying would fail
 * forever and jam the log. The batch is then bisected to find the refused entries; the rest is
 * written, and the refused ones are dead-lettered (JSON lines in `deadLetterPath`, else a bounded
 * list in memory), counted in `stats.deadLettered`, and their readers get 503.
 *
 * With a journal (audit-journal.ts, what deployments run; journal-front.ts), the point of
 * durability moves to local disk: `commit` resolves once the entries are appended and synced there, and the store is written
 * behind it; so a store that is down no longer withholds data (the entries wait in the journal and
 * reach the store when it is back, also after a restart or kill -9), and nothing is lost at
 * shutdown. Reads are refused (503) only when the journal cannot be written or holds more than
 * `maxJournalBytes`. Entries are settled in the journal once written or durably dead-lettered; what
 * did not fit in memory stays in the journal and is read back when the queue has drained.
 */
import { monotonicFactory } from 'ulid';
import { backoffMs } from '../../contract/backoff.js';
import { AuditEntriesRefusedError, type AuditEntry, type AuditStore } from './audit-entry.js';
import { AuditDeadLetters } from './audit-dead-letters.js';
import type { AuditJournal } from './audit-journal.js';
import { asUnserved, AuditUnavailableError } from './audit-unavailable.js';
import { JournalFront } from './journal-front.js';
import { representableEntry } from './representable.js';

export { AuditUnavailableError } from './audit-unavailable.js';

export interface AuditTrailOptions {
  readonly flushEveryMs?: number;
  readonly maxBatch?: number;
  /** Entries held in memory at most; beyond it new entries are refused (reads then answer 503). */
  readonly maxPending?: number;
  /** Longest a commit waits for its batch before the request gives up with 503. */
  readonly commitTimeoutMs?: number;
  /** Longest back-off between retries while the store fails. */
  readonly retryMaxMs?: number;
  /** File the entries the store refuses are appended to, one JSON object a line. */
  readonly deadLetterPath?: string;
  /** Refused entries kept in memory at most when there is no file (or writing it failed). */
  readonly deadLetterMax?: number;
  /** Durable local journal (owned by the trail from now on: closed with it). */
  readonly journal?: AuditJournal;
  /** With a journal: beyond this many bytes in it, reads are refused (503); their attempts are still journalled. */
  readonly maxJournalBytes?: number;
  readonly log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

interface Group {
  remaining: number;
  settled: boolean;
  resolve(): void;
  reject(err: Error): void;
}

interface Pending {
  entry: AuditEntry;
  readonly group?: Group;
  /** The journal segment holding the entry (absent when it is only in memory). */
  readonly segment?: number;
}

const nextUlid = monotonicFactory();

/** A new entry id: a ULID, unique and ordered by time even within one millisecond. */
export function newAuditId(now = Date.now()): string {
  return nextUlid(now);
}

export class AuditTrail {
  private readonly queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private retryDelayMs = 0;
  /** Store failures in a row; the back-off grows with it (contract/backoff.ts) and resets on success. */
  private failuresInARow = 0;
  private closed = false;
  private readonly flushEveryMs: number;
  private readonly maxBatch: number;
  private readonly maxPending: number;
  private readonly commitTimeoutMs: number;
  private readonly retryMaxMs: number;
  readonly stats = { written: 0, dropped: 0, storeFailures: 0, deadLettered: 0 };
  private readonly deadLetterKeeper: AuditDeadLetters;
  /** With a journal: the durable front the requests wait on (journal-front.ts). */
  private readonly front: JournalFront | undefined;

  constructor(
    private readonly store: AuditStore,
    private readonly options: AuditTrailOptions = {},
  ) {
    this.flushEveryMs = options.flushEveryMs ?? 2;
    this.maxBatch = options.maxBatch ?? 500;
    this.maxPending = options.maxPending ?? 50_000;
    this.commitTimeoutMs = options.commitTimeoutMs ?? 3_000;
    this.retryMaxMs = options.retryMaxMs ?? 5_000;
    this.deadLetterKeeper = new AuditDeadLetters(options.deadLetterPath, options.deadLetterMax ?? 1_000, options.log);
    this.front =
      options.journal &&
      new JournalFront(
        options.journal,
        { push: (items) => this.push(items), queued: () => this.queue.length, isClosed: () => this.closed },
        {
          maxPending: this.maxPending,
          commitTimeoutMs: this.commitTimeoutMs,
          ...(options.maxJournalBytes !== undefined && { maxJournalBytes: options.maxJournalBytes }),
          ...(options.log && { log: options.log }),
        },
      );
  }

  /** A new entry id (newAuditId), for callers that meet the trail through its type only. */
  newId(now = Date.now()): string {
    return newAuditId(now);
  }

  /** Entries waiting to be written. */
  get pending(): number {
    return this.queue.length + (this.flushing ? 1 : 0);
  }

  /** Entries journalled and not yet in the store (or dead-lettered); bytes of the journal. */
  get journalBacklog(): { entries: number; bytes: number } {
    return { entries: this.front?.journal.backlog ?? 0, bytes: this.front?.journal.bytes ?? 0 };
  }

  /** Entries the store refused, newest last, when they were not written to `deadLetterPath`. */
  get deadLetters(): readonly AuditEntry[] {
    return this.deadLetterKeeper.inMemory;
  }

  /** True while the last write to the store failed. */
  get unhealthy(): boolean {
    return this.retryDelayMs > 0;
  }

  /**
   * Records entries and resolves once all of them are durable. Rejects with AuditUnavailableError
   * when the store is failing, the buffer is full or the write takes longer than the timeout; the
   * caller must then not serve the data. Entries already queued stay queued, marked unserved.
   */
  commit(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    if (this.closed) return Promise.reject(new AuditUnavailableError('the audit trail is closed'));
    if (this.front) return this.front.commit(entries.map(representableEntry));
    if (this.queue.length + entries.length > this.maxPending) {
      this.stats.dropped += entries.length;
      this.options.log?.error({ pending: this.queue.length }, 'audit buffer full: refusing patient-data requests');
      return Promise.reject(new AuditUnavailableError('the audit buffer is full'));
    }
    if (this.unhealthy) {
      // Fail fast while the store is down, but keep the attempt on record for when it is back.
      this.push(entries.map((entry) => ({ entry: asUnserved(entry) })));
      return Promise.reject(new AuditUnavailableError('the audit store is failing'));
    }
    return new Promise<void>((resolve, reject) => {
      const group: Group = { remaining: entries.length, settled: false, resolve, reject };
      const items = entries.map((entry): Pending => ({ entry, group }));
      const timeout = setTimeout(() => {
        if (group.settled) return;
        group.settled = true;
        for (const item of items) if (this.queue.includes(item)) item.entry = asUnserved(item.entry);
        reject(new AuditUnavailableError(`audit entries not written within ${this.commitTimeoutMs} ms`));
      }, this.commitTimeoutMs);
      group.resolve = () => {
        clearTimeout(timeout);
        resolve();
      };
      this.push(items);
    });
  }

  /** Records entries without waiting. Returns false when the buffer is full and they were dropped. */
  enqueue(entries: readonly AuditEntry[]): boolean {
    if (entries.length === 0) return true;
    if (this.front && !this.closed) {
      this.front.enqueue(entries.map(representableEntry));
      return true;
    }
    if (this.closed || this.queue.length + entries.length > this.maxPending) {
      this.stats.dropped += entries.length;
      this.options.log?.error({ dropped: entries.length }, 'audit entries dropped: buffer full or trail closed');
      return false;
    }
    this.push(entries.map((entry) => ({ entry })));
    return true;
  }

  /** Writes everything still queued (retrying a few times) and refuses new entries. */
  async close(): Promise<void> {
    this.closed = true;
    await this.front?.appended();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (let attempt = 0; attempt < 5 && (this.queue.length > 0 || this.flushing); ) {
      if (this.flushing) {
        await this.flushing;
        continue;
      }
      const before = this.stats.storeFailures;
      await this.flushNow();
      if (this.stats.storeFailures > before) {
        attempt += 1;
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
    const inMemoryOnly = this.queue.filter((p) => p.segment === undefined).length;
    if (this.front && this.queue.length > inMemoryOnly) {
      this.options.log?.warn({ kept: this.queue.length - inMemoryOnly }, 'audit entries not yet in the store are kept in the journal; the next start writes them');
    }
    if (inMemoryOnly > 0) this.options.log?.error({ lost: inMemoryOnly }, 'audit entries could not be written before shutdown');
    if (this.queue.length > 0) {
      for (const item of this.queue.splice(0)) {
        if (item.group && !item.group.settled) {
          item.group.settled = true;
          item.group.reject(new AuditUnavailableError('the audit trail closed before writing'));
        }
      }
    }
    await this.front?.journal.close();
  }

  private push(items: readonly Pending[]): void {
    // Text the store cannot take (NUL, lone surrogates) would fail its batch on every retry.
    for (const item of items) item.entry = representableEntry(item.entry);
    this.queue.push(...items);
    this.schedule();
  }

  private schedule(): void {
    if (this.closed || this.flushing || this.queue.length === 0) return;
    if (this.queue.length >= this.maxBatch && this.retryDelayMs === 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      void this.flushNow();
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        void this.flushNow();
      },
      this.retryDelayMs > 0 ? this.retryDelayMs : this.flushEveryMs,
    );
  }

  private flushNow(): Promise<void> {
    if (this.flushing || this.queue.length === 0) return this.flushing ?? Promise.resolve();
    const batch = this.queue.splice(0, this.maxBatch);
    this.flushing = this.writeBatch(batch).finally(() => {
      this.flushing = undefined;
      this.schedule();
      if (this.queue.length === 0) this.front?.drained();
    });
    return this.flushing;
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    const written: Pending[] = [];
    const refused: Pending[] = [];
    try {
      await this.appendIsolating(batch, written, refused);
    } catch (err) {
      this.settleWritten(written);
      await this.deadLetter(refused);
      const done = new Set([...written, ...refused]);
      this.storeFailed(
        batch.filter((p) => !done.has(p)),
        err as Error,
      );
      return;
    }
    this.retryDelayMs = 0;
    this.failuresInARow = 0;
    this.settleWritten(written);
    await this.deadLetter(refused);
  }

  /** Appends `items`; when the store refuses their data, halves them until the refused ones are alone. */
  private async appendIsolating(items: Pending[], written: Pending[], refused: Pending[]): Promise<void> {
    try {
      await this.store.append(items.map((p) => p.entry));
      written.push(...items);
    } catch (err) {
      if (!(err instanceof AuditEntriesRefusedError)) throw err;
      if (items.length === 1) {
        refused.push(...items);
        return;
      }
      const half = Math.ceil(items.length / 2);
      await this.appendIsolating(items.slice(0, half), written, refused);
      await this.appendIsolating(items.slice(half), written, refused);
    }
  }

  private settleWritten(written: readonly Pending[]): void {
    this.stats.written += written.length;
    this.settleInJournal(written);
    for (const item of written) {
      const group = item.group;
      if (!group || group.settled) continue;
      group.remaining -= 1;
      if (group.remaining === 0) {
        group.settled = true;
        group.resolve();
      }
    }
  }

  private settleInJournal(items: readonly Pending[]): void {
    this.front?.settle(items);
  }

  /**
   * Keeps refused entries out of the store but on record; their readers are served nothing. In the
   * journal they are settled only once the dead-letter file holds them durably; otherwise they stay
   * there, and the next start offers them to the store (and dead-letters them) again.
   */
  private async deadLetter(refused: readonly Pending[]): Promise<void> {
    if (refused.length === 0) return;
    this.stats.deadLettered += refused.length;
    for (const item of refused) {
      if (item.group && !item.group.settled) {
        item.group.settled = true;
        item.group.reject(new AuditUnavailableError('the audit store refused the entry'));
      }
    }
    // Only a reader that was refused (above) went unserved; with a journal the reader was served.
    const entries = refused.map((p) => (p.group ? asUnserved(p.entry) : p.entry));
    if (await this.deadLetterKeeper.keep(entries)) this.settleInJournal(refused);
  }

  private storeFailed(batch: Pending[], err: Error): void {
    this.stats.storeFailures += 1;
    this.failuresInARow += 1;
    // No jitter: one process retries one store; there is no herd to spread.
    this.retryDelayMs = backoffMs(this.failuresInARow, { baseMs: 50, maxMs: this.retryMaxMs, jitter: { kind: 'none' } }, Math.random);
    this.options.log?.error({ err, batch: batch.length, retryInMs: this.retryDelayMs }, 'audit store write failed');
    // Their waiting readers are told at once and served nothing; their entries (and the rest of
    // the same requests' entries) are marked unserved and go back to the front, in order.
    const failed = new Set<Group>();
    for (const item of batch) if (item.group && !item.group.settled) failed.add(item.group);
    for (const group of failed) {
      group.settled = true;
      group.reject(new AuditUnavailableError('the audit store is failing'));
    }
    const requeued = [...batch, ...this.queue.splice(0)].map((p): Pending => {
      if (!p.group || !failed.has(p.group)) return p;
      return { entry: asUnserved(p.entry) };
    });
    this.queue.push(...requeued);
  }
}
