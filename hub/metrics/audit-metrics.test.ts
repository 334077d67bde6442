import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metricValue } from '../../test/support/hub-process.js';
import { AuditEntriesRefusedError, type AuditStore } from '../audit/audit-entry.js';
import { AuditJournal } from '../audit/audit-journal.js';
import { AuditTrail } from '../audit/audit-trail.js';
import { HubMetrics } from './hub-metrics.js';
import { auditEntry } from '../audit/testing.js';

let n = 0;
const entry = (patientId: string) => auditEntry(++n, patientId);

describe('audit metrics', () => {
  it('count a dead letter and show the journal backlog while the store is down', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'audit-metrics-'));
    try {
      let down = false;
      const store: AuditStore = {
        async append(entries) {
          if (down) throw new Error('connect ECONNREFUSED');
          if (entries.some((e) => e.patientId === 'p-bad')) throw new AuditEntriesRefusedError('refused (SQLSTATE 23514)');
        },
        query: async () => [],
      };
      const quiet = { warn: () => undefined, error: () => undefined };
      const trail = new AuditTrail(store, { flushEveryMs: 1, retryMaxMs: 10, deadLetterPath: join(dir, 'dead.jsonl'), journal: await AuditJournal.open(join(dir, 'j')), log: quiet });
      const metrics = new HubMetrics();
      metrics.bindAudit(trail);
      expect(metricValue(await metrics.text(), 'rpm_audit_dead_letters_total')).toBe(0);

      await trail.commit([entry('p-1'), entry('p-bad')]);
      for (let i = 0; i < 200 && trail.stats.deadLettered === 0; i++) await new Promise((r) => setTimeout(r, 5));
      let text = await metrics.text();
      expect(metricValue(text, 'rpm_audit_dead_letters_total')).toBe(1);
      expect(metricValue(text, 'rpm_audit_entries_written_total')).toBe(1);

      // The dead letter is settled in the journal once the file holds it.
      for (let i = 0; i < 200 && trail.journalBacklog.entries > 0; i++) await new Promise((r) => setTimeout(r, 5));
      down = true;
      await trail.commit([entry('p-2'), entry('p-3')]);
      text = await metrics.text();
      expect(metricValue(text, 'rpm_audit_journal_backlog_entries')).toBe(2);
      expect(metricValue(text, 'rpm_audit_journal_bytes')).toBeGreaterThan(0);
      for (let i = 0; i < 200 && trail.stats.storeFailures === 0; i++) await new Promise((r) => setTimeout(r, 5));
      expect(metricValue(await metrics.text(), 'rpm_audit_store_failures_total')).toBeGreaterThan(0);
      down = false;
      for (let i = 0; i < 200 && trail.journalBacklog.entries > 0; i++) await new Promise((r) => setTimeout(r, 5));
      text = await metrics.text();
      expect(metricValue(text, 'rpm_audit_journal_backlog_entries')).toBe(0);
      await trail.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
