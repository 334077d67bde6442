/**
 * Messages between PgliteWorkerDb (the hub's main thread) and the worker thread that owns PGlite
 * (pglite-worker.ts). Values cross by structured clone (HTML Living Standard §2.7): Date, bigint,
 * Uint8Array, Blob and plain objects survive; class instances arrive as plain objects.
 */
import { DirectoryLockedError } from './dir-lock.js';

/** Id of the one reply the worker sends unasked: PGlite opened (or failed to). */
export const OPEN_REPLY_ID = 0;

export type WorkerRequest =
  | { readonly id: number; readonly op: 'query'; readonly txId?: number; readonly text: string; readonly params: readonly unknown[] }
  | { readonly id: number; readonly op: 'exec'; readonly txId?: number; readonly text: string }
  | { readonly id: number; readonly op: 'begin'; readonly txId: number }
  /** commit true: COMMIT; false: ROLLBACK. Answered only once either has finished. */
  | { readonly id: number; readonly op: 'end'; readonly txId: number; readonly commit: boolean }
  | { readonly id: number; readonly op: 'close' };

/** A request as the main side writes it; the channel adds the id. */
export type WorkerCall = WithoutId<WorkerRequest>;
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never; // per union member, so `op` still narrows

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly rows?: unknown[] }
  | { readonly id: number; readonly ok: false; readonly error: SerializedError };

/**
 * An error as data. PGlite's DatabaseError carries the PostgreSQL ErrorResponse fields (code =
 * SQLSTATE, constraint, detail, table, …: PostgreSQL protocol §55.8) as own string properties;
 * all own primitive properties are kept, so sqlErrorInfo and callers reading `.code` see them.
 */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  readonly props: Readonly<Record<string, string | number | boolean>>;
}

export function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err), stack: undefined, props: {} };
  const props: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(err)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') props[key] = value;
  }
  return { name: err.name, message: err.message, stack: err.stack, props };
}

/** The error again, on this side of the thread hop: same name, message and properties. */
export function rebuildError(data: SerializedError): Error {
  // hub-admin tells a locked data directory apart by class (instanceof), so that one keeps its class.
  if (data.name === 'DirectoryLockedError' && typeof data.props.lockFile === 'string' && typeof data.props.pid === 'number') {
    return new DirectoryLockedError(data.props.lockFile, data.props.pid);
  }
  const err = new Error(data.message);
  Object.assign(err, data.props);
  Object.defineProperty(err, 'name', { value: data.name, enumerable: false, writable: true, configurable: true });
  if (data.stack) err.stack = data.stack; // the worker's frames: where PGlite raised it
  return err;
}
