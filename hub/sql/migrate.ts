/**
 * Plain SQL migrations: hub/sql/migrations/NNN_name.sql, applied in order of NNN, all pending ones in
 * one transaction, each recorded in schema_migrations with a checksum. Adding a migration is adding
 * a file. Safe when several hubs start at once against one PostgreSQL: the transaction first takes
 * a transaction-scoped advisory lock, so the others wait and then find the work done.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlDb } from './sql-db.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

export interface MigrationResult {
  readonly applied: readonly { version: number; name: string }[];
  readonly current: number;
}

const FILE_NAME = /^(\d{3})_([a-z0-9_]+)\.sql$/;
/** Arbitrary but fixed key for pg_advisory_xact_lock ("rpm-migr" in ASCII, truncated to fit int8). */
const MIGRATION_LOCK_KEY = 0x72706d2d6d69;

/**
 * Where the .sql files are: beside this module when running the sources, or in the source tree
 * when running the compiled dist/ (tsc does not copy .sql files).
 */
export function defaultMigrationsDir(): string {
  const here = fileURLToPath(new URL('./migrations/', import.meta.url));
  if (existsSync(here)) return here;
  return fileURLToPath(new URL('../../../hub/sql/migrations/', import.meta.url));
}

export async function loadMigrations(dir = defaultMigrationsDir()): Promise<Migration[]> {
  const migrations: Migration[] = [];
  for (const file of (await readdir(dir)).sort()) {
    if (!file.endsWith('.sql')) continue;
    const match = FILE_NAME.exec(file);
    if (!match?.[1] || !match[2]) throw new Error(`migration file ${file} must be named NNN_name.sql (three digits, lower-case name)`);
    const sql = await readFile(join(dir, file), 'utf8');
    const version = Number(match[1]);
    if (migrations.some((m) => m.version === version)) throw new Error(`two migrations have version ${match[1]} (${file})`);
    migrations.push({ version, name: match[2], sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return migrations.sort((a, b) => a.version - b.version);
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

export async function migrate(db: SqlDb, migrations?: readonly Migration[]): Promise<MigrationResult> {
  const all = migrations ?? (await loadMigrations());
  return db.transaction(async (tx) => {
    // Serialises concurrent starters; released at COMMIT/ROLLBACK. Taken before CREATE TABLE IF NOT
    // EXISTS, which itself is not safe against a concurrent twin.
    await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const rows = await tx.query<AppliedRow>('SELECT version, name, checksum FROM schema_migrations ORDER BY version');
    const applied = new Map(rows.map((r) => [r.version, r]));
    for (const m of all) {
      const done = applied.get(m.version);
      if (done && done.checksum !== m.checksum) {
        throw new Error(
          `migration ${String(m.version).padStart(3, '0')}_${m.name}.sql was changed after it was applied; add a new migration instead of editing an applied one`,
        );
      }
    }
    const known = new Set(all.map((m) => m.version));
    const unknown = rows.filter((r) => !known.has(r.version));
    if (unknown.length > 0) {
      // A newer hub migrated this database; this older one must not run against a schema it does not know.
      throw new Error(`the database has migrations this hub does not know (${unknown.map((r) => `${r.version}_${r.name}`).join(', ')}): upgrade the hub`);
    }
    const newlyApplied: { version: number; name: string }[] = [];
    for (const m of all) {
      if (applied.has(m.version)) continue;
      try {
        await tx.exec(m.sql);
      } catch (err) {
        throw new Error(`migration ${String(m.version).padStart(3, '0')}_${m.name}.sql failed: ${(err as Error).message}`, { cause: err });
      }
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
      newlyApplied.push({ version: m.version, name: m.name });
    }
    return { applied: newlyApplied, current: all.at(-1)?.version ?? 0 };
  });
}
