/**
 * Opens the hub's relational database from configuration and brings its schema up to date:
 * PGlite in RPM_DATA_DIR/sql/ by default (in a worker thread, off the hub's event loop:
 * pglite-worker-db.ts), PostgreSQL when DATABASE_URL is set.
 */
import { join } from 'node:path';
import { migrate, type MigrationResult } from './migrate.js';
import { PgliteWorkerDb, type WorkerEvents } from './pglite-worker-db.js';
import { PostgresDb } from './postgres-db.js';
import type { SqlBackend, SqlDb } from './sql-db.js';

export interface SqlConfig {
  readonly backend: SqlBackend;
  /** The hub's data directory (RPM_DATA_DIR); PGlite keeps its files under sql/ in it. */
  readonly dataDir: string;
  readonly databaseUrl?: string | undefined;
}

/** Files of the embedded database inside RPM_DATA_DIR. */
export function pglitePaths(dataDir: string): { dir: string; pgdata: string; lockFile: string; adminSocket: string } {
  const dir = join(dataDir, 'sql');
  return {
    dir,
    pgdata: join(dir, 'pgdata'),
    lockFile: join(dir, 'hub.lock'),
    // Unix socket over which `rpm-hub admin` reaches a running hub that holds the PGlite lock.
    adminSocket: join(dir, 'admin.sock'),
  };
}

export interface OpenedSql {
  readonly db: SqlDb;
  readonly migrations: MigrationResult;
}

/** `events`: what the embedded database's worker thread reports (its death and replacement). */
export async function openSqlDb(config: SqlConfig, events?: WorkerEvents): Promise<OpenedSql> {
  let db: SqlDb;
  if (config.backend === 'postgres') {
    if (!config.databaseUrl) throw new Error('DATABASE_URL is required for the postgres backend');
    db = await PostgresDb.open({ connectionString: config.databaseUrl });
  } else {
    const paths = pglitePaths(config.dataDir);
    db = await PgliteWorkerDb.open({ dataDir: paths.pgdata, lockFile: paths.lockFile }, events);
  }
  try {
    return { db, migrations: await migrate(db) };
  } catch (err) {
    await db.close();
    throw err;
  }
}
