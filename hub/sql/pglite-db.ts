/**
 * SqlDb on embedded PGlite (PostgreSQL 17 compiled to WebAssembly, in this process). The default for
 * a single hub: no server to run. The hub runs it inside a worker thread (PgliteWorkerDb,
 * pglite-worker-db.ts), off its event loop; tests that dump and load templates use it directly.
 * Measured here (PGlite 0.5, Node 20, 2 cores): first initialisation of a data directory 8-11 s,
 * reopening 0.6-1.3 s, a clone from a dump 0.5-1 s.
 */
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { mkdir } from 'node:fs/promises';
import { openUnderLock, type DirLock } from './dir-lock.js';
import type { SqlDb } from './sql-db.js';

/** Extensions the migrations use; PGlite loads them per instance, so every open passes the same set. */
const EXTENSIONS = { btree_gist };

export interface OpenPgliteOptions {
  /** Data directory on disk; omitted: in memory (tests). */
  readonly dataDir?: string;
  /** A dump from `dumpPglite` to start from (a migrated template, in tests). */
  readonly loadDataDir?: Blob;
  /** Lock file guarding `dataDir` against a second process; omitted: no lock (tests with private dirs). */
  readonly lockFile?: string;
}

type Queryable = Pick<Transaction, 'query' | 'exec'>;

class PgliteTx implements SqlDb {
  readonly backend = 'pglite' as const;
  constructor(private readonly tx: Queryable) {}

  async query<R extends object>(text: string, params: readonly unknown[] = []): Promise<R[]> {
    return (await this.tx.query<R>(text, [...params])).rows;
  }

  async exec(text: string): Promise<void> {
    await this.tx.exec(text);
  }

  /** Already in a transaction: the nested call joins it. */
  transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> {
    return fn(this);
  }

  close(): Promise<void> {
    return Promise.reject(new Error('close() is not available inside a transaction'));
  }
}

export class PgliteDb implements SqlDb {
  readonly backend = 'pglite' as const;
  private readonly outer: PgliteTx;

  private constructor(
    readonly pglite: PGlite,
    private readonly lock: DirLock | undefined,
  ) {
    this.outer = new PgliteTx(pglite);
  }

  static async open(options: OpenPgliteOptions = {}): Promise<PgliteDb> {
    return openUnderLock(options.lockFile, async (lock) => {
      if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
      const pglite = await PGlite.create({
        ...(options.dataDir && { dataDir: options.dataDir }),
        ...(options.loadDataDir && { loadDataDir: options.loadDataDir }),
        extensions: EXTENSIONS,
      });
      return new PgliteDb(pglite, lock);
    });
  }

  query<R extends object>(text: string, params?: readonly unknown[]): Promise<R[]> {
    return this.outer.query<R>(text, params);
  }

  exec(text: string): Promise<void> {
    return this.outer.exec(text);
  }

  transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> {
    return this.pglite.transaction((tx) => fn(new PgliteTx(tx)));
  }

  /** The whole data directory as an uncompressed tarball, for `loadDataDir` (test templates). */
  dump(): Promise<Blob> {
    return this.pglite.dumpDataDir('none');
  }

  async close(): Promise<void> {
    try {
      if (!this.pglite.closed) await this.pglite.close();
    } finally {
      await this.lock?.release();
    }
  }
}
