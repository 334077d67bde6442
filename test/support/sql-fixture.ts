/**
 * Fresh, migrated databases for tests, quickly. Initialising a PGlite data directory costs 8-11 s
 * here; cloning a dump of one costs 0.5-1 s. So the first test that needs PGlite builds one migrated
 * template and caches its dump in the temp directory, keyed by the PGlite version and the contents
 * of every migration (a new or changed migration makes a new template); every test then clones it.
 * Test workers that start together wait for the one that builds it (a lock file).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { acquireDirLock, DirectoryLockedError } from '../../hub/sql/dir-lock.js';
import { loadMigrations, migrate } from '../../hub/sql/migrate.js';
import { PgliteDb } from '../../hub/sql/pglite-db.js';

let template: Promise<Blob> | undefined;

async function templateKey(): Promise<string> {
  const require = createRequire(import.meta.url);
  // The package exports no ./package.json: find it from the main entry (dist/index.cjs).
  const main = require.resolve('@electric-sql/pglite');
  const pkg = JSON.parse(readFileSync(join(dirname(dirname(main)), 'package.json'), 'utf8')) as { version: string };
  const hash = createHash('sha256').update(pkg.version);
  for (const m of await loadMigrations()) hash.update(`${m.version}:${m.checksum}\n`);
  return hash.digest('hex').slice(0, 16);
}

async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function buildTemplate(): Promise<Blob> {
  const file = join(tmpdir(), `rpm-pglite-template-${await templateKey()}.tar`);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const cached = await readIfExists(file);
    if (cached) return new Blob([cached]);
    let lock;
    try {
      lock = await acquireDirLock(`${file}.lock`);
    } catch (err) {
      if (!(err instanceof DirectoryLockedError) || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250)); // another worker is building it
      continue;
    }
    try {
      const again = await readIfExists(file);
      if (again) return new Blob([again]);
      const db = await PgliteDb.open();
      try {
        await migrate(db);
        const dump = await db.dump();
        await writeFile(`${file}.partial`, Buffer.from(await dump.arrayBuffer()));
        await rename(`${file}.partial`, file); // atomic: readers see all of it or nothing
        return dump;
      } finally {
        await db.close();
      }
    } finally {
      await lock.release();
    }
  }
}

/** The migrated template's dump (built or read once per worker). */
export function pgliteTemplate(): Promise<Blob> {
  template ??= buildTemplate();
  return template;
}

/** A fresh, migrated, in-memory PGlite. */
export async function freshPglite(): Promise<PgliteDb> {
  return PgliteDb.open({ loadDataDir: await pgliteTemplate() });
}

/** A fresh, migrated PGlite data directory on disk (closed again), e.g. for the admin CLI or a hub. */
export async function freshPgliteDir(pgdata: string): Promise<void> {
  const db = await PgliteDb.open({ dataDir: pgdata, loadDataDir: await pgliteTemplate() });
  await db.close();
}
