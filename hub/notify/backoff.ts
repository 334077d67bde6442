import { backoffMs } from '../../contract/backoff.js';

/**
 * Retry delays of the outbox: exponential from `baseMs`, capped at `maxMs`, with ±`jitter` so that
 * many notifications to one receiver that was down do not all return in the same instant.
 * Defaults: 1 s, 2 s, 4 s, ... 60 s; a receiver back from an outage gets its pages within a minute.
 */
export interface RetryPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  /** 0..1: the delay is multiplied by a factor in [1 - jitter, 1 + jitter]. */
  readonly jitter: number;
  /** Give up (status failed) once a notification is older than this. */
  readonly maxAgeMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 1_000, maxMs: 60_000, jitter: 0.2, maxAgeMs: 24 * 3600_000 };

/** Delay before attempt `attempts + 1`, after `attempts` failed ones (>= 1). */
export function retryDelayMs(attempts: number, policy: RetryPolicy = DEFAULT_RETRY, random: () => number = Math.random): number {
  return backoffMs(attempts, { baseMs: policy.baseMs, maxMs: policy.maxMs, jitter: { kind: 'spread', spread: policy.jitter } }, random);
}
