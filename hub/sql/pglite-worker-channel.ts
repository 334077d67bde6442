/**
 * The main thread's end of the PGlite worker (pglite-worker.ts): starts the thread, matches replies
 * to requests, keeps the process alive only while a request is outstanding (as an in-process PGlite,
 * which holds no handles, would), and turns a thread that died into a clear error for every pending
 * and later call instead of a hang.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { OpenPgliteOptions } from './pglite-db.js';
import { OPEN_REPLY_ID, rebuildError, type WorkerCall, type WorkerReply } from './pglite-worker-protocol.js';

export type OkReply = Extract<WorkerReply, { ok: true }>;

interface Pending {
  resolve(reply: OkReply): void;
  reject(err: Error): void;
}

/** How long a closed worker may take to end by itself before it is stopped. */
const EXIT_GRACE_MS = 5_000;

function startWorker(options: OpenPgliteOptions): Worker {
  // Built (dist/): the compiled entry sits next to this module.
  const compiled = new URL('./pglite-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return new Worker(compiled, { workerData: options });
  // From source (tsx, vitest): Node 20 does not apply loader hooks passed in a Worker's execArgv
  // (`--import tsx`) to its entry module (nodejs/node#47747; tried: ERR_UNKNOWN_FILE_EXTENSION), so
  // a one-line entry imports the .ts through tsx's API. tsx is a devDependency: only source mode needs it.
  const source = new URL('./pglite-worker.ts', import.meta.url).href;
  let tsxApi: string;
  try {
    tsxApi = import.meta.resolve('tsx/esm/api');
  } catch (err) {
    throw new Error(`cannot start the PGlite worker: ${fileURLToPath(compiled)} does not exist (run npm run build) and tsx, needed to run it from source, is not installed`, { cause: err });
  }
  const entry = `import(${JSON.stringify(tsxApi)}).then((tsx) => tsx.tsImport(${JSON.stringify(source)}, ${JSON.stringify(source)}))`;
  return new Worker(entry, { eval: true, workerData: options });
}

export class WorkerChannel {
  private nextId = OPEN_REPLY_ID + 1;
  private readonly pending = new Map<number, Pending>();
  /** Set once the thread is gone: every later request is refused with it. */
  private failedWith: Error | undefined;
  private closeRequested = false;
  /** The thread is about to end (closed, failed to open, or crashed): stay referenced until it has. */
  private endExpected = false;
  /** Resolves with the thread's exit code. */
  readonly exited: Promise<number>;
  /** Resolves when PGlite is open in the thread; rejects with the error that kept it from opening. */
  readonly opened: Promise<OkReply>;

  constructor(private readonly worker: Worker) {
    this.opened = this.expect(OPEN_REPLY_ID);
    worker.on('message', (reply: WorkerReply) => this.settle(reply));
    worker.on('error', (err) => {
      this.endExpected = true; // 'exit' follows
      this.fail(new Error(`the PGlite worker thread failed: ${err.message}; the embedded database is unavailable`, { cause: err }));
    });
    this.exited = new Promise((resolve) => {
      worker.once('exit', (code) => {
        this.fail(
          this.closeRequested
            ? new Error('the PGlite database is closed')
            : new Error(`the PGlite worker thread exited unexpectedly (exit code ${code}); the embedded database is unavailable until a new thread has opened it`),
        );
        resolve(code);
      });
    });
  }

  /** Why the thread is gone, once it is (the error every later request gets). */
  get failure(): Error | undefined {
    return this.failedWith;
  }

  static start(options: OpenPgliteOptions): WorkerChannel {
    return new WorkerChannel(startWorker(options));
  }

  /** Sends one request; resolves with its reply, rejects with the rebuilt error or the thread's failure. */
  request(call: WorkerCall): Promise<OkReply> {
    if (this.failedWith) return Promise.reject(this.failedWith);
    const id = this.nextId++;
    const reply = this.expect(id);
    try {
      this.worker.postMessage({ ...call, id });
    } catch (err) {
      // Structured clone refused a value (a function, a class with private state …): nothing was sent.
      this.take(id)?.reject(new Error(`cannot send this ${call.op} to the PGlite worker: ${(err as Error).message}`, { cause: err }));
    }
    return reply;
  }

  /** Asks the worker to close PGlite, then waits until the thread has ended. */
  async close(): Promise<void> {
    if (this.failedWith) return; // already gone: nothing left to close
    this.closeRequested = true;
    this.endExpected = true; // so `await db.close()` completes even when nothing else keeps the process alive
    try {
      await this.request({ op: 'close' });
    } finally {
      const timer = setTimeout(() => void this.worker.terminate(), EXIT_GRACE_MS);
      await this.exited;
      clearTimeout(timer);
    }
  }

  /** Stops the thread at once, as a crash would (tests). */
  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  private expect(id: number): Promise<OkReply> {
    return new Promise<OkReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.updateRef();
    });
  }

  private take(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    this.pending.delete(id);
    this.updateRef();
    return pending;
  }

  private settle(reply: WorkerReply): void {
    // PGlite did not open: the thread ends by itself now. Unreferenced meanwhile, a caller awaiting
    // that (PgliteWorkerDb.open) could see the process exit under it with nothing reported.
    if (reply.id === OPEN_REPLY_ID && !reply.ok) this.endExpected = true;
    const pending = this.take(reply.id);
    if (!pending) return;
    if (reply.ok) pending.resolve(reply);
    else pending.reject(rebuildError(reply.error));
  }

  private fail(err: Error): void {
    this.failedWith ??= err;
    for (const id of [...this.pending.keys()]) this.take(id)?.reject(this.failedWith);
  }

  /** The thread keeps the process alive only while an answer, or its end, is awaited. */
  private updateRef(): void {
    if (this.endExpected || this.pending.size > 0) this.worker.ref();
    else this.worker.unref();
  }
}
