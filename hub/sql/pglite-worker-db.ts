/**
 * SqlDb on embedded PGlite running in a worker thread: the hub's default database. PGlite executes
 * each statement synchronously in WebAssembly on the thread that calls it; in the hub's main thread
 * that blocked the event loop the broker, ingest, spool and alert engine share (the alert engine's
 * queries delayed deliveries under load). Here the main thread only posts messages.
 *
 * Same options, semantics and errors as PgliteDb (pglite-db.ts), which the worker runs: values and
 * rows cross by structured clone, errors keep name, message, SQLSTATE `code`, `constraint`, `detail`.
 * Tests that need the PGlite instance itself keep using PgliteDb.
 */
import type { OpenPgliteOptions } from './pglite-db.js';
import { WorkerChannel } from './pglite-worker-channel.js';
import type { SqlDb } from './sql-db.js';

/** Statements on the database (txId undefined) or inside one open transaction. */
class PgliteWorkerTx implements SqlDb {
  readonly backend = 'pglite' as const;
  constructor(
    private readonly channel: WorkerChannel,
    private readonly txId: number | undefined,
  ) {}

  async query<R extends object>(text: string, params: readonly unknown[] = []): Promise<R[]> {
    return ((await this.channel.request({ op: 'query', txId: this.txId, text, params })).rows ?? []) as R[];
  }

  async exec(text: string): Promise<void> {
    await this.channel.request({ op: 'exec', txId: this.txId, text });
  }

  /** Already in a transaction: the nested call joins it (as PgliteTx does). */
  transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> {
    return fn(this);
  }

  close(): Promise<void> {
    return Promise.reject(new Error('close() is not available inside a transaction'));
  }
}

export class PgliteWorkerDb implements SqlDb {
  readonly backend = 'pglite' as const;
  private readonly outer: PgliteWorkerTx;
  private nextTxId = 1;
  /** Calls not yet settled: close() lets them finish first. */
  private readonly inFlight = new Set<Promise<unknown>>();
  private closing: Promise<void> | undefined;

  private constructor(private readonly channel: WorkerChannel) {
    this.outer = new PgliteWorkerTx(channel, undefined);
  }

  /** Starts the worker thread and opens PGlite in it with PgliteDb.open(options) (extensions, lock). */
  static async open(options: OpenPgliteOptions = {}): Promise<PgliteWorkerDb> {
    const channel = WorkerChannel.start(options);
    try {
      await channel.opened;
    } catch (err) {
      await channel.exited; // the thread ends by itself after a failed open; leave nothing running
      throw err;
    }
    return new PgliteWorkerDb(channel);
  }

  query<R extends object>(text: string, params?: readonly unknown[]): Promise<R[]> {
    return this.track(() => this.outer.query<R>(text, params));
  }

  exec(text: string): Promise<void> {
    return this.track(() => this.outer.exec(text));
  }

  /**
   * BEGIN in the worker, `fn` on a handle whose statements name this transaction, then COMMIT, or
   * ROLLBACK and the original error when `fn` throws. Statements on the outer handle meanwhile wait
   * in the worker until the transaction ends (PGlite runs one transaction at a time).
   */
  transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> {
    return this.track(async () => {
      const txId = this.nextTxId++;
      await this.channel.request({ op: 'begin', txId });
      let result: T;
      try {
        result = await fn(new PgliteWorkerTx(this.channel, txId));
      } catch (err) {
        // The caller needs fn's error; a failed rollback (the thread died) adds nothing to it.
        await this.channel.request({ op: 'end', txId, commit: false }).catch(() => undefined);
        throw err;
      }
      await this.channel.request({ op: 'end', txId, commit: true });
      return result;
    });
  }

  /** Lets pending calls settle, closes PGlite (and its lock) in the worker, and waits for the thread to end. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.inFlight]);
      await this.channel.close();
    })();
    return this.closing;
  }

  /** Test hook: stops the worker thread abruptly, as a crash would. */
  terminateWorkerForTests(): Promise<void> {
    return this.channel.terminate();
  }

  private track<T>(call: () => Promise<T>): Promise<T> {
    if (this.closing) return Promise.reject(new Error('the PGlite database is closed'));
    const promise = call();
    this.inFlight.add(promise);
    const forget = () => this.inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }
}
