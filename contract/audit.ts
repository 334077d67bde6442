/**
 * Outcomes of an audited access, shared by the hub's audit log (hub/audit/audit-entry.ts, the SQL
 * table's CHECK in migration 010) and the dashboard API's audit route:
 * allowed: data was served or the change was made; attempted: a change is about to be made (its
 * result follows in a second entry); denied: the role may not; not_found: unknown patient or
 * another team's; invalid: the request was refused as malformed; failed: a server-side error.
 */
export const AUDIT_OUTCOMES = ['allowed', 'attempted', 'denied', 'not_found', 'invalid', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
