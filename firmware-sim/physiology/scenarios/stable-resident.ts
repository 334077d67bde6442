/** A stable resident: 30 days of morning and evening measurements inside her usual range. No alert may page. */
import { ALL_DEVICES, DAY_MS, DEFAULT_START, MORNING_SCHEDULES, baselineVitals, byTime, dailyRoutine, seededRandom, type Scenario } from './scenario.js';

export function stableResident(seed = 1, days = 30, start: Date = DEFAULT_START): Scenario {
  const random = seededRandom(seed);
  return {
    name: 'stable-resident',
    description: `${days} days of ordinary readings (BP ~136/82, pulse ~70, SpO2 ~96 %, 36.7 °C, 72 kg), measured every morning and evening`,
    start,
    durationMs: days * DAY_MS,
    devices: ALL_DEVICES,
    rules: { monitoringSince: start.toISOString(), schedules: MORNING_SCHEDULES },
    expected: [],
    events: byTime(dailyRoutine(random, start, days, () => baselineVitals(random))),
  };
}
