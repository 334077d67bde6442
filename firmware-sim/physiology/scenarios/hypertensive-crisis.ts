/**
 * Hypertensive crisis: two ordinary days, then on the third morning 232/128 mmHg (ESH: > 180/110 is
 * a hypertensive emergency when organ damage is present; >= 220 systolic scores 3 in NEWS2) and again
 * 30 minutes later. The systolic threshold must page at high severity as soon as the reading is stored.
 */
import { ALL_DEVICES, DAY_MS, DEFAULT_START, HOUR_MS, MORNING_SCHEDULES, baselineVitals, byTime, dailyRoutine, seededRandom, session, type Scenario } from './scenario.js';

export function hypertensiveCrisis(seed = 2, start: Date = DEFAULT_START): Scenario {
  const random = seededRandom(seed);
  const onsetAt = new Date(start.getTime() + 2 * DAY_MS + 7.75 * HOUR_MS);
  const usual = () => baselineVitals(random, { systolic: 148, diastolic: 88 });
  const crisis = (systolic: number, diastolic: number) => ({ ...usual(), systolic, diastolic, pulse: 96 });
  return {
    name: 'hypertensive-crisis',
    description: 'two ordinary days, then 232/128 mmHg on the third morning and 228/124 mmHg half an hour later',
    start,
    durationMs: 2 * DAY_MS + 12 * HOUR_MS,
    onsetAt,
    devices: ALL_DEVICES,
    rules: { monitoringSince: start.toISOString(), conditionGroups: ['hypertension'], schedules: MORNING_SCHEDULES },
    expected: [{ rule: 'threshold:blood_pressure.systolic', audience: 'clinical', minSeverity: 'high', withinMs: 15 * 60_000 }],
    events: byTime([
      ...dailyRoutine(random, start, 2, usual),
      ...session(onsetAt, crisis(232, 128), ['bp']),
      ...session(new Date(onsetAt.getTime() + 30 * 60_000), crisis(228, 124), ['bp']),
    ]),
  };
}
