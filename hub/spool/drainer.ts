/**
 * Moves the spool into InfluxDB: in order, in batches of up to `maxBatchPoints`, at most
 * `maxInFlight` writes at a time, and confirms a batch to the spool only once InfluxDB answered 204
 * (or its refused points are durable dead letters) and every batch before it is confirmed too.
 *
 * Latency and throughput from one rule, without timers: when no write is under way, whatever the
 * spool holds goes out at once — at rest a reading is sent alone right after its fsync (a few ms);
 * while a write is under way, what arrives collects into the next batch; further slots are used only
 * for full batches. So light load costs one request per reading, heavy load few large requests
 * (InfluxDB's cost is per request more than per point), and a backlog after an outage drains in full
 * batches on all slots, far faster than gateways publish: live readings queue behind it only for the
 * time the backlog takes (docs/ingestion.md has the figures).
 *
 * While InfluxDB is down, one batch probes at a time after an exponential, jittered backoff that
 * honours Retry-After; ingest goes on and the spool grows.
 */
import type { Logger } from '../log.js';
import { writeIsolatingRejected, type RejectedPoint } from './isolate-rejected.js';
import type { Spool, SpoolBatch } from './spool.js';
import { backoffDelayMs, classifyWriteError, type BackoffPolicy, type WriteErrorKind, type WriteFailure } from './write-errors.js';

export interface DrainObserver {
  /** One HTTP write finished; `error` is undefined on success. */
  written(seconds: number, points: number, error: WriteErrorKind | undefined): void;
  /** A batch left the spool: confirmed by InfluxDB, with `deadLettered` of its points refused. */
  batchDone(points: number, deadLettered: number): void;
}

export interface DrainerOptions {
  readonly spool: Spool;
  /** Sends line protocol (points separated by '\n'; a Buffer holds it UTF-8 encoded); resolves on InfluxDB's 204. */
  readonly write: (body: string | Buffer) => Promise<void>;
  /** Keeps points InfluxDB refused; must be durable when it resolves. */
  readonly deadLetter: (points: readonly RejectedPoint[]) => Promise<void>;
  readonly log: Logger;
  readonly observer?: DrainObserver;
  /** Called before retrying after a 404 (database missing), e.g. to create it again. */
  readonly onNotFound?: () => Promise<void>;
  readonly maxBatchPoints?: number;
  readonly maxInFlight?: number;
  readonly backoff?: BackoffPolicy;
  readonly random?: () => number;
}

export interface DrainerState {
  /** False from a failed write until the next successful one. */
  readonly influxReachable: boolean;
  readonly lastError: WriteErrorKind | undefined;
  readonly consecutiveFailures: number;
}

interface Slot {
  readonly batch: SpoolBatch;
  state: 'sending' | 'done' | 'failed';
}

export class Drainer {
  private readonly slots: Slot[] = [];
  private inFlight = 0;
  private failures = 0;
  private lastError: WriteErrorKind | undefined;
  private backoffTimer: NodeJS.Timeout | undefined;
  private pumping = false;
  private pumpAgain = false;
  private stopped = false;
  private readonly unsubscribe: () => void;
  private readonly settled = new Set<() => void>();
  private readonly maxBatchPoints: number;
  private readonly maxInFlight: number;
  private readonly backoff: BackoffPolicy;

  constructor(private readonly options: DrainerOptions) {
    this.maxBatchPoints = options.maxBatchPoints ?? 5000;
    this.maxInFlight = options.maxInFlight ?? 2;
    this.backoff = options.backoff ?? { baseMs: 200, maxMs: 15_000 };
    this.unsubscribe = options.spool.onData(() => this.pump());
    this.pump();
  }

  state(): DrainerState {
    return { influxReachable: this.failures === 0, lastError: this.lastError, consecutiveFailures: this.failures };
  }

  /** Starts sending whatever can be sent now. Safe to call any time. */
  pump(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    this.fill().then(
      () => {
        this.pumping = false;
        if (this.pumpAgain) {
          this.pumpAgain = false;
          this.pump();
        }
      },
      (err: unknown) => {
        this.pumping = false;
        this.options.log.error({ err }, 'spool drainer: reading the spool failed; retrying');
        this.scheduleRetry(undefined);
      },
    );
  }

