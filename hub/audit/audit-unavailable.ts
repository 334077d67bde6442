/** Why an audited request is not served, and how its entry then reads. */
import type { PartError } from '../../contract/part-errors.js';
import type { AuditEntry } from './audit-entry.js';

export class AuditUnavailableError extends Error implements PartError {
  /** contract/part-errors.ts: the API withholds the data and answers 503 RPM_ERR_AUDIT_UNAVAILABLE. */
  readonly partError = 'audit_unavailable' as const;

  constructor(message: string) {
    super(message);
    this.name = 'AuditUnavailableError';
  }
}

/** The entry as recorded when the request that made it could not be served. */
export function asUnserved(entry: AuditEntry): AuditEntry {
  return entry.outcome === 'allowed' ? { ...entry, outcome: 'failed', status: 503 } : entry;
}
