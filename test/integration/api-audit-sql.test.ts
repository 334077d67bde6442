/**
 * The SQL audit store on PGlite and PostgreSQL: the AuditStore contract, and the table's
 * append-only triggers (UPDATE, DELETE and TRUNCATE are refused by the database itself).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

appendOnly('PGlite', freshPglite);
appendOnly('PostgreSQL', () => postgres.freshDb());
