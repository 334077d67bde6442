/** Turning stored readings into samples, picking the ones a rule may use, and printing values. */
import { componentSpec, type VitalKind } from '../../../contract/index.js';
import type { ComponentKey, VitalSample } from './types.js';

/** The shape of a stored reading the rules need (the InfluxDB repository's rows fit it). */
export interface ReadingLike {
  readonly id: string;
  readonly kind: VitalKind;
  readonly measuredAt: string | Date;
  readonly components: readonly { readonly name: string; readonly value: number }[];
  readonly late?: boolean;
  readonly implausible?: boolean;
  /** 'manual': entered by a person. */
  readonly source?: 'device' | 'manual';
}

/**
 * One sample per component. A component outside the catalogue's plausible range is implausible even
 * when the stored flag is missing; a reading flagged implausible marks all its components (one bad
 * value makes the whole measurement suspect).
 */
export function samplesFromReadings(readings: readonly ReadingLike[]): VitalSample[] {
  const out: VitalSample[] = [];
  for (const r of readings) {
    const measuredAt = r.measuredAt instanceof Date ? r.measuredAt : new Date(r.measuredAt);
    if (Number.isNaN(measuredAt.getTime())) continue;
    for (const c of r.components) {
      if (!Number.isFinite(c.value)) continue;
      const range = componentSpec(r.kind, c.name)?.plausible;
      const outside = range !== undefined && (c.value < range.min || c.value > range.max);
      out.push({
        kind: r.kind,
        component: c.name,
        value: c.value,
        measuredAt,
        readingId: r.id,
        late: r.late === true,
        implausible: r.implausible === true || outside,
        ...(r.source === 'manual' && { source: 'manual' as const }),
      });
    }
  }
  return out;
}

export function componentKey(kind: VitalKind, component: string): ComponentKey {
  return `${kind}.${component}`;
}

export function splitKey(key: ComponentKey): { kind: VitalKind; component: string } {
  const dot = key.indexOf('.');
  return { kind: key.slice(0, dot) as VitalKind, component: key.slice(dot + 1) };
}

/** Readings measured more than this after `now` are treated as clock errors and ignored. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

export interface SampleFilter {
  readonly key: ComponentKey;
  /** Inclusive lower bound on measuredAt. */
  readonly from?: Date;
  readonly now: Date;
  /** late readings: 'exclude' (default), 'include', or 'only'. */
  readonly late?: 'exclude' | 'include' | 'only';
}

/**
 * Plausible samples per component key, oldest first, built once per samples array: one evaluation
 * selects from the same array some twenty times (thresholds, NEWS2, trends, baselines), and the
 * back-test runs hundreds of thousands of evaluations (measured: 3-5x faster evaluations). Keyed by
 * the array object; the length guards against an array that grew after it was indexed.
 */
const byKeyCache = new WeakMap<readonly VitalSample[], { length: number; byKey: Map<string, VitalSample[]> }>();

function plausibleByKey(samples: readonly VitalSample[]): Map<string, VitalSample[]> {
  const cached = byKeyCache.get(samples);
  if (cached && cached.length === samples.length) return cached.byKey;
  const byKey = new Map<string, VitalSample[]>();
  for (const s of samples) {
    if (s.implausible) continue;
    const key = `${s.kind}.${s.component}`;
    const list = byKey.get(key);
    if (list) list.push(s);
    else byKey.set(key, [s]);
  }
  for (const list of byKey.values()) list.sort((a, b) => a.measuredAt.getTime() - b.measuredAt.getTime());
  byKeyCache.set(samples, { length: samples.length, byKey });
  return byKey;
}

/** Plausible samples of one component, oldest first, never from the future. */
export function selectSamples(samples: readonly VitalSample[], filter: SampleFilter): VitalSample[] {
  const from = filter.from?.getTime() ?? -Infinity;
  const to = filter.now.getTime() + FUTURE_TOLERANCE_MS;
  const late = filter.late ?? 'exclude';
  const list = plausibleByKey(samples).get(filter.key) ?? [];
  return list.filter((s) => (late === 'include' || (late === 'only') === s.late) && s.measuredAt.getTime() >= from && s.measuredAt.getTime() <= to);
}

const UNIT_LABEL: Readonly<Record<string, string>> = { 'mm[Hg]': 'mmHg', Cel: '°C', '/min': '/min', '%': '%', kg: 'kg', 'mmol/L': 'mmol/L' };

const LABEL: Readonly<Record<string, string>> = {
  'blood_pressure.systolic': 'Systolic BP',
  'blood_pressure.diastolic': 'Diastolic BP',
  'blood_pressure.meanArterialPressure': 'Mean arterial pressure',
  'heart_rate.heartRate': 'Pulse',
  'spo2.spo2': 'SpO2',
  'body_temperature.temperature': 'Temperature',
  'body_weight.weight': 'Weight',
  'blood_glucose.glucose': 'Glucose',
  'respiratory_rate.respiratoryRate': 'Respiratory rate',
};

export function labelOf(key: ComponentKey): string {
  const { kind, component } = splitKey(key);
  return LABEL[key] ?? componentSpec(kind, component)?.display ?? key;
}

export function unitOf(key: ComponentKey): string {
  const { kind, component } = splitKey(key);
  const unit = componentSpec(kind, component)?.unit ?? '';
  return UNIT_LABEL[unit] ?? unit;
}

/** "192 mmHg", "37.9 °C", "3.4 mmol/L": at most one decimal, trailing zeros dropped. */
export function formatValue(key: ComponentKey, value: number): string {
  const rounded = Math.round(value * 10) / 10;
  const unit = unitOf(key);
  return unit === '%' ? `${rounded} %` : `${rounded} ${unit}`.trim();
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export function hoursBefore(now: Date, hours: number): Date {
  return new Date(now.getTime() - hours * HOUR_MS);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** `{ ...defaults, ...overrides }` where an override explicitly set to undefined keeps the default. */
export function withDefaults<T extends object>(defaults: T, overrides: Partial<T> | undefined): T {
  const out = { ...defaults };
  for (const [k, v] of Object.entries(overrides ?? {})) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