  private async fill(): Promise<void> {
    // After a failure only one batch probes at a time, so a struggling InfluxDB is not hammered.
    while (!this.stopped && this.backoffTimer === undefined && this.inFlight < (this.failures > 0 ? 1 : this.maxInFlight)) {
      const failed = this.slots.find((s) => s.state === 'failed');
      if (failed) {
        this.send(failed);
        continue;
      }
      // A second write in parallel only for a full batch: small ones wait and merge into the next.
      if (this.inFlight > 0 && this.options.spool.unsentPoints < this.maxBatchPoints) return;
      const batch = await this.options.spool.nextBatch(this.maxBatchPoints);
      if (!batch) return;
      const slot: Slot = { batch, state: 'sending' };
      this.slots.push(slot);
      this.send(slot);
    }
  }

  private send(slot: Slot): void {
    slot.state = 'sending';
    this.inFlight++;
    this.deliver(slot.batch).then(
      () => {
        slot.state = 'done';
        if (this.failures > 0) this.options.log.info({ after: this.failures }, 'InfluxDB writes succeed again; draining the spool');
        this.failures = 0;
        this.confirmDone();
      },
      (err: unknown) => {
        slot.state = 'failed';
        this.scheduleRetry(classifyWriteError(err), err as Error);
      },
    ).finally(() => {
      this.inFlight--;
      for (const notify of this.settled) notify();
      this.pump();
    });
  }

  /** Confirms the longest run of finished batches at the head, in order. */
  private confirmDone(): void {
    while (this.slots[0]?.state === 'done') {
      const { batch } = this.slots.shift()!;
      this.options.spool.confirm(batch.end, batch.points);
    }
  }

  private async deliver(batch: SpoolBatch): Promise<void> {
    if (batch.points === 0) return; // a skipped damaged stretch: nothing to send
    let failure: WriteFailure | undefined;
    try {
      await this.timedWrite(batch.payload, batch.points);
    } catch (err) {
      failure = classifyWriteError(err);
      if (failure.action === 'retry') {
        if (failure.kind === 'not_found') await this.options.onNotFound?.().catch(() => undefined);
        throw err;
      }
    }
    let rejected: RejectedPoint[] = [];
    if (failure) {
      // The points are at fault (400) or the body too big (413): find the refused ones by halves.
      const lines = batch.payload.toString('utf8').split('\n');
      const mid = lines.length >>> 1;
      const write = (body: string) => this.timedWrite(body, countLines(body));
      rejected = [...(await writeIsolatingRejected(lines.slice(0, mid), write)), ...(await writeIsolatingRejected(lines.slice(mid), write))];
      if (rejected.length > 0) {
        await this.options.deadLetter(rejected);
        this.options.log.warn({ points: rejected.length, status: rejected[0]!.status }, 'InfluxDB refused points; kept as dead letters');
      }
    }
    this.options.observer?.batchDone(batch.points, rejected.length);
  }

  private async timedWrite(body: string | Buffer, points: number): Promise<void> {
    const started = performance.now();
    try {
      await this.options.write(body);
      this.options.observer?.written((performance.now() - started) / 1000, points, undefined);
    } catch (err) {
      const kind = classifyWriteError(err).kind;
      this.lastError = kind;
      this.options.observer?.written((performance.now() - started) / 1000, points, kind);
      throw err;
    }
  }

  private scheduleRetry(failure: WriteFailure | undefined, err?: Error): void {
    this.failures++;
    if (this.stopped || this.backoffTimer) return;
    const delay = backoffDelayMs(this.failures, this.backoff, this.options.random ?? Math.random, failure?.retryAfterMs);
    // Logged at the first failure and then every 10th, so an outage does not flood the log.
    if (this.failures === 1 || this.failures % 10 === 0) {
      this.options.log.warn(
        { kind: failure?.kind, status: failure?.status, err: err?.message.slice(0, 200), failures: this.failures, retryInMs: Math.round(delay) },
        'InfluxDB write failed; the spool keeps the readings and retries',
      );
    }
    this.backoffTimer = setTimeout(() => {
      this.backoffTimer = undefined;
      this.pump();
    }, delay);
  }

  /**
   * Sends what it can within `flushWithinMs` (giving up early while InfluxDB is failing), then stops.
   * What is left stays in the spool for the next start.
   */
  async stop(flushWithinMs = 5000): Promise<void> {
    const deadline = Date.now() + flushWithinMs;
    while (!this.stopped && !this.options.spool.drained && this.failures === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    this.stopped = true;
    this.unsubscribe();
    clearTimeout(this.backoffTimer);
    this.backoffTimer = undefined;
    while (this.inFlight > 0 && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        const notify = () => {
          clearTimeout(timer);
          this.settled.delete(notify);
          resolve();
        };
        this.settled.add(notify);
      });
    }
  }
}

function countLines(body: string): number {
  let n = 1;
  for (let i = body.indexOf('\n'); i >= 0; i = body.indexOf('\n', i + 1)) n++;
  return n;
}
