/**
 * A real PostgreSQL server for the SQL contract tests: DATABASE_URL when set (its role needs
 * CREATEDB), otherwise a private server started for the test file (scripts/lib/postgres.ts) and
 * stopped afterwards. Each test gets its own database. Missing binaries fail the run with the
 * install command; they never skip it.
 */
import { randomBytes } from 'node:crypto';
import { migrate } from '../../hub/sql/migrate.js';
import { PostgresDb } from '../../hub/sql/postgres-db.js';
import { startPostgres, type ManagedPostgres } from '../../scripts/lib/postgres.js';
import { tempDir } from './temp-dir.js';

export interface PostgresForTests {
  /** Connection string of a new, empty database. */
  freshDatabaseUrl(): Promise<string>;
  /** A new database with the migrations applied. */
  freshDb(): Promise<PostgresDb>;
  close(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function startPostgresForTests(): Promise<PostgresForTests> {
  let server: ManagedPostgres | undefined;
  let dir: Awaited<ReturnType<typeof tempDir>> | undefined;
  let baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) {
    dir = await tempDir('postgres');
    server = await startPostgres({ dir: dir.path });
    baseUrl = server.url;
  }
  const admin = await PostgresDb.open({ connectionString: baseUrl, max: 1 });
  const created: string[] = [];
  const opened: PostgresDb[] = [];

  const freshDatabaseUrl = async (): Promise<string> => {
    const name = `rpm_test_${randomBytes(6).toString('hex')}`;
    await admin.exec(`CREATE DATABASE ${name}`);
    created.push(name);
    return withDatabase(baseUrl, name);
  };

  return {
    freshDatabaseUrl,
    async freshDb() {
      const db = await PostgresDb.open({ connectionString: await freshDatabaseUrl() });
      opened.push(db);
      await migrate(db);
      return db;
    },
    async close() {
      for (const db of opened) await db.close().catch(() => undefined);
      if (server) {
        await admin.close();
        await server.stop();
        await dir?.remove();
        return;
      }
      // An external server: leave it as we found it.
      for (const name of created) await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await admin.close();
    },
  };
}
