/**
 * A deteriorating infection (e.g. pneumonia): from the third morning a carer measures every hour;
 * over 12 hours the pulse rises 70 -> 126/min, temperature 36.8 -> 39.4 °C, SpO2 falls 96 -> 88 % and
 * systolic blood pressure 136 -> 96 mmHg. NEWS2 (RCP 2017) passes medium (5-6) to high (>= 7) risk:
 * the news2 alert must reach urgent within 12 hours of the onset.
 */
import { ALL_DEVICES, DAY_MS, DEFAULT_START, HOUR_MS, MORNING_SCHEDULES, baselineVitals, byTime, dailyRoutine, seededRandom, session, type Scenario, type ScenarioEvent } from './scenario.js';

export function deterioratingInfection(seed = 3, start: Date = DEFAULT_START): Scenario {
  const random = seededRandom(seed);
  const onsetAt = new Date(start.getTime() + 2 * DAY_MS + 6 * HOUR_MS);
  const hourly: ScenarioEvent[] = [];
  for (let h = 0; h <= 12; h++) {
    const f = h / 12;
    const at = new Date(onsetAt.getTime() + h * HOUR_MS);
    const v = {
      systolic: Math.round(136 - 40 * f),
      diastolic: Math.round(82 - 20 * f),
      pulse: Math.round(70 + 56 * f),
      spo2: Math.round(96 - 8 * f),
      temperature: Math.round((36.8 + 2.6 * f) * 10) / 10,
      weight: 72,
    };
    hourly.push(...session(at, v, h === 0 ? ['bp', 'spo2', 'temperature', 'weight'] : ['bp', 'spo2', 'temperature']));
  }
  return {
    name: 'deteriorating-infection',
    description: 'over 12 hours: pulse 70 -> 126/min, 36.8 -> 39.4 °C, SpO2 96 -> 88 %, systolic 136 -> 96 mmHg, measured hourly',
    start,
    durationMs: 2 * DAY_MS + 20 * HOUR_MS,
    onsetAt,
    devices: ALL_DEVICES,
    rules: { monitoringSince: start.toISOString(), schedules: MORNING_SCHEDULES },
    expected: [{ rule: 'news2', audience: 'clinical', minSeverity: 'urgent', withinMs: 12 * HOUR_MS + 10 * 60_000 }],
    events: byTime([...dailyRoutine(random, start, 2, () => baselineVitals(random)), ...hourly]),
  };
}
