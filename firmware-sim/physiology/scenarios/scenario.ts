/**
 * A scenario is a resident's story as a timeline: what the devices measure and when, what the box
 * does (power loss: the broker sends its Last Will), and which alert a care team should get and
 * how soon. Timelines are plain data made from a seed, so they replay identically in accelerated
 * time (firmware-sim/scenario-runner.ts) and in tests. Times are UTC; the home is in Copenhagen,
 * and scenarios start in winter (CET, UTC+1) so that "07:30 UTC" is "08:30 at home".
 */
import type { AlertSeverity, DeviceState, VitalKind } from '../../../contract/index.js';
import { gaussian, seededRandom } from '../random.js';

export type ScenarioEvent =
  | { readonly type: 'reading'; readonly at: Date; readonly kind: VitalKind; readonly deviceId: string; readonly values: Readonly<Record<string, number>> }
  /** The box loses power: no DISCONNECT; the broker publishes the gateway's Last Will; nothing more comes. */
  | { readonly type: 'power_loss'; readonly at: Date }
  /** The box reports its devices (presence, battery). */
  | { readonly type: 'devices'; readonly at: Date; readonly devices: readonly DeviceState[] };

export interface ExpectedAlert {
  /** Rule id, e.g. threshold:blood_pressure.systolic, news2, missing:body_weight, gateway_offline. */
  readonly rule: string;
  readonly audience: 'clinical' | 'technical';
  /** For missing readings: the likely cause the alert must name. */
  readonly cause?: string;
  /** The alert must reach at least this severity ... */
  readonly minSeverity: AlertSeverity;
  /** ... within this long after `onsetAt`. */
  readonly withinMs: number;
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly start: Date;
  readonly durationMs: number;
  /** When the deterioration (or failure) begins; expectations count from here. */
  readonly onsetAt?: Date;
  readonly devices: readonly { readonly deviceId: string; readonly kinds: readonly VitalKind[] }[];
  /** The patient's rule configuration (hub/alerts/rules/config.ts PatientRuleConfig JSON). */
  readonly rules: Readonly<Record<string, unknown>>;
  /** [] = the care team must not be paged at all. */
  readonly expected: readonly ExpectedAlert[];
  /** Sorted by time. */
  readonly events: readonly ScenarioEvent[];
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Monday 5 January 2026, 00:00 UTC: winter time in Denmark. */
export const DEFAULT_START = new Date('2026-01-05T00:00:00Z');

export const DEVICES = {
  cuff: { deviceId: 'sn-sim-cuff-1', kinds: ['blood_pressure', 'heart_rate'] },
  oximeter: { deviceId: 'sn-sim-oxi-1', kinds: ['spo2'] },
  thermometer: { deviceId: 'sn-sim-thermo-1', kinds: ['body_temperature'] },
  scale: { deviceId: 'sn-sim-scale-1', kinds: ['body_weight'] },
} as const satisfies Record<string, { deviceId: string; kinds: readonly VitalKind[] }>;

export const ALL_DEVICES = Object.values(DEVICES);

/** What the resident is expected to measure: everything each morning by 10:00, as OpenTele schedules. */
export const MORNING_SCHEDULES = [
  { kind: 'body_weight', type: 'daily', by: '10:00' },
  { kind: 'blood_pressure', type: 'daily', by: '10:00' },
] as const;

export interface Vitals {
  readonly systolic: number;
  readonly diastolic: number;
  readonly pulse: number;
  readonly spo2: number;
  readonly temperature: number;
  readonly weight: number;
}

/** A healthy baseline with scatter kept inside what home monitoring shows day to day (±2.5 SD). */
export function baselineVitals(random: () => number, base: Partial<Vitals> = {}): Vitals {
  const clamp = (v: number, mean: number, sd: number) => Math.min(mean + 2.5 * sd, Math.max(mean - 2.5 * sd, v));
  const g = (mean: number, sd: number) => clamp(gaussian(random, mean, sd), mean, sd);
  const m = { systolic: 136, diastolic: 82, pulse: 70, spo2: 96, temperature: 36.7, weight: 72, ...base };
  return {
    systolic: Math.round(g(m.systolic, 5)),
    diastolic: Math.round(g(m.diastolic, 4)),
    pulse: Math.round(g(m.pulse, 3.5)),
    spo2: Math.round(g(m.spo2, 0.5)),
    temperature: Math.round(g(m.temperature, 0.12) * 10) / 10,
    weight: Math.round(g(m.weight, 0.2) * 10) / 10,
  };
}

/** The readings of one measuring session at `at` (a few seconds apart, as a resident goes device by device). */
export function session(at: Date, v: Vitals, which: readonly ('bp' | 'spo2' | 'temperature' | 'weight')[] = ['bp', 'spo2', 'temperature', 'weight']): ScenarioEvent[] {
  const t = (s: number) => new Date(at.getTime() + s * 1000);
  const out: ScenarioEvent[] = [];
  if (which.includes('weight')) out.push({ type: 'reading', at: t(0), kind: 'body_weight', deviceId: DEVICES.scale.deviceId, values: { weight: v.weight } });
  if (which.includes('bp')) {
    const map = Math.round(v.diastolic + (v.systolic - v.diastolic) / 3);
    out.push({ type: 'reading', at: t(60), kind: 'blood_pressure', deviceId: DEVICES.cuff.deviceId, values: { systolic: v.systolic, diastolic: v.diastolic, meanArterialPressure: map } });
    out.push({ type: 'reading', at: t(60), kind: 'heart_rate', deviceId: DEVICES.cuff.deviceId, values: { heartRate: v.pulse } });
  }
  if (which.includes('spo2')) out.push({ type: 'reading', at: t(120), kind: 'spo2', deviceId: DEVICES.oximeter.deviceId, values: { spo2: v.spo2 } });
  if (which.includes('temperature')) out.push({ type: 'reading', at: t(180), kind: 'body_temperature', deviceId: DEVICES.thermometer.deviceId, values: { temperature: v.temperature } });
  return out;
}

/** Morning session around 07:30 UTC (08:30 at home) and an evening blood pressure around 18:30 UTC, each day. */
export function dailyRoutine(random: () => number, from: Date, days: number, vitals: (day: number, at: Date) => Vitals): ScenarioEvent[] {
  const out: ScenarioEvent[] = [];
  for (let d = 0; d < days; d++) {
    const day = from.getTime() + d * DAY_MS;
    const morning = new Date(day + 7.5 * HOUR_MS + Math.round(random() * 20) * 60_000);
    out.push(...session(morning, vitals(d, morning)));
    const evening = new Date(day + 18.5 * HOUR_MS + Math.round(random() * 30) * 60_000);
    out.push(...session(evening, vitals(d, evening), ['bp']));
  }
  return out;
}

export function byTime(events: readonly ScenarioEvent[]): ScenarioEvent[] {
  return [...events].sort((a, b) => a.at.getTime() - b.at.getTime());
}

export { seededRandom };
