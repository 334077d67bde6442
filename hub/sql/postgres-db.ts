/**
 * SqlDb on a PostgreSQL server through node-postgres (a connection Pool), for DATABASE_URL: several
 * hubs sharing one database, or an organisation that already runs PostgreSQL.
 */
import pg from 'pg';
import type { SqlDb } from './sql-db.js';

type Client = pg.Pool | pg.PoolClient;

class PostgresTx implements SqlDb {
  readonly backend = 'postgres' as const;
  constructor(private readonly client: Client) {}

  async query<R extends object>(text: string, params: readonly unknown[] = []): Promise<R[]> {
    return (await this.client.query<R>(text, [...params])).rows;
  }

  async exec(text: string): Promise<void> {
    // Without parameters pg uses the simple query protocol, which accepts several statements.
    await this.client.query(text);
  }

  /** Already in a transaction: the nested call joins it. */
  transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> {
    return fn(this);
  }

  close(): Promise<void> {
    return Promise.reject(new Error('close() is not available inside a transaction'));
  }
}

export interface OpenPostgresOptions {
  readonly connectionString: string;
  /** Connections per hub; the registry needs few. */
  readonly max?: number;
  /** Tests: every connection starts in this schema (search_path), so a test owns its tables. */
  readonly searchPath?: string;
}

export class PostgresDb implements SqlDb {
  readonly backend = 'postgres' as const;
  private readonly outer: PostgresTx;

  private constructor(readonly pool: pg.Pool) {
    this.outer = new PostgresTx(pool);
  }

  /** Opens the pool and checks that the server answers, so a wrong DATABASE_URL fails at start-up. */
  static async open(options: OpenPostgresOptions): Promise<PostgresDb> {
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.max ?? 5,
      ...(options.searchPath && { options: `-c search_path=${options.searchPath}` }),
    });
    // An idle client that loses its server emits 'error' on the pool; without a listener Node exits.
    // The next query gets a fresh connection or a clear error instead.
    pool.on('error', () => undefined);
    try {
      await pool.query('SELECT 1');
    } catch (err) {
      await pool.end();
      throw new Error(`cannot connect to PostgreSQL (DATABASE_URL): ${(err as Error).message}`, { cause: err });
    }
    return new PostgresDb(pool);
  }

  query<R extends object>(text: string, params?: readonly unknown[]): Promise<R[]> {
    return this.outer.query<R>(text, params);
  }

  exec(text: string): Promise<void> {
    return this.outer.exec(text);
  }

  async transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await fn(new PostgresTx(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true; // the connection is unusable: discard it rather than return it to the pool
      }
      throw err;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
