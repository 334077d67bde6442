/**
 * HTTP load for the API benchmark, from a worker thread so that the client's work does not run on
 * the server's event loop: N requests one after another (latency at rest), then C concurrent loops
 * for a fixed time (throughput and latency under load). Every answer must be 200.
 */
import { Worker } from 'node:worker_threads';

export interface LoadJob {
  readonly urls: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
  /** Sequential requests (0: none). */
  readonly sequential: number;
  readonly concurrency: number;
  readonly durationMs: number;
}

export interface LoadResult {
  readonly sequentialMs: readonly number[];
  readonly loadedMs: readonly number[];
  readonly loadedSeconds: number;
  readonly errors: number;
  readonly firstError?: string;
}

// Plain JavaScript: worker threads run without the TypeScript loader.
const WORKER = `
const { parentPort, workerData: job } = require('node:worker_threads');
let errors = 0, firstError;
let next = 0;
async function one(out) {
  const url = job.urls[next++ % job.urls.length];
  const t0 = performance.now();
  try {
    const res = await fetch(url, { headers: job.headers });
    await res.arrayBuffer();
    if (res.status !== 200) { errors++; firstError ??= url + ' answered ' + res.status; }
  } catch (err) { errors++; firstError ??= String(err); }
  out.push(performance.now() - t0);
}
(async () => {
  const sequentialMs = [];
  for (let i = 0; i < job.sequential; i++) await one(sequentialMs);
  const loadedMs = [];
  const start = performance.now();
  const deadline = start + job.durationMs;
  await Promise.all(Array.from({ length: job.concurrency }, async () => { while (performance.now() < deadline) await one(loadedMs); }));
  parentPort.postMessage({ sequentialMs, loadedMs, loadedSeconds: (performance.now() - start) / 1000, errors, firstError });
})();
`;

export function runLoad(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: job });
    worker.once('message', (result: LoadResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
