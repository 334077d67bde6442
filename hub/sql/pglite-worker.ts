/**
 * Entry of the worker thread that owns the hub's embedded PGlite (started by
 * pglite-worker-channel.ts). PGlite runs PostgreSQL as WebAssembly: every statement executes
 * synchronously on the thread that calls it. Here that thread is this one, so the hub's event loop
 * (broker, ingest, spool, alert engine) keeps running while a query does.
 *
 * Opening (extensions, data directory, lock) is PgliteDb.open's, unchanged. A transaction stays
 * open inside PgliteDb.transaction until the main thread sends 'end': commit resolves its function,
 * rollback throws inside it, and 'end' is answered once COMMIT or ROLLBACK has finished.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { PgliteDb, type OpenPgliteOptions } from './pglite-db.js';
import { OPEN_REPLY_ID, serializeError, type WorkerReply, type WorkerRequest } from './pglite-worker-protocol.js';
import type { SqlDb } from './sql-db.js';

type EndRequest = Extract<WorkerRequest, { op: 'end' }>;

interface OpenTransaction {
  readonly tx: SqlDb;
  readonly end: (request: EndRequest) => void;
}

/** Thrown inside the transaction's function to make PgliteDb.transaction roll back. */
const ROLLBACK_REQUESTED = new Error('rollback requested by the main thread');

if (isMainThread || !parentPort) throw new Error('pglite-worker runs only as a worker thread: open the database with PgliteWorkerDb.open');
const port = parentPort;
const transactions = new Map<number, OpenTransaction>();

function send(reply: WorkerReply): void {
  port.postMessage(reply);
}

const failed = (id: number, err: unknown): WorkerReply => ({ id, ok: false, error: serializeError(err) });

/** The handle an op runs on: the database, or the open transaction it names. */
function target(db: PgliteDb, txId: number | undefined): SqlDb {
  if (txId === undefined) return db;
  const open = transactions.get(txId);
  if (!open) throw new Error(`transaction ${txId} has already ended: use its handle only inside the transaction's function`);
  return open.tx;
}

function begin(db: PgliteDb, request: Extract<WorkerRequest, { op: 'begin' }>): void {
  let started = false;
  let endRequest: EndRequest | undefined;
  db.transaction(async (tx) => {
    endRequest = await new Promise<EndRequest>((resolve) => {
      transactions.set(request.txId, { tx, end: resolve });
      started = true;
      send({ id: request.id, ok: true });
    });
    if (!endRequest.commit) throw ROLLBACK_REQUESTED;
  }).then(
    () => send({ id: endRequest!.id, ok: true }),
    (err: unknown) => {
      transactions.delete(request.txId);
      // Not started: BEGIN itself failed. Started: the function only throws after 'end' arrived.
      if (!started) send(failed(request.id, err));
      else if (endRequest) send(err === ROLLBACK_REQUESTED ? { id: endRequest.id, ok: true } : failed(endRequest.id, err));
    },
  );
}

function end(request: EndRequest): void {
  const open = transactions.get(request.txId);
  if (!open) return send(failed(request.id, new Error(`transaction ${request.txId} is not open`)));
  transactions.delete(request.txId); // later ops naming it are refused
  open.end(request);
}

async function serve(db: PgliteDb, request: WorkerRequest): Promise<WorkerReply> {
  switch (request.op) {
    case 'query':
      return { id: request.id, ok: true, rows: await target(db, request.txId).query(request.text, request.params) };
    case 'exec':
      await target(db, request.txId).exec(request.text);
      return { id: request.id, ok: true };
    case 'close':
      await db.close();
      return { id: request.id, ok: true };
    case 'begin':
    case 'end':
      throw new Error(`unexpected op ${request.op}`); // handled before serve
  }
}

async function main(): Promise<void> {
  let db: PgliteDb;
  try {
    db = await PgliteDb.open(workerData as OpenPgliteOptions);
  } catch (err) {
    send(failed(OPEN_REPLY_ID, err));
    port.close(); // nothing else to do: let the thread end
    return;
  }
  port.on('message', (request: WorkerRequest) => {
    if (request.op === 'begin') return begin(db, request);
    if (request.op === 'end') return end(request);
    serve(db, request)
      .then(send)
      // Also when the reply could not be posted (a value structured clone refuses): the caller gets an error, not silence.
      .catch((err: unknown) => send(failed(request.id, err)))
      .finally(() => {
        // After 'close' the port is the only thing keeping this thread alive: closing it ends the thread (exit code 0).
        if (request.op === 'close') port.close();
      });
  });
  send({ id: OPEN_REPLY_ID, ok: true });
}

void main();
