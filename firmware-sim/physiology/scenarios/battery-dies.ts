/**
 * The scale's battery dies: the box reports its devices every morning, the scale's battery falls
 * 10 points a day from 44 %, and at 4 % on the fifth morning the scale no longer weighs. Technical
 * support must hear of the low battery, and the missing weight must be blamed on the battery
 * (technical, cause battery_flat), not on the resident.
 */
import type { DeviceState } from '../../../contract/index.js';
import { ALL_DEVICES, DAY_MS, DEFAULT_START, DEVICES, HOUR_MS, MORNING_SCHEDULES, baselineVitals, byTime, seededRandom, session, type Scenario, type ScenarioEvent } from './scenario.js';

export function batteryDies(seed = 7, start: Date = DEFAULT_START): Scenario {
  const random = seededRandom(seed);
  const days = 6;
  const flatDay = 4;
  const events: ScenarioEvent[] = [];
  for (let d = 0; d < days; d++) {
    const morning = new Date(start.getTime() + d * DAY_MS + 7.5 * HOUR_MS + Math.round(random() * 20) * 60_000);
    const battery = Math.max(4, 44 - 10 * d);
    const report: DeviceState[] = ALL_DEVICES.map((dev) => ({
      deviceId: dev.deviceId,
      present: true,
      lastSeenAt: morning.toISOString(),
      batteryPercent: dev.deviceId === DEVICES.scale.deviceId ? battery : 90,
    }));
    // The box reads battery levels when it connects to each device, just before the session.
    events.push({ type: 'devices', at: new Date(morning.getTime() - 60_000), devices: report });
    events.push(...session(morning, baselineVitals(random), d >= flatDay ? ['bp', 'spo2', 'temperature'] : ['bp', 'spo2', 'temperature', 'weight']));
  }
  return {
    name: 'battery-dies',
    description: 'the scale battery falls from 44 % by 10 points a day; at 4 % the scale stops weighing',
    start,
    durationMs: days * DAY_MS,
    onsetAt: new Date(start.getTime() + flatDay * DAY_MS),
    devices: ALL_DEVICES,
    rules: { monitoringSince: start.toISOString(), schedules: MORNING_SCHEDULES },
    expected: [
      { rule: `battery_low:${DEVICES.scale.deviceId}`, audience: 'technical', minSeverity: 'high', withinMs: 8 * HOUR_MS },
      { rule: 'missing:body_weight', audience: 'technical', cause: 'battery_flat', minSeverity: 'medium', withinMs: 11 * HOUR_MS },
    ],
    events: byTime(events),
  };
}
