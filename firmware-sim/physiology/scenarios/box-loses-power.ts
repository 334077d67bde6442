/**
 * The box loses power early on the fourth morning: no DISCONNECT, so the broker publishes the
 * gateway's Last Will (offline, connection_lost). The technical gateway_offline alert must come at
 * once, and the missed morning readings must be blamed on the box (technical, cause
 * gateway_offline), not on the resident.
 */
import { ALL_DEVICES, DAY_MS, DEFAULT_START, HOUR_MS, MORNING_SCHEDULES, baselineVitals, byTime, dailyRoutine, seededRandom, type Scenario } from './scenario.js';

export function boxLosesPower(seed = 6, start: Date = DEFAULT_START): Scenario {
  const random = seededRandom(seed);
  const onsetAt = new Date(start.getTime() + 3 * DAY_MS + 5 * HOUR_MS);
  return {
    name: 'box-loses-power',
    description: 'three ordinary days, then the box loses power at 06:00 local time',
    start,
    durationMs: 4 * DAY_MS,
    onsetAt,
    devices: ALL_DEVICES,
    rules: { monitoringSince: start.toISOString(), schedules: MORNING_SCHEDULES },
    expected: [
      { rule: 'gateway_offline', audience: 'technical', minSeverity: 'medium', withinMs: 15 * 60_000 },
      { rule: 'missing:body_weight', audience: 'technical', cause: 'gateway_offline', minSeverity: 'medium', withinMs: 5.5 * HOUR_MS },
    ],
    events: byTime([...dailyRoutine(random, start, 3, () => baselineVitals(random)), { type: 'power_loss', at: onsetAt }]),
  };
}
