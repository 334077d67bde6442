/**
 * The SQL audit store on PGlite and PostgreSQL: the AuditStore contract, and the table's
 * append-only triggers (UPDATE, DELETE and TRUNCATE are refused by the database itself).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntriesRefusedError } from '../../hub/audit/audit-entry.js';
import { auditEntry, auditStoreContract } from '../../hub/audit/audit-store-contract.js';
import { SqlAuditStore } from '../../hub/audit/sql-audit-store.js';
import type { SqlDb } from '../../hub/sql/sql-db.js';
import { startPostgresForTests, type PostgresForTests } from '../support/postgres-fixture.js';
import { freshPglite } from '../support/sql-fixture.js';

auditStoreContract('SQL on PGlite', async () => {
  const db = await freshPglite();
  return { store: new SqlAuditStore(db), close: () => db.close() };
});

let postgres: PostgresForTests;
beforeAll(async () => {
  postgres = await startPostgresForTests();
}, 120_000);
afterAll(async () => {
  await postgres?.close();
});

auditStoreContract('SQL on PostgreSQL', async () => {
  const db = await postgres.freshDb();
  return { store: new SqlAuditStore(db), close: () => db.close() };
});

function appendOnly(name: string, open: () => Promise<SqlDb>): void {
  describe(`audit_log is append-only on ${name}`, () => {
    it.each([
      ['UPDATE', "UPDATE audit_log SET user_id = 'someone-else'"],
      ['DELETE', 'DELETE FROM audit_log'],
      ['TRUNCATE', 'TRUNCATE audit_log'],
    ])('refuses %s and keeps the entry', async (_op, statement) => {
      const db = await open();
      try {
        const store = new SqlAuditStore(db);
        await store.append([auditEntry(1)]);
        await expect(db.query(statement)).rejects.toThrow(/append-only/);
        expect(await store.query({ limit: 10 })).toEqual([auditEntry(1)]);
      } finally {
        await db.close();
      }
    });
  });
}

/** The trail isolates and dead-letters refused data only if the store says it is the data, not the database. */
function refusalIsTold(name: string, open: () => Promise<SqlDb>): void {
  it(`tells text the table cannot store (NUL) apart from a failing database on ${name}`, async () => {
    const db = await open();
    try {
      const store = new SqlAuditStore(db);
      const refused = store.append([{ ...auditEntry(1), patientId: 'p-\u0000' }]);
      await expect(refused).rejects.toBeInstanceOf(AuditEntriesRefusedError);
      await expect(refused).rejects.toThrow(/^the audit table refused the entries \(SQLSTATE 22\w{3}\)$/);
      await store.append([auditEntry(2)]);
      expect(await store.query({ limit: 10 })).toEqual([auditEntry(2)]);
    } finally {
      await db.close();
    }
    await expect(new SqlAuditStore(db).append([auditEntry(3)])).rejects.not.toBeInstanceOf(AuditEntriesRefusedError);
  });
}

refusalIsTold('PGlite', freshPglite);
refusalIsTold('PostgreSQL', () => postgres.freshDb());

appendOnly('PGlite', freshPglite);
appendOnly('PostgreSQL', () => postgres.freshDb());
