/**
 * Where audit entries the store refuses are kept: appended and synced to a JSON-lines file
 * (owner-only; by default RPM_DATA_DIR/audit-dead-letters.jsonl), else, when there is no file or it
 * cannot be written, a bounded list in memory. The log line carries counts only: entries hold
 * patient ids.
 */
import { open } from 'node:fs/promises';
import type { AuditEntry } from './audit-entry.js';

export interface DeadLetterLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export class AuditDeadLetters {
  private readonly list: AuditEntry[] = [];

  constructor(
    private readonly path: string | undefined,
    private readonly max: number,
    private readonly log: DeadLetterLog | undefined,
  ) {}

  /** Entries kept in memory (no file, or it could not be written), newest last. */
  get inMemory(): readonly AuditEntry[] {
    return this.list;
  }

  /** Keeps the entries; resolves true once the file holds them durably, false when they are only in memory. */
  async keep(entries: readonly AuditEntry[]): Promise<boolean> {
    this.log?.warn({ deadLettered: entries.length, file: this.path ?? null }, 'audit store refused entries: dead-lettered');
    if (this.path) {
      try {
        await appendDurably(this.path, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
        return true;
      } catch (err) {
        this.log?.error({ err: (err as NodeJS.ErrnoException).code ?? 'unknown' }, 'audit dead-letter file not writable: keeping entries in memory');
      }
    }
    this.list.push(...entries);
    if (this.list.length > this.max) this.list.splice(0, this.list.length - this.max);
    return false;
  }
}

/** Appends text to a file (owner-only when created) and syncs it before resolving. */
async function appendDurably(path: string, text: string): Promise<void> {
  const fh = await open(path, 'a', 0o600);
  try {
    await fh.write(text);
    await fh.datasync();
  } finally {
    await fh.close();
  }
}
