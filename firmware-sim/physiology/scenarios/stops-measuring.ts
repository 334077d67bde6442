/**
 * The resident stops measuring: three ordinary days, then nothing, while the box stays online and
 * the devices are there. The missing-reading alert must come to the nurses (clinical, cause
 * not_measured) within an hour of the 10:00 deadline plus grace, the first morning.
 */
import { ALL_DEVICES, DAY_MS, DEFAULT_START, HOUR_MS, MORNING_SCHEDULES, baselineVitals, byTime, dailyRoutine, seededRandom, type Scenario } from './scenario.js';

export function stopsMeasuring(seed = 5, start: Date = DEFAULT_START): Scenario {
  const random = seededRandom(seed);
  // The first morning without readings, when she would have measured.
  const onsetAt = new Date(start.getTime() + 3 * DAY_MS + 7.5 * HOUR_MS);
  return {
    name: 'stops-measuring',
    description: 'three ordinary days, then no more readings; the box and the devices stay up',
    start,
    durationMs: 4 * DAY_MS + 12 * HOUR_MS,
    onsetAt,
    devices: ALL_DEVICES,
    rules: { monitoringSince: start.toISOString(), schedules: MORNING_SCHEDULES },
    // Due 10:00 local (09:00 UTC) + 60 min grace = 10:00 UTC, 2.5 h after the usual 07:30 UTC.
    expected: [{ rule: 'missing:body_weight', audience: 'clinical', cause: 'not_measured', minSeverity: 'medium', withinMs: 3 * HOUR_MS }],
    events: byTime(dailyRoutine(random, start, 3, () => baselineVitals(random))),
  };
}
