/** Alert fixtures for the page's unit tests (imported by *.test.ts only). */
import type { Alert } from '../api/types.js';

/** An open medium SpO2 threshold alert of patient p1, team t; `over` changes any field. */
export const testAlert = (id: string, over: Partial<Alert> = {}): Alert => ({
  id,
  careTeamId: 't',
  patientId: 'p1',
  rule: 'threshold:spo2.spo2',
  audience: 'clinical',
  severity: 'medium',
  state: 'open',
  condition: 'firing',
  summary: id,
  evidence: { readingIds: [], values: {} },
  backfilled: false,
  muted: false,
  openedAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  lastSeenAt: '2026-12-01T10:00:00.000Z',
  occurrences: 1,
  escalation: { tier: 0 },
  revision: 1,
  ...over,
});
