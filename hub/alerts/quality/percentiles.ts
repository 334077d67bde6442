/**
 * Percentiles for the alert analytics, pure. Nearest-rank definition: the p-th percentile of n
 * values is the value at rank ceil(p/100 × n) in ascending order, so it is always one of the
 * measured values (a time to acknowledge somebody actually took) and a hand count reproduces it:
 * median of [1, 2, 3, 4] = 2, p90 of ten values = the 9th smallest.
 */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile: p must be in (0, 100], got ${p}`);
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export interface Spread {
  readonly n: number;
  readonly median?: number;
  readonly p90?: number;
}

export function spread(values: readonly number[]): Spread {
  const median = percentile(values, 50);
  const p90 = percentile(values, 90);
  return { n: values.length, ...(median !== undefined ? { median } : {}), ...(p90 !== undefined ? { p90 } : {}) };
}
