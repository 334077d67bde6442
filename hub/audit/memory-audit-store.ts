/** An AuditStore in memory: for unit tests and the demo without SQL. Deployments use the SQL store. */
import type { AuditEntry, AuditQuery, AuditStore } from './audit-entry.js';

/** Newest first: time descending, then id descending (the SQL store's order). */
export function compareNewestFirst(a: AuditEntry, b: AuditEntry): number {
  const dt = Date.parse(b.at) - Date.parse(a.at);
  if (dt !== 0) return dt;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export function matchesAuditQuery(entry: AuditEntry, query: AuditQuery): boolean {
  const at = Date.parse(entry.at);
  if (query.patientId !== undefined && entry.patientId !== query.patientId) return false;
  if (query.userId !== undefined && entry.userId !== query.userId) return false;
  if (query.from && at < query.from.getTime()) return false;
  if (query.to && at >= query.to.getTime()) return false;
  if (query.after && (at > query.after.at || (at === query.after.at && entry.id >= query.after.id))) return false;
  return true;
}

export class MemoryAuditStore implements AuditStore {
  private readonly entries: AuditEntry[] = [];

  async append(entries: readonly AuditEntry[]): Promise<void> {
    // All or nothing, like the SQL store: a repeated id refuses the whole batch.
    const ids = new Set(this.entries.map((e) => e.id));
    for (const e of entries) {
      if (ids.has(e.id)) throw new Error(`audit entry ${e.id} already exists`);
      ids.add(e.id);
    }
    this.entries.push(...entries.map((e) => Object.freeze({ ...e })));
  }

  async query(query: AuditQuery): Promise<AuditEntry[]> {
    return this.entries
      .filter((e) => matchesAuditQuery(e, query))
      .sort(compareNewestFirst)
      .slice(0, query.limit);
  }

  /** Everything recorded, oldest first (tests). */
  all(): readonly AuditEntry[] {
    return [...this.entries];
  }
}
