/**
 * After a long outage the outbox may hold thousands of readings. Replaying them as fast as the link
 * allows would hit the hub with every home's backlog at once when a regional network comes back, so
 * the pump paces itself: a batch of n readings takes at least n / rate seconds.
 */
export function replayDelayMs(batchSize: number, ratePerS: number, elapsedMs: number): number {
  if (ratePerS <= 0 || batchSize <= 0) return 0;
  return Math.max(0, (batchSize / ratePerS) * 1000 - elapsedMs);
}
