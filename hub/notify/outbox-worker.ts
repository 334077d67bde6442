/**
 * Drains the notification outbox: claims due notifications, sends each through its channel (a
 * bounded number at a time), and records every attempt with its outcome. A failed attempt is retried
 * after an exponential backoff until the notification is `maxAgeMs` old; a permanent failure (the
 * receiver refused it) is recorded as failed at once. Delivery is at least once: a crash between a
 * receiver's 2xx and our record sends it again with the same Idempotency-Key.
 *
 * Time: due times are on the engine's clock (`now`, accelerated in scenario tests); leases are on
 * the wall clock (`wallNow`), because they guard against a process that died.
 */
import type { Logger } from '../log.js';
import { DEFAULT_RETRY, retryDelayMs, type RetryPolicy } from './backoff.js';
import { errorText, type Channel, type ChannelName, type DeliveryResult, type OutboxItem } from './notification.js';
import type { AttemptVerdict, OutboxStore } from './outbox-store.js';

export interface OutboxWorkerOptions {
  readonly store: OutboxStore;
  readonly channels: Partial<Record<ChannelName, Channel>>;
  readonly log: Logger;
  readonly now?: () => Date;
  readonly wallNow?: () => Date;
  readonly retry?: RetryPolicy;
  readonly random?: () => number;
  /** Notifications claimed per round (default 50) and sent at once (default 16). */
  readonly batchSize?: number;
  readonly concurrency?: number;
  readonly leaseMs?: number;
  /** Wall-clock poll interval for retries when nothing kicks the worker (default 1000 ms). */
  readonly pollMs?: number;
}

export interface OutboxObserver {
  attempted(channel: ChannelName, outcome: DeliveryResult['outcome'], seconds: number): void;
}

export class OutboxWorker {
  private readonly now: () => Date;
  private readonly wallNow: () => Date;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private readonly inFlight = new Set<string>();
  observer: OutboxObserver | undefined;

  constructor(private readonly options: OutboxWorkerOptions) {
    this.now = options.now ?? (() => new Date());
    this.wallNow = options.wallNow ?? (() => new Date());
  }

  /** Polls on the wall clock and drains whenever kicked. */
  start(): void {
    this.stopped = false;
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.settled();
  }

  /** Something was enqueued: drain now (coalesces with a drain already running). */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      } else {
        this.schedulePoll();
      }
    });
  }

  /** Resolves once no drain is running (tests step the clock only after this). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  /** A drain is running or asked for. */
  get busy(): boolean {
    return this.running !== undefined || this.again;
  }

  /** Sends everything due at `now()`; resolves with how many attempts were made. */
  async drainDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const wall = this.wallNow();
      const items = (await this.options.store.claimDue(this.now(), this.options.batchSize ?? 50, wall, new Date(wall.getTime() + (this.options.leaseMs ?? 60_000)))).filter(
        (i) => !this.inFlight.has(i.id),
      );
      if (items.length === 0) return total;
      await this.sendAll(items);
      total += items.length;
    }
  }

  private async loop(): Promise<void> {
    try {
      await this.drainDue();
    } catch (err) {
      this.options.log.error({ err: errorText(err) }, 'notification outbox: drain failed; retrying at the next poll');
    }
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), this.options.pollMs ?? 1_000);
    this.timer.unref();
  }

  private async sendAll(items: readonly OutboxItem[]): Promise<void> {
    const limit = this.options.concurrency ?? 16;
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < items.length) {
        const item = items[next++]!;
        this.inFlight.add(item.id);
        try {
          await this.sendOne(item);
        } finally {
          this.inFlight.delete(item.id);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  }

  private async sendOne(item: OutboxItem): Promise<void> {
    const channel = this.options.channels[item.channel];
    const startedAt = this.now();
    const t0 = performance.now();
    let result: DeliveryResult;
    if (!channel) result = { outcome: 'retry', error: `channel ${item.channel} is not configured on this hub` };
    else {
      try {
        result = await channel.send(item);
      } catch (err) {
        result = { outcome: 'retry', error: errorText(err) };
      }
    }
    const durationMs = performance.now() - t0;
    const attempt = item.attempts + 1;
    let verdict: AttemptVerdict;
    if (result.outcome === 'delivered') verdict = { status: 'delivered' };
    else if (result.outcome === 'failed') verdict = { status: 'failed' };
    else {
      const retry = this.options.retry ?? DEFAULT_RETRY;
      const nextAttemptAt = new Date(this.now().getTime() + retryDelayMs(attempt, retry, this.options.random));
      verdict = nextAttemptAt.getTime() - item.createdAt.getTime() > retry.maxAgeMs ? { status: 'failed' } : { status: 'pending', nextAttemptAt };
    }
    const outcome = verdict.status === 'pending' ? 'retry' : verdict.status;
    await this.options.store.recordAttempt(
      {
        notificationId: item.id,
        attempt,
        startedAt,
        durationMs,
        outcome,
        ...(result.statusCode !== undefined ? { statusCode: result.statusCode } : {}),
        ...(result.outcome !== 'delivered' ? { error: result.error } : {}),
      },
      verdict,
    );
    this.observer?.attempted(item.channel, result.outcome, durationMs / 1000);
    if (verdict.status === 'failed') {
      this.options.log.warn({ notification: item.id, channel: item.channel, attempts: attempt, err: result.outcome === 'delivered' ? undefined : result.error }, 'notification given up');
    } else if (outcome === 'retry' && (attempt === 1 || attempt % 10 === 0)) {
      this.options.log.warn({ notification: item.id, channel: item.channel, attempts: attempt, err: result.outcome === 'delivered' ? undefined : result.error }, 'notification not delivered; will retry');
    }
  }
}
