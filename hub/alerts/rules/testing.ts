/** Fixture builders for the rule tests (imported by *.test.ts only). */
import type { ComponentKey, PatientContext, VitalSample } from './types.js';
import { splitKey } from './samples.js';

export const at = (iso: string): Date => new Date(iso);

export const NOW = at('2026-01-14T12:00:00Z');

/** ms before NOW (or before `from`). */
export const hoursAgo = (h: number, from: Date = NOW): Date => new Date(from.getTime() - h * 3_600_000);
export const minutesAgo = (m: number, from: Date = NOW): Date => new Date(from.getTime() - m * 60_000);

let seq = 0;

export function sample(key: ComponentKey, value: number, measuredAt: Date, extra: Partial<VitalSample> = {}): VitalSample {
  const { kind, component } = splitKey(key);
  return { kind, component, value, measuredAt, readingId: `r${++seq}`, late: false, implausible: false, ...extra };
}

/** Samples of one component, oldest first, `stepMinutes` apart, the last one at `last` (default NOW). */
export function series(key: ComponentKey, values: readonly number[], stepMinutes: number, last: Date = NOW): VitalSample[] {
  return values.map((v, i) => sample(key, v, minutesAgo((values.length - 1 - i) * stepMinutes, last)));
}

export function context(extra: Partial<PatientContext> = {}): PatientContext {
  return { patientId: 'p-1', timeZone: 'Europe/Copenhagen', conditionGroups: [], hypercapnicRespiratoryFailure: false, ...extra };
}
