/**
 * Worker threads for the back-test's replay: patients are independent, and replaying them is pure
 * CPU work, so a pool of one worker per core (at most MAX_WORKERS) replays them side by side while
 * the main thread reads the next chunk from InfluxDB and stays free for other requests. The workers
 * run the very replayPatient (and so the engine's rules) the main thread would run; the pool only
 * moves patients and alerts between threads.
 *
 * Kept for the life of the process once started (starting a worker costs more than replaying a
 * patient), its threads unref'd so they never hold the process open. A worker that fails to start
 * or dies rejects its jobs; the back-test then fails with that error rather than guessing.
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PatientSummary } from '../../registry/registry.js';
import type { PatientReading } from '../patient-readings.js';
import type { PatientContext } from '../rules/index.js';
import type { ReplayedAlert } from './replay.js';

export interface ReplayJob {
  readonly patient: Pick<PatientSummary, 'id' | 'careTeamId'>;
  /** One replay per context, in this order. */
  readonly contexts: readonly PatientContext[];
  readonly readings: readonly PatientReading[];
  readonly from: Date;
  readonly to: Date;
  readonly tickMs: number;
  /** Epoch ms after which the worker stops the replay. */
  readonly deadline: number;
}

export type ReplayReply = { readonly id: number; readonly ok: true; readonly alerts: ReplayedAlert[][] } | { readonly id: number; readonly ok: false; readonly timeout: boolean; readonly message: string };

export class ReplayTimeout extends Error {}

export const MAX_WORKERS = 4;

interface Slot {
  readonly worker: Worker;
  readonly pending: Map<number, { resolve: (a: ReplayedAlert[][]) => void; reject: (e: Error) => void }>;
}

export class ReplayPool {
  readonly size: number;
  #slots: Slot[] = [];
  #next = 0;
  #ids = 0;

  constructor(size = Math.max(1, Math.min(MAX_WORKERS, availableParallelism()))) {
    this.size = size;
  }

  /** The replays of one patient, on the worker with the fewest jobs. */
  run(job: ReplayJob): Promise<ReplayedAlert[][]> {
    const slot = this.#slot();
    const id = ++this.#ids;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      if (slot.pending.size === 1) slot.worker.ref();
      slot.worker.postMessage({ id, job });
    });
  }

  async close(): Promise<void> {
    const slots = this.#slots;
    this.#slots = [];
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  #slot(): Slot {
    while (this.#slots.length < this.size) this.#slots.push(this.#start());
    // Least loaded first; round robin among equals.
    let best = this.#slots[this.#next++ % this.#slots.length]!;
    for (const s of this.#slots) if (s.pending.size < best.pending.size) best = s;
    return best;
  }

  #start(): Slot {
    const worker = startWorker();
    const slot: Slot = { worker, pending: new Map() };
    worker.unref();
    worker.on('message', (reply: ReplayReply) => {
      const p = slot.pending.get(reply.id);
      if (!p) return;
      slot.pending.delete(reply.id);
      if (slot.pending.size === 0) worker.unref();
      if (reply.ok) p.resolve(reply.alerts);
      else p.reject(reply.timeout ? new ReplayTimeout(reply.message) : new Error(`back-test replay failed: ${reply.message}`));
    });
    const fail = (err: Error) => {
      this.#slots = this.#slots.filter((s) => s !== slot);
      for (const p of slot.pending.values()) p.reject(err);
      slot.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`back-test replay worker exited (${code})`)));
    return slot;
  }
}

/**
 * The worker beside this file. Compiled (dist/), it is replay-worker.js. From the TypeScript
 * sources (tsx, vitest) the worker thread registers tsx's loader itself before importing
 * replay-worker.ts: loader hooks given to the parent (or as the worker's --import) do not reach
 * a worker thread on Node 20.
 */
function startWorker(): Worker {
  if (!fileURLToPath(import.meta.url).endsWith('.ts')) return new Worker(new URL('./replay-worker.js', import.meta.url));
  const file = new URL('./replay-worker.ts', import.meta.url).href;
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(file)}); });`, { eval: true });
}

let shared: ReplayPool | undefined;

/** The process's pool, started on first use. */
export function replayPool(): ReplayPool {
  shared ??= new ReplayPool();
  return shared;
}
