/**
 * Keeps gateway logins from starving the spool. scrypt runs on libuv's thread pool (4 threads by
 * default), the same pool that runs the spool's write + fdatasync, and each check costs ~50 ms of
 * CPU on purpose. When many gateways connect at once — every box in a region after a network blip,
 * or after a hub restart — unbounded scrypt calls fill the pool for seconds, and every PUBACK of the
 * gateways already connected waits behind them (measured: PUBACK p99 of 1-5 s in bench:alerts when
 * 100 gateways connected during load). So:
 *
 * - at most `limit` checks run at once (default 2 of the pool's 4 threads): logins queue, fsyncs do not;
 * - a secret that verified against a stored hash is remembered (by SHA-256 of the secret, never the
 *   secret) so a reconnecting gateway costs a hash lookup, not another scrypt. The stored hash is
 *   part of the key: rotating or revoking a secret changes or removes it, and the memory no longer
 *   matches. Only successes are remembered; a wrong secret pays the full cost every time. So a
 *   known box that reconnects (after a hub restart, on another hub of a cluster once it has been
 *   seen there) costs no scrypt, and a revoked or rotated secret is refused at its next connect on
 *   every hub: the stored hash is read from the shared database each time.
 * - at most `maxWaiting` checks wait (default 200, about 5 s of work at two at a time): beyond that
 *   verify() rejects with ScryptGateBusyError at once, and the broker answers CONNACK 3 (server
 *   unavailable) — a clear "try again later" the gateway backs off from, instead of a CONNACK that
 *   comes after the client's own connect timeout, or never.
 */
import { createHash } from 'node:crypto';

export class ScryptGateBusyError extends Error {
  constructor(waiting: number) {
    super(`${waiting} secret checks already waiting`);
    this.name = 'ScryptGateBusyError';
  }
}

/**
 * A second memory of verified secrets shared by the hubs of a cluster (hub/cluster/redis-verified-cache.ts),
 * so a hub that has just restarted lets known boxes in without an scrypt each. It holds, per stored
 * hash, a SHA-256 of that hash and the secret that matched it: never a secret, and useless once the
 * hash changes (rotation) or disappears (revocation), since the stored hash is read from the shared
 * database at every connect. Gateway secrets are random (≥ 128 bits), so a fast hash of them is safe.
 */
export interface SharedVerifiedCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

export class ScryptGate {
  private running = 0;
  /** scrypt comparisons actually run (not remembered ones). */
  checksRun = 0;
  /** Set by the composition root in a cluster; lookups that fail count as misses. */
  shared: SharedVerifiedCache | undefined;
  private readonly waiting: (() => void)[] = [];
  private readonly verified = new Map<string, true>();

  constructor(
    private readonly limit = 2,
    private readonly maxRemembered = 10_000,
    private readonly maxWaiting = 200,
  ) {}

  /** Checks waiting for a slot now. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `check` (an scrypt comparison of `secret` with `stored`) unless remembered, within the concurrency limit. */
  async verify(secret: string, stored: string, check: () => Promise<boolean>): Promise<boolean> {
    const key = `${stored}\u0000${createHash('sha256').update(secret).digest('base64url')}`;
    if (this.verified.has(key)) {
      // Refresh its place: the least recently used goes first when full.
      this.verified.delete(key);
      this.verified.set(key, true);
      return true;
    }
    const sharedKey = this.shared && createHash('sha256').update(stored).digest('base64url');
    const proof = this.shared && createHash('sha256').update(`${stored}\u0000${secret}`).digest('base64url');
    if (this.shared && sharedKey && proof) {
      const known = await this.shared.get(sharedKey).catch(() => undefined);
      if (known === proof) {
        this.remember(key);
        return true;
      }
    }
    if (this.running >= this.limit) {
      if (this.waiting.length >= this.maxWaiting) throw new ScryptGateBusyError(this.waiting.length);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.running++;
    try {
      // Verified by an earlier check while this one waited (a box whose connects pile up in a storm).
      if (this.verified.has(key)) return true;
      this.checksRun++;
      const ok = await check();
      if (ok) {
        this.remember(key);
        if (this.shared && sharedKey && proof) await this.shared.set(sharedKey, proof).catch(() => undefined);
      }
      return ok;
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  private remember(key: string): void {
    this.verified.set(key, true);
    if (this.verified.size > this.maxRemembered) this.verified.delete(this.verified.keys().next().value!);
  }
}
