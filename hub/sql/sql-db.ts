/**
 * The one thin query interface the hub's relational code is written against. Two implementations
 * satisfy it: embedded PGlite (a data directory, the default) and a PostgreSQL server through
 * node-postgres. Both speak the PostgreSQL dialect, so one SQL text and one contract test suite
 * (test/integration/registry-contract.ts) serve both.
 */

export type SqlBackend = 'pglite' | 'postgres';

export interface SqlDb {
  readonly backend: SqlBackend;
  /** One statement with `$1 …` parameters; rows as plain objects. Values are never spliced into the text. */
  query<R extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** Several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. Inside
   * `fn` use only `tx`: on PGlite the outer handle waits until the transaction ends.
   */
  transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** SQLSTATE codes both backends report (PostgreSQL Appendix A). */
export const SQLSTATE = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  exclusionViolation: '23P01',
  notNullViolation: '23502',
} as const;

export interface SqlErrorInfo {
  readonly code: string | undefined;
  readonly constraint: string | undefined;
}

/** Both pg's and PGlite's DatabaseError carry `code` (SQLSTATE) and `constraint`. */
export function sqlErrorInfo(err: unknown): SqlErrorInfo {
  if (typeof err !== 'object' || err === null) return { code: undefined, constraint: undefined };
  const e = err as { code?: unknown; constraint?: unknown };
  return {
    code: typeof e.code === 'string' ? e.code : undefined,
    constraint: typeof e.constraint === 'string' ? e.constraint : undefined,
  };
}
