/**
 * The behaviour every AuditStore must have, as one suite that each implementation runs (memory,
 * PGlite, PostgreSQL): append all-or-nothing, filters, newest-first order with the id as
 * tie-breaker, keyset continuation.
 */
import { describe, expect, it } from 'vitest';
import { AuditEntriesRefusedError, type AuditEntry, type AuditStore } from './audit-entry.js';

export function auditEntry(n: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    // Zero-padded so that the id order is the creation order, as with ULIDs.
    id: `01J${String(n).padStart(10, '0')}`,
    at: new Date(Date.UTC(2026, 2, 1, 8, 0, n)).toISOString(),
    userId: 'u-clinician',
    role: 'clinician',
    action: 'readings.read',
    route: 'GET /api/v1/patients/:patientId/readings',
    patientId: 'p-1',
    address: '192.0.2.10',
    outcome: 'allowed',
    status: 200,
    requestId: `req-${n}`,
    ...overrides,
  };
}

export function auditStoreContract(name: string, open: () => Promise<{ store: AuditStore; close: () => Promise<void> }>): void {
  describe(`AuditStore contract: ${name}`, () => {
    it('returns what was appended, newest first, every field intact', async () => {
      const { store, close } = await open();
      try {
        const entries = [auditEntry(1), auditEntry(2, { patientId: null, action: 'live.subscribe', outcome: 'denied', status: 403 }), auditEntry(3)];
        await store.append(entries);
        expect(await store.query({ limit: 10 })).toEqual([entries[2], entries[1], entries[0]]);
      } finally {
        await close();
      }
    });

    it('filters by patient, user and period (from inclusive, to exclusive)', async () => {
      const { store, close } = await open();
      try {
        await store.append([
          auditEntry(1, { patientId: 'p-1', userId: 'u-a' }),
          auditEntry(2, { patientId: 'p-2', userId: 'u-a' }),
          auditEntry(3, { patientId: 'p-1', userId: 'u-b' }),
          auditEntry(4, { patientId: 'p-1', userId: 'u-a' }),
        ]);
        const ids = (q: Parameters<AuditStore['query']>[0]) => store.query(q).then((rows) => rows.map((r) => r.requestId));
        expect(await ids({ patientId: 'p-1', limit: 10 })).toEqual(['req-4', 'req-3', 'req-1']);
        expect(await ids({ userId: 'u-a', limit: 10 })).toEqual(['req-4', 'req-2', 'req-1']);
        expect(await ids({ patientId: 'p-1', userId: 'u-a', limit: 10 })).toEqual(['req-4', 'req-1']);
        const at = (n: number) => new Date(auditEntry(n).at);
        expect(await ids({ from: at(2), to: at(4), limit: 10 })).toEqual(['req-3', 'req-2']);
      } finally {
        await close();
      }
    });

    it('continues after a position without skipping or repeating, also among entries of the same instant', async () => {
      const { store, close } = await open();
      try {
        const sameInstant = new Date(Date.UTC(2026, 2, 1, 9)).toISOString();
        const entries = Array.from({ length: 7 }, (_, i) => auditEntry(i + 1, { at: i < 5 ? sameInstant : auditEntry(i + 1).at }));
        await store.append(entries);
        const seen: string[] = [];
        let after: { at: number; id: string } | undefined;
        for (let page = 0; page < 10; page++) {
          const rows = await store.query({ limit: 2, ...(after && { after }) });
          if (rows.length === 0) break;
          seen.push(...rows.map((r) => r.id));
          const last = rows[rows.length - 1]!;
          after = { at: Date.parse(last.at), id: last.id };
        }
        expect(seen).toHaveLength(7);
        expect(new Set(seen).size).toBe(7);
        expect(seen).toEqual((await store.query({ limit: 100 })).map((r) => r.id));
      } finally {
        await close();
      }
    });

    it('appends a batch all or nothing', async () => {
      const { store, close } = await open();
      try {
        await store.append([auditEntry(1)]);
        // The second entry's outcome is outside the table's CHECK: the batch is refused as a whole.
        const bad = auditEntry(3, { outcome: 'bogus' as AuditEntry['outcome'] });
        await expect(store.append([auditEntry(2), bad])).rejects.toThrow(AuditEntriesRefusedError);
        expect((await store.query({ limit: 10 })).map((r) => r.requestId)).toEqual(['req-1']);
      } finally {
        await close();
      }
    });

    it('skips an entry whose id it holds (a journal replay after a crash), keeping the first version, and stores the rest', async () => {
      const { store, close } = await open();
      try {
        await store.append([auditEntry(1), auditEntry(2)]);
        await store.append([auditEntry(2, { outcome: 'failed', status: 503 }), auditEntry(3), auditEntry(3)]);
        const rows = await store.query({ limit: 10 });
        expect(rows.map((r) => [r.requestId, r.outcome])).toEqual([
          ['req-3', 'allowed'],
          ['req-2', 'allowed'],
          ['req-1', 'allowed'],
        ]);
      } finally {
        await close();
      }
    });
  });
}
