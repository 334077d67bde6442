/**
 * Counts failed authentications per client address in a sliding minute. Past the limit, the
 * address's failed attempts answer 429 instead of 401 (with Retry-After), while requests that
 * carry a valid token are served as usual: a clinic behind one NAT address keeps working while a
 * misconfigured integration or a token-guessing script next to it is throttled. Guessing is hopeless
 * anyway (tokens are 256-bit random values); the limit keeps such traffic from costing much.
 */
export interface FailedAuthLimiterOptions {
  /** Failures per address per window before further failures answer 429. */
  readonly maxFailures: number;
  readonly windowMs?: number;
  /** Addresses tracked at most (the oldest are forgotten first), so a scan of many addresses cannot exhaust memory. */
  readonly maxAddresses?: number;
}

export class FailedAuthLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly windowMs: number;
  private readonly maxAddresses: number;

  constructor(private readonly options: FailedAuthLimiterOptions) {
    this.windowMs = options.windowMs ?? 60_000;
    this.maxAddresses = options.maxAddresses ?? 10_000;
  }

  /**
   * Records a failure and says whether the address is now over the limit, and for how long
   * (milliseconds until its oldest counted failure leaves the window).
   */
  fail(address: string, now = Date.now()): { limited: boolean; retryAfterMs: number } {
    const recent = (this.failures.get(address) ?? []).filter((t) => now - t < this.windowMs);
    recent.push(now);
    // Re-insert so that Map order is least-recently-failed first, for eviction.
    this.failures.delete(address);
    this.failures.set(address, recent.slice(-(this.options.maxFailures + 1)));
    if (this.failures.size > this.maxAddresses) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
    const limited = recent.length > this.options.maxFailures;
    const oldestCounted = recent[recent.length - this.options.maxFailures - 1] ?? now;
    return { limited, retryAfterMs: Math.max(1_000, this.windowMs - (now - oldestCounted)) };
  }

  /** Addresses currently tracked (tests, metrics). */
  get size(): number {
    return this.failures.size;
  }
}
