/**
 * A lease in SQL with a fencing token: which hub of a cluster runs the alert engine's timers
 * (missing-reading checks, escalations, snooze expiry). Chosen over a PostgreSQL advisory lock
 * because its handover time is bounded by the TTL whatever fails (process, machine, network; an
 * advisory lock is held until PostgreSQL notices the session is gone, which for a dead machine is
 * TCP keep-alive minutes), it needs no dedicated session (poolers, PGlite), and the token lets
 * work be fenced (docs/decisions.md).
 *
 * - Acquire and renew are one statement, on the database's clock: taken when free, expired or
 *   already ours; the token grows at each change of holder.
 * - The holder renews every ttl/3. It counts itself holder only until its last successful renewal
 *   + ttl - margin (its own monotonic clock), so it stops before anybody else may start, even when
 *   it cannot reach the database to learn it lost the lease.
 * - stop() releases the lease (expires it now), so a clean shutdown hands over at once.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../log.js';
import type { SqlDb } from '../sql/sql-db.js';

export interface LeaseOptions {
  readonly db: SqlDb;
  readonly name: string;
  readonly log: Logger;
  /** Default 6 s: a dead holder is replaced 6-8 s after its last renewal. */
  readonly ttlMs?: number;
  /** Told when this hub becomes holder (with the fencing token) and when it stops being one. */
  readonly onAcquired?: (token: number) => void;
  readonly onLost?: () => void;
  readonly holderId?: string;
}

export class SqlLease {
  readonly holderId: string;
  private readonly ttlMs: number;
  private token: number | undefined;
  /** performance.now() until which we may act as holder. */
  private validUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private renewing: Promise<void> | undefined;

  constructor(private readonly o: LeaseOptions) {
    this.ttlMs = o.ttlMs ?? 6000;
    this.holderId = o.holderId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  }

  /** This hub holds the lease now (and will for at least the safety margin). */
  holds(): boolean {
    return this.token !== undefined && performance.now() < this.validUntil;
  }

  /** The fencing token while held. */
  get fencingToken(): number | undefined {
    return this.holds() ? this.token : undefined;
  }

  /** Tries at once, then every ttl/3. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.renew();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.renewing;
    if (this.token === undefined) return;
    this.lose();
    await this.o.db.query('UPDATE cluster_lease SET expires_at = now() WHERE name = $1 AND holder = $2', [this.o.name, this.holderId]).catch(() => undefined);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.renewing = this.renew().finally(() => {
        this.renewing = undefined;
        this.schedule();
      });
    }, this.ttlMs / 3);
    this.timer.unref();
  }

  private async renew(): Promise<void> {
    const asked = performance.now();
    let rows: { token: string | number }[];
    try {
      rows = await this.o.db.query<{ token: string | number }>(
        `INSERT INTO cluster_lease (name, holder, token, acquired_at, expires_at)
         VALUES ($1, $2, 1, now(), now() + $3 * interval '1 millisecond')
         ON CONFLICT (name) DO UPDATE SET
           token = CASE WHEN cluster_lease.holder = EXCLUDED.holder THEN cluster_lease.token ELSE cluster_lease.token + 1 END,
           acquired_at = CASE WHEN cluster_lease.holder = EXCLUDED.holder THEN cluster_lease.acquired_at ELSE now() END,
           holder = EXCLUDED.holder,
           expires_at = EXCLUDED.expires_at
         WHERE cluster_lease.holder = EXCLUDED.holder OR cluster_lease.expires_at <= now()
         RETURNING token`,
        [this.o.name, this.holderId, this.ttlMs],
      );
    } catch (err) {
      // Unknown: keep acting only until the old validity runs out (holds() checks it).
      this.o.log.warn({ lease: this.o.name, err: (err as Error).message }, 'lease renewal failed');
      if (this.token !== undefined && !this.holds()) this.lose();
      return;
    }
    if (this.stopped) return;
    const row = rows[0];
    if (!row) {
      if (this.token !== undefined) this.lose();
      return;
    }
    // Valid from when we asked (the database may have set expires_at a little later), less a margin for clock rate.
    this.validUntil = asked + this.ttlMs * 0.8;
    const token = Number(row.token);
    if (this.token !== token) {
      this.token = token;
      this.o.log.info({ lease: this.o.name, holder: this.holderId, token }, 'lease acquired: this hub runs the alert timers');
      this.o.onAcquired?.(token);
    }
  }

  private lose(): void {
    this.token = undefined;
    this.validUntil = 0;
    this.o.log.warn({ lease: this.o.name, holder: this.holderId }, 'lease lost: another hub runs the alert timers');
    this.o.onLost?.();
  }
}
