/**
 * The audit trail's durable front when it has a journal (audit-journal.ts): a request's entries
 * are durable once appended there, and only then handed to the store writer (audit-trail.ts).
 * Also reads back what is in the journal but not in the writer's memory: what an earlier process
 * left, and what did not fit in memory during a long store outage.
 */
import type { AuditEntry } from './audit-entry.js';
import type { AuditJournal } from './audit-journal.js';
import { asUnserved, AuditUnavailableError } from './audit-unavailable.js';

/** An entry handed to the store writer, with the journal segment holding it (absent: memory only). */
export interface FrontItem {
  readonly entry: AuditEntry;
  readonly segment?: number;
}

export interface JournalFrontHooks {
  push(items: readonly FrontItem[]): void;
  /** Entries in the writer's memory now. */
  queued(): number;
  isClosed(): boolean;
}

export interface JournalFrontOptions {
  readonly maxPending: number;
  readonly commitTimeoutMs: number;
  readonly maxJournalBytes?: number;
  readonly log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export class JournalFront {
  /** Journal appends under way (close waits for them). */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Journalled entries were not kept in memory (it was full): read them back once it drains. */
  private spilled = false;
  private readingBack = false;

  constructor(
    readonly journal: AuditJournal,
    private readonly hooks: JournalFrontHooks,
    private readonly options: JournalFrontOptions,
  ) {
    if (journal.hasUnread) void this.readBack();
  }

  /**
   * Resolves once the entries are durable in the journal. A request that gives up waiting is
   * answered 503, so its entries are journalled again, under the same ids, as unserved (the last
   * version counts). Beyond `maxJournalBytes` the request is refused and its attempt journalled.
   */
  commit(entries: readonly AuditEntry[]): Promise<void> {
    const { journal } = this;
    if (this.options.maxJournalBytes !== undefined && journal.bytes > this.options.maxJournalBytes) {
      this.options.log?.error({ bytes: journal.bytes }, 'audit journal over its limit (is the audit store down?): refusing patient-data requests');
      this.enqueue(entries.map(asUnserved));
      return Promise.reject(new AuditUnavailableError('the audit journal is full'));
    }
    return new Promise<void>((resolve, reject) => {
      let gaveUp = false;
      const timeout = setTimeout(() => {
        gaveUp = true;
        reject(new AuditUnavailableError(`audit entries not journalled within ${this.options.commitTimeoutMs} ms`));
      }, this.options.commitTimeoutMs);
      this.track(
        journal.append(entries).then(
          (segment) => {
            clearTimeout(timeout);
            if (!gaveUp) {
              this.toWriter(entries, segment);
              resolve();
              return;
            }
            this.enqueue(entries.map(asUnserved), () => journal.settle(segment, entries.map((e) => e.id)));
          },
          (err: unknown) => {
            clearTimeout(timeout);
            this.failed(entries.map(asUnserved), err);
            if (!gaveUp) reject(new AuditUnavailableError('the audit journal is not writable'));
          },
        ),
      );
    });
  }

  /** Journals entries nobody waits for; `then` runs once they are durable. */
  enqueue(entries: readonly AuditEntry[], then?: () => void): void {
    this.track(
      this.journal.append(entries).then(
        (segment) => {
          then?.();
          this.toWriter(entries, segment);
        },
        (err: unknown) => this.failed(entries, err),
      ),
    );
  }

  /** Waits for the journal appends under way. */
  async appended(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** These entries are in the store (or durably dead-lettered): their segments may go. */
  settle(items: readonly FrontItem[]): void {
    const bySegment = new Map<number, string[]>();
    for (const item of items) {
      if (item.segment === undefined) continue;
      const ids = bySegment.get(item.segment) ?? [];
      ids.push(item.entry.id);
      bySegment.set(item.segment, ids);
    }
    for (const [segment, ids] of bySegment) this.journal.settle(segment, ids);
  }

  /** The writer's memory is empty: read back what is only in the journal. */
  drained(): void {
    if (this.spilled || this.journal.hasUnread) void this.readBack();
  }

  private track(p: Promise<unknown>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /** Kept in memory only (not durable): the journal's disk refused them. */
  private failed(entries: readonly AuditEntry[], err: unknown): void {
    this.options.log?.error({ err, entries: entries.length }, 'audit journal write failed: entries kept in memory only');
    this.hooks.push(entries.map((entry) => ({ entry })));
  }

  /** Hands journalled entries to the store writer, or leaves them in the journal when memory is full. */
  private toWriter(entries: readonly AuditEntry[], segment: number): void {
    if (this.hooks.queued() + entries.length > this.options.maxPending) {
      this.spilled = true;
      return;
    }
    this.hooks.push(entries.map((entry) => ({ entry, segment })));
  }

  private async readBack(): Promise<void> {
    if (this.readingBack || this.hooks.isClosed()) return;
    this.readingBack = true;
    try {
      if (this.spilled) {
        this.spilled = false;
        await this.journal.spill();
      }
      const found = await this.journal.readBacklog(this.options.maxPending);
      if (found.length > 0) this.options.log?.warn({ entries: found.length }, 'audit journal: writing entries read back to the store');
      this.hooks.push(found);
    } catch (err) {
      this.options.log?.error({ err }, 'audit journal: reading back failed; retried after the next write');
    } finally {
      this.readingBack = false;
    }
  }
}
