/**
 * Connection attempts per source address: a token bucket holding `perMinute` tokens, refilled at
 * `perMinute` a minute, one token per CONNECT. It keeps a password-guessing client (and a box stuck
 * in a reconnect loop) from costing the hub a 50 ms scrypt check each time. Pure apart from the clock.
 */
export class ConnectRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    /** Addresses tracked at most; beyond it full (idle) buckets are forgotten first. */
    private readonly maxTracked = 100_000,
  ) {
    this.perMs = perMinute / 60_000;
  }

  /** Takes a token for `address`; false when it has none left. */
  tryAcquire(address: string): boolean {
    const now = this.now();
    const bucket = this.buckets.get(address);
    if (!bucket) {
      if (this.buckets.size >= this.maxTracked) this.prune(now);
      this.buckets.set(address, { tokens: this.perMinute - 1, at: now });
      return this.perMinute >= 1;
    }
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  private prune(now: number): void {
    for (const [address, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.perMs >= this.perMinute) this.buckets.delete(address);
    }
    // Still full of busy addresses (a wide flood): forget the oldest half rather than grow without bound.
    if (this.buckets.size >= this.maxTracked) {
      let drop = this.buckets.size >>> 1;
      for (const address of this.buckets.keys()) {
        if (drop-- <= 0) break;
        this.buckets.delete(address);
      }
    }
  }

  get tracked(): number {
    return this.buckets.size;
  }
}
