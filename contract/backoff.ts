/**
 * One retry-delay formula for every part that retries: exponential from `baseMs` (attempt 1 waits
 * `baseMs`, each later attempt twice the one before), capped at `maxMs`, then jittered by a named
 * policy so that many clients failed by one outage do not all return in the same instant.
 * Pure: the random source is a parameter (Math.random in production, a fixed function in tests).
 *
 * Jitter policies (names as in Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog 2015):
 * - none: exactly the capped exponential (a single client retrying a local resource);
 * - equal: half fixed, half random, in [d/2, d] (never sooner than half the delay);
 * - full: anywhere in [0, d] (spreads best, may retry at once);
 * - spread: d multiplied by a factor in [1 - spread, 1 + spread], still capped at `maxMs`.
 */
export type Jitter = { readonly kind: 'none' } | { readonly kind: 'equal' } | { readonly kind: 'full' } | { readonly kind: 'spread'; readonly spread: number };

export interface Backoff {
  readonly baseMs: number;
  readonly maxMs: number;
  readonly jitter: Jitter;
}

/** 2^30 times the base exceeds any cap we use; the bound keeps the power finite for huge attempt counts. */
const MAX_DOUBLINGS = 30;

/** The capped exponential before jitter, for attempt `attempt` (1-based; 0 and below count as 1). */
export function exponentialMs(attempt: number, baseMs: number, maxMs: number): number {
  const doublings = Math.min(Math.max(Math.floor(attempt) - 1, 0), MAX_DOUBLINGS);
  return Math.min(maxMs, baseMs * 2 ** doublings);
}

/** Delay in whole milliseconds before retry number `attempt` (1-based); always in [0, maxMs]. */
export function backoffMs(attempt: number, policy: Backoff, random: () => number): number {
  const d = exponentialMs(attempt, policy.baseMs, policy.maxMs);
  const r = Math.min(Math.max(random(), 0), 1);
  const j = policy.jitter;
  const jittered =
    j.kind === 'none' ? d : j.kind === 'equal' ? d / 2 + (r * d) / 2 : j.kind === 'full' ? r * d : Math.min(policy.maxMs, d * (1 + j.spread * (2 * r - 1)));
  return Math.max(0, Math.round(jittered));
}
