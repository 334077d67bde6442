/** An AuditStore in memory: for unit tests and the demo without SQL. Deployments use the SQL store. */
import { AUDIT_OUTCOMES, AuditEntriesRefusedError, type AuditEntry, type AuditQuery, type AuditStore } from './audit-entry.js';

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
    // All or nothing, like the SQL store (whose CHECK refuses an unknown outcome); an id already
    // stored is skipped, as ON CONFLICT DO NOTHING does (a journal replay).
    if (entries.some((e) => !(AUDIT_OUTCOMES as readonly string[]).includes(e.outcome))) throw new AuditEntriesRefusedError('unknown audit outcome');
    const ids = new Set(this.entries.map((e) => e.id));
    for (const e of entries) {
      if (ids.has(e.id)) continue;
      ids.add(e.id);
      this.entries.push(Object.freeze({ ...e }));
    }
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
