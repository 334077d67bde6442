/**
 * Decides when a patient with new readings is evaluated, so that the engine's work stays bounded
 * and a resident's deterioration is never stuck behind somebody else's flood of readings:
 *
 * - Coalescing: a patient submitted again while waiting is evaluated once, with all readings.
 * - Quiet patients first: a patient who sent nothing for `coldAfterMs` (an ordinary resident who has
 *   just measured) goes ahead of patients whose readings keep coming (a box emptying its backlog, a
 *   device re-sending its memory), limited only by `concurrency`; busy patients never take the last
 *   free slot, so a quiet one never waits for a slow busy evaluation to end.
 * - Busy patients are paced and budgeted: each at most once per `minIntervalMs`, all together at most
 *   `maxPerSecond` evaluations a second and at most `busyShare` of the wall-clock time, so the engine
 *   cannot take the CPU the ingest path needs, however many patients flood at once.
 *
 * Wall-clock time (performance.now): this is about load, not about the engine's clock.
 */

export interface SchedulerOptions {
  /** Evaluations running at once (default 4). */
  readonly concurrency?: number;
  /** A busy patient at most once per this (default 1000 ms). */
  readonly minIntervalMs?: number;
  /** Busy patients' evaluations per second, all together (default 50). */
  readonly maxPerSecond?: number;
  /** Share of wall-clock time busy patients' evaluations may take (default 0.25). */
  readonly busyShare?: number;
  /** A patient quiet for this long counts as quiet (default 2000 ms). */
  readonly coldAfterMs?: number;
  readonly now?: () => number;
}

export class EvaluationScheduler {
  private readonly cold = new Set<string>();
  private readonly hot = new Set<string>();
  private readonly lastSubmitted = new Map<string, number>();
  private readonly lastStarted = new Map<string, number>();
  private readonly deferred = new Map<string, NodeJS.Timeout>();
  private running = 0;
  /** Token bucket of busy evaluations (count) and of busy evaluation time (ms). */
  private tokens: number;
  private timeBudgetMs: number;
  private refilledAt: number;
  private budgetTimer: NodeJS.Timeout | undefined;
  private readonly idleWaiters = new Set<() => void>();
  private stopped = false;
  private readonly o: Required<SchedulerOptions>;

  constructor(
    private readonly run: (id: string) => Promise<void>,
    options: SchedulerOptions = {},
  ) {
    this.o = {
      concurrency: options.concurrency ?? 4,
      minIntervalMs: options.minIntervalMs ?? 1000,
      maxPerSecond: options.maxPerSecond ?? 50,
      busyShare: options.busyShare ?? 0.25,
      coldAfterMs: options.coldAfterMs ?? 2000,
      now: options.now ?? (() => performance.now()),
    };
    this.tokens = this.o.maxPerSecond;
    this.timeBudgetMs = 1000 * this.o.busyShare;
    this.refilledAt = this.o.now();
  }

  submit(ids: readonly string[]): void {
    if (this.stopped) return;
    const now = this.o.now();
    for (const id of ids) {
      const last = this.lastSubmitted.get(id);
      this.lastSubmitted.set(id, now);
      if (this.deferred.has(id) || this.cold.has(id) || this.hot.has(id)) continue;
      (last === undefined || now - last >= this.o.coldAfterMs ? this.cold : this.hot).add(id);
    }
    this.pump();
  }

  /** Nothing waiting, deferred or running. */
  get idle(): boolean {
    return this.cold.size === 0 && this.hot.size === 0 && this.deferred.size === 0 && this.running === 0;
  }

  whenIdle(): Promise<void> {
    return this.idle ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.add(resolve));
  }

  /** Accepts submissions again after stop(). */
  resume(): void {
    this.stopped = false;
  }

  /** Drops what waits (a restart evaluates every patient anyway) and lets running evaluations end. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.deferred.values()) clearTimeout(t);
    this.deferred.clear();
    clearTimeout(this.budgetTimer);
    this.budgetTimer = undefined;
    this.cold.clear();
    this.hot.clear();
    this.wake();
    await this.whenIdle();
  }

  private refill(now: number): void {
    const s = (now - this.refilledAt) / 1000;
    this.tokens = Math.min(this.o.maxPerSecond, this.tokens + s * this.o.maxPerSecond);
    this.timeBudgetMs = Math.min(1000 * this.o.busyShare, this.timeBudgetMs + s * 1000 * this.o.busyShare);
    this.refilledAt = now;
  }

  /** Waits for the busy budget; true when a busy evaluation may start now. */
  private budgetAllows(now: number): boolean {
    this.refill(now);
    if (this.tokens >= 1 && this.timeBudgetMs > 0) return true;
    const waitMs = Math.max((1 - this.tokens) / this.o.maxPerSecond, -this.timeBudgetMs / (1000 * this.o.busyShare)) * 1000;
    this.budgetTimer ??= setTimeout(
      () => {
        this.budgetTimer = undefined;
        this.pump();
      },
      Math.max(1, Math.ceil(waitMs)),
    );
    return false;
  }

  private pump(): void {
    while (!this.stopped && this.running < this.o.concurrency) {
      const now = this.o.now();
      let id: string | undefined;
      let busy = false;
      if (this.cold.size > 0) {
        id = this.cold.values().next().value!;
        this.cold.delete(id);
      } else if (this.hot.size > 0) {
        if (this.running >= this.o.concurrency - 1 && this.o.concurrency > 1) return;
        if (!this.budgetAllows(now)) return;
        id = this.hot.values().next().value!;
        this.hot.delete(id);
        busy = true;
        const wait = (this.lastStarted.get(id) ?? -Infinity) + this.o.minIntervalMs - now;
        if (wait > 0) {
          const deferredId = id;
          this.deferred.set(
            id,
            setTimeout(() => {
              this.deferred.delete(deferredId);
              this.hot.add(deferredId);
              this.pump();
              this.wake();
            }, wait),
          );
          continue;
        }
        this.tokens -= 1;
      } else return;
      this.start(id, busy, now);
    }
  }

  private start(id: string, busy: boolean, startedAt: number): void {
    this.lastStarted.set(id, startedAt);
    this.running++;
    // run() reports its own failures; a rejection here must not become an unhandled one.
    this.run(id)
      .catch(() => undefined)
      .finally(() => {
        this.running--;
        if (busy) {
          this.refill(this.o.now());
          this.timeBudgetMs -= this.o.now() - startedAt;
        }
        this.pump();
        this.wake();
      });
  }

  private wake(): void {
    if (!this.idle) return;
    for (const w of this.idleWaiters) w();
    this.idleWaiters.clear();
  }
}
