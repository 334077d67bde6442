/**
 * Heart-failure fluid retention: a resident with heart failure gains 0.7 kg a day from the third
 * morning (oedema building up). ESC 2021 HF self-care: "more than 2 kg in 3 days" -> the
 * trend:weight_gain alert must fire within 4 days of the onset.
 */
import { gaussian } from '../random.js';
import { ALL_DEVICES, DAY_MS, DEFAULT_START, MORNING_SCHEDULES, baselineVitals, byTime, dailyRoutine, seededRandom, type Scenario } from './scenario.js';

export function heartFailureFluidRetention(seed = 4, start: Date = DEFAULT_START): Scenario {
  const random = seededRandom(seed);
  const onsetDay = 2;
  const onsetAt = new Date(start.getTime() + onsetDay * DAY_MS);
  const days = 8;
  return {
    name: 'heart-failure-fluid-retention',
    description: 'heart failure; weight 78 kg, then +0.7 kg a day from the third day',
    start,
    durationMs: days * DAY_MS,
    onsetAt,
    devices: ALL_DEVICES,
    rules: { monitoringSince: start.toISOString(), conditionGroups: ['heart_failure'], schedules: MORNING_SCHEDULES },
    expected: [{ rule: 'trend:weight_gain', audience: 'clinical', minSeverity: 'medium', withinMs: 4 * DAY_MS }],
    events: byTime(
      dailyRoutine(random, start, days, (_day, at) => {
        const gain = Math.max(0, (at.getTime() - onsetAt.getTime()) / DAY_MS) * 0.7;
        const noise = Math.max(-0.2, Math.min(0.2, gaussian(random, 0, 0.1)));
        return { ...baselineVitals(random, { systolic: 118, diastolic: 72 }), weight: Math.round((78 + gain + noise) * 10) / 10 };
      }),
    ),
  };
}
