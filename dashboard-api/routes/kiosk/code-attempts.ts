/**
 * Wrong check-in codes, counted per kiosk link and per client address in a sliding window. Past
 * the limit every attempt (a right code too) answers 429 until the window has moved on, so guessing
 * a card's 40-bit secret at a kiosk is hopeless: 5 tries per 10 minutes. Per hub, in memory: with
 * several hubs an attacker gets one budget per hub, which changes nothing of that arithmetic.
 */
export interface CodeAttemptOptions {
  readonly maxFailures?: number;
  readonly windowMs?: number;
  /** Keys tracked at most (oldest forgotten first), so many addresses cannot exhaust memory. */
  readonly maxKeys?: number;
}

export class CodeAttempts {
  private readonly failures = new Map<string, number[]>();
  readonly maxFailures: number;
  readonly windowMs: number;
  private readonly maxKeys: number;

  constructor(options: CodeAttemptOptions = {}) {
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 10 * 60_000;
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
  }

  /** Milliseconds until the key may try again, or 0 if it may now. */
  blockedFor(keys: readonly string[], now = Date.now()): number {
    let wait = 0;
    for (const key of keys) {
      const recent = this.recent(key, now);
      if (recent.length >= this.maxFailures) wait = Math.max(wait, this.windowMs - (now - recent[recent.length - this.maxFailures]!));
    }
    return wait;
  }

  fail(keys: readonly string[], now = Date.now()): void {
    for (const key of keys) {
      const recent = this.recent(key, now);
      recent.push(now);
      this.failures.delete(key);
      this.failures.set(key, recent.slice(-this.maxFailures));
      if (this.failures.size > this.maxKeys) {
        const oldest = this.failures.keys().next().value;
        if (oldest !== undefined) this.failures.delete(oldest);
      }
    }
  }
}
