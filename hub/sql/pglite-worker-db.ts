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
import { openUnderLock, type DirLock } from './dir-lock.js';
import type { OpenPgliteOptions } from './pglite-db.js';
import { WorkerChannel } from './pglite-worker-channel.js';
import type { SqlDb } from './sql-db.js';

/** What the database reports about its worker thread (the hub logs it). */
export interface WorkerEvents {
  /** The thread died; a new one is started after `delayMs`. */
  died?(err: Error, delayMs: number): void;
  /** A new thread opened the database after `attempts` tries. */
  restarted?(attempts: number): void;
  /** A new thread could not open the database; another try follows after `delayMs`. */
  restartFailed?(err: Error, delayMs: number): void;
}

/** Waits between restarts: 0.5 s doubling to 30 s, so a database that cannot open is not spun on. */
function restartDelayMs(attempt: number): number {
  return Math.min(30_000, 500 * 2 ** attempt);
}

/** Statements on the database (txId undefined) or inside one open transaction. */
class PgliteWorkerTx implements SqlDb {
  readonly backend = 'pglite' as const;
  constructor(
    /** The outer handle follows the current thread; a transaction stays on the one it began on. */
    private readonly channel: () => WorkerChannel,
    private readonly txId: number | undefined,
  ) {}

  async query<R extends object>(text: string, params: readonly unknown[] = []): Promise<R[]> {
    return ((await this.channel().request({ op: 'query', txId: this.txId, text, params })).rows ?? []) as R[];
  }

  async exec(text: string): Promise<void> {
    await this.channel().request({ op: 'exec', txId: this.txId, text });
  }

  /** Already in a transaction: the nested call joins it (as PgliteTx does). */
  transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> {
    return fn(this);
  }

  close(): Promise<void> {
    return Promise.reject(new Error('close() is not available inside a transaction'));
  }
}

/**
 * A thread that dies (a WebAssembly trap, an out-of-memory abort) is replaced: the calls pending on
 * it and those made until the new one has opened the data directory fail with a clear error, and
 * later calls go to the new thread. PostgreSQL's own crash recovery makes the files consistent, as
 * after a power cut. The data directory lock belongs to the process (this main thread), so a
 * restart never finds it taken by the thread that died.
 */
export class PgliteWorkerDb implements SqlDb {
  readonly backend = 'pglite' as const;
  private readonly outer: PgliteWorkerTx;
  private nextTxId = 1;
  /** Calls not yet settled: close() lets them finish first. */
  private readonly inFlight = new Set<Promise<unknown>>();
  private closing: Promise<void> | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private restarting: Promise<void> | undefined;

  private constructor(
    private channel: WorkerChannel,
    private readonly options: OpenPgliteOptions,
    private readonly lock: DirLock | undefined,
    private readonly events: WorkerEvents,
  ) {
    this.outer = new PgliteWorkerTx(() => this.channel, undefined);
    this.watch(channel);
  }

  /** Takes the data directory's lock, starts the worker thread and opens PGlite in it with PgliteDb.open(options). */
  static async open(options: OpenPgliteOptions = {}, events: WorkerEvents = {}): Promise<PgliteWorkerDb> {
    const threadOptions: OpenPgliteOptions = { ...options, lockFile: undefined };
    return openUnderLock(options.lockFile, async (lock) => new PgliteWorkerDb(await PgliteWorkerDb.startChannel(threadOptions), threadOptions, lock, events));
  }

  private static async startChannel(options: OpenPgliteOptions): Promise<WorkerChannel> {
    const channel = WorkerChannel.start(options);
    try {
      await channel.opened;
    } catch (err) {
      await channel.exited; // the thread ends by itself after a failed open; leave nothing running
      throw err;
    }
    return channel;
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
      const channel = this.channel;
      await channel.request({ op: 'begin', txId });
      let result: T;
      try {
        result = await fn(new PgliteWorkerTx(() => channel, txId));
      } catch (err) {
        // The caller needs fn's error; a failed rollback (the thread died) adds nothing to it.
        await channel.request({ op: 'end', txId, commit: false }).catch(() => undefined);
        throw err;
      }
      await channel.request({ op: 'end', txId, commit: true });
      return result;
    });
  }

  /** Lets pending calls settle, closes PGlite in the worker, waits for the thread to end, and releases the lock. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearTimeout(this.restartTimer);
      await this.restarting;
      await Promise.allSettled([...this.inFlight]);
      try {
        await this.channel.close();
      } finally {
        await this.lock?.release();
      }
    })();
    return this.closing;
  }

  /** Test hook: stops the worker thread abruptly, as a crash would. */
  terminateWorkerForTests(): Promise<void> {
    return this.channel.terminate();
  }

  /** When this channel's thread ends without close(), schedules its replacement. */
  private watch(channel: WorkerChannel): void {
    void channel.exited.then(() => {
      if (this.closing || channel !== this.channel) return;
      const delay = restartDelayMs(0);
      this.events.died?.(channel.failure ?? new Error('the PGlite worker thread exited'), delay);
      this.scheduleRestart(0, delay);
    });
  }

  private scheduleRestart(attempt: number, delayMs: number): void {
    this.restartTimer = setTimeout(() => {
      this.restarting = this.restart(attempt).finally(() => (this.restarting = undefined));
    }, delayMs);
    // Restarting is no reason to keep a process alive that has nothing else to do.
    this.restartTimer.unref();
  }

  private async restart(attempt: number): Promise<void> {
    if (this.closing) return;
    try {
      const channel = await PgliteWorkerDb.startChannel(this.options);
      if (this.closing) {
        await channel.close();
        return;
      }
      this.channel = channel;
      this.watch(channel);
      this.events.restarted?.(attempt + 1);
    } catch (err) {
      const delay = restartDelayMs(attempt + 1);
      this.events.restartFailed?.(err as Error, delay);
      this.scheduleRestart(attempt + 1, delay);
    }
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
