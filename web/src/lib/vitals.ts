/**
 * How clinicians read each vital: which components a chart shows, the unit as they write it
 * (mmHg, not UCUM's mm[Hg]), and decimals. Kind and component names are the API's.
 */
import type { VitalKind } from '../api/types.js';

export interface VitalView {
  readonly kind: VitalKind;
  /** Components drawn and shown, in order (blood pressure: systolic over diastolic). */
  readonly components: readonly string[];
  readonly unit: string;
  readonly decimals: number;
}

export const VITAL_VIEWS: readonly VitalView[] = [
  { kind: 'blood_pressure', components: ['systolic', 'diastolic'], unit: 'mmHg', decimals: 0 },
  { kind: 'spo2', components: ['spo2'], unit: '%', decimals: 0 },
  { kind: 'heart_rate', components: ['heartRate'], unit: '/min', decimals: 0 },
  { kind: 'body_temperature', components: ['temperature'], unit: '°C', decimals: 1 },
  { kind: 'body_weight', components: ['weight'], unit: 'kg', decimals: 1 },
  { kind: 'blood_glucose', components: ['glucose'], unit: 'mmol/L', decimals: 1 },
  { kind: 'respiratory_rate', components: ['respiratoryRate'], unit: '/min', decimals: 0 },
];

export function viewOf(kind: VitalKind): VitalView {
  return VITAL_VIEWS.find((v) => v.kind === kind) ?? { kind, components: [], unit: '', decimals: 1 };
}

/** UCUM codes the API sends, as clinicians write them. */
export function clinicalUnit(ucum: string): string {
  switch (ucum) {
    case 'mm[Hg]':
      return 'mmHg';
    case 'Cel':
      return '°C';
    default:
      return ucum;
  }
}

/** The vital kind a rule id is about (`threshold:blood_pressure.systolic` → blood_pressure), if any. */
export function kindOfRule(rule: string): VitalKind | undefined {
  const match = /^[a-z0-9_-]+:([a-z_0-9]+)/.exec(rule);
  const kind = match?.[1];
  return VITAL_VIEWS.find((v) => v.kind === kind)?.kind;
}
