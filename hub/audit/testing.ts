/** Fixture builder for the audit trail, journal and metrics tests (imported by *.test.ts only). */
import type { AuditEntry } from './audit-entry.js';
import { newAuditId } from './audit-trail.js';

/** One allowed readings read by a clinician; `n` orders them (second n of 2026) and names the request. */
export function auditEntry(n: number, patientId = 'p-1'): AuditEntry {
  return {
    id: newAuditId(),
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    userId: 'u-1',
    role: 'clinician',
    action: 'readings.read',
    route: 'GET /api/v1/patients/:patientId/readings',
    patientId,
    address: '127.0.0.1',
    outcome: 'allowed',
    status: 200,
    requestId: `req-${n}`,
  };
}
