/**
 * The access log of patient data: who read or changed what, of which patient, when, from where,
 * and how it ended. Danish and Swedish patient-data law require such a trail; it is append-only
 * (the API offers no update or delete, and the SQL table refuses them by trigger).
 */

import type { AuditOutcome } from '../../contract/audit.js';

/** The outcomes (allowed, attempted, denied, not_found, invalid, failed) are defined in contract/audit.ts. */
export { AUDIT_OUTCOMES, type AuditOutcome } from '../../contract/audit.js';

export interface AuditEntry {
  /** ULID made when the entry is recorded: unique, and sorts by time. */
  readonly id: string;
  /** ISO 8601 instant of the access. */
  readonly at: string;
  /** The user (token owner or OIDC subject). */
  readonly userId: string;
  readonly role: string;
  /** What was done, e.g. `readings.read`, `patient.update`, `export.fhir`. */
  readonly action: string;
  /** HTTP method and route pattern, e.g. `GET /api/v1/patients/:patientId/readings`. */
  readonly route: string;
  /** The patient whose data it concerns; null for actions on no single patient (e.g. opening the live stream). */
  readonly patientId: string | null;
  /** Client address as the API saw it (behind a trusted proxy: the forwarded address). */
  readonly address: string;
  readonly outcome: AuditOutcome;
  /** HTTP status answered (0 while a change is only attempted). */
  readonly status: number;
  /** Ties the entry to the API's log line of the same request. */
  readonly requestId: string;
}

export interface AuditQuery {
  readonly patientId?: string;
  readonly userId?: string;
  /** Inclusive. */
  readonly from?: Date;
  /** Exclusive. */
  readonly to?: Date;
  /** Continue after this entry (newest first: entries older than it). */
  readonly after?: { readonly at: number; readonly id: string };
  readonly limit: number;
}

/**
 * The store refused the entries' data (e.g. SQLSTATE class 22 or 23): retrying the same batch will
 * never succeed, unlike a store that is unreachable. The message carries no entry data.
 */
export class AuditEntriesRefusedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuditEntriesRefusedError';
  }
}

export interface AuditStore {
  /** Appends entries atomically (all or none). Throws AuditEntriesRefusedError when it refuses their data. */
  append(entries: readonly AuditEntry[]): Promise<void>;
  /** Entries matching the query, newest first (by time, then id). */
  query(query: AuditQuery): Promise<AuditEntry[]>;
}
