/**
 * Passive intervals: periods when a patient's monitoring is paused (a hospital stay, a week with
 * family, respite care). Clinical rules say nothing during them and readings due inside them are
 * not "missing". Intervals are half-open [from, to); an interval without `to` lasts until removed.
 */
import type { PassiveInterval, PatientContext } from './types.js';

export function passiveIntervalAt(intervals: readonly PassiveInterval[] | undefined, at: Date): PassiveInterval | undefined {
  const t = at.getTime();
  return intervals?.find((i) => i.from.getTime() <= t && (i.to === undefined || t < i.to.getTime()));
}

/** Is monitoring of this patient paused at `at`? */
export function isPassive(context: Pick<PatientContext, 'passiveIntervals'>, at: Date): boolean {
  return passiveIntervalAt(context.passiveIntervals, at) !== undefined;
}

/** The latest end of a passive interval in (after, at]: a pause restarts "every N hours" clocks. */
export function lastPassiveEndBetween(intervals: readonly PassiveInterval[] | undefined, after: number, at: number): number | undefined {
  let latest: number | undefined;
  for (const i of intervals ?? []) {
    const end = i.to?.getTime();
    if (end === undefined || end <= after || end > at) continue;
    if (latest === undefined || end > latest) latest = end;
  }
  return latest;
}
