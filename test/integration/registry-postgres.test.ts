/**
 * The SQL and registry contract on a real PostgreSQL server (DATABASE_URL, or a private server for
 * this file), plus what only a server can show: several hubs migrating one database at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../hub/sql/migrate.js';
import { PostgresDb } from '../../hub/sql/postgres-db.js';
import { startPostgresForTests, type PostgresForTests } from '../support/postgres-fixture.js';
import { registryContract, sqlDbContract } from './registry-contract.js';

let server: PostgresForTests;
beforeAll(async () => {
  server = await startPostgresForTests();
});
afterAll(async () => {
  await server?.close();
});

sqlDbContract('PostgreSQL', () => server.freshDb());
registryContract('PostgreSQL', () => server.freshDb());

describe('migrations on PostgreSQL', () => {
  it('four hubs starting at once against one empty database apply each migration exactly once', async () => {
    const url = await server.freshDatabaseUrl();
    const hubs = await Promise.all([1, 2, 3, 4].map(() => PostgresDb.open({ connectionString: url, max: 1 })));
    try {
      const results = await Promise.all(hubs.map((db) => migrate(db)));
      const files = await loadMigrations();
      // Exactly one of them did the work; the others waited on the advisory lock and found it done.
      expect(results.filter((r) => r.applied.length > 0)).toHaveLength(1);
      expect(results.flatMap((r) => r.applied)).toEqual(files.map((m) => ({ version: m.version, name: m.name })));
      const rows = await hubs[0]?.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
      expect(rows).toEqual([{ n: files.length }]);
    } finally {
      for (const db of hubs) await db.close();
    }
  });

  it('a wrong DATABASE_URL fails at open with a clear message', async () => {
    const url = new URL(await server.freshDatabaseUrl());
    url.pathname = '/no_such_database';
    await expect(PostgresDb.open({ connectionString: url.toString() })).rejects.toThrow(/^cannot connect to PostgreSQL \(DATABASE_URL\): .*no_such_database/);
  });
});
