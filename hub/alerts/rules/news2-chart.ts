/**
 * The NEWS2 scoring chart as data.
 * Source: Royal College of Physicians. National Early Warning Score (NEWS) 2: Standardising the
 * assessment of acute-illness severity in the NHS. Updated report of a working party. London: RCP,
 * 2017. Chart 1 (the NEWS2 scoring system) and Chart 2 (thresholds and triggers).
 *
 * Each row is "value <= max scores score", tried in order; the last row of each table is the
 * open-ended top band. Values are first rounded to the chart's resolution (whole numbers, and
 * 0.1 °C for temperature), as a nurse would chart them.
 */
import type { Acvpu } from './types.js';

export type News2Score = 0 | 1 | 2 | 3;

export interface ChartRow {
  readonly max: number;
  readonly score: News2Score;
}

export { NEWS2_PARAMETERS, type News2Parameter } from '../../../contract/index.js';

// Respiration rate (per minute): <=8 -> 3 | 9-11 -> 1 | 12-20 -> 0 | 21-24 -> 2 | >=25 -> 3
export const RESPIRATION_RATE: readonly ChartRow[] = [
  { max: 8, score: 3 },
  { max: 11, score: 1 },
  { max: 20, score: 0 },
  { max: 24, score: 2 },
  { max: Infinity, score: 3 },
];

// SpO2 Scale 1 (%): <=91 -> 3 | 92-93 -> 2 | 94-95 -> 1 | >=96 -> 0
export const SPO2_SCALE_1: readonly ChartRow[] = [
  { max: 91, score: 3 },
  { max: 93, score: 2 },
  { max: 95, score: 1 },
  { max: Infinity, score: 0 },
];

// SpO2 Scale 2 (%), for hypercapnic respiratory failure with a prescribed 88-92 % target, on air:
// <=83 -> 3 | 84-85 -> 2 | 86-87 -> 1 | 88-92 -> 0 | >=93 on air -> 0
export const SPO2_SCALE_2_AIR: readonly ChartRow[] = [
  { max: 83, score: 3 },
  { max: 85, score: 2 },
  { max: 87, score: 1 },
  { max: Infinity, score: 0 },
];

// SpO2 Scale 2 on oxygen: as on air up to 92, then 93-94 -> 1 | 95-96 -> 2 | >=97 -> 3 (over-oxygenation)
export const SPO2_SCALE_2_OXYGEN: readonly ChartRow[] = [
  { max: 83, score: 3 },
  { max: 85, score: 2 },
  { max: 87, score: 1 },
  { max: 92, score: 0 },
  { max: 94, score: 1 },
  { max: 96, score: 2 },
  { max: Infinity, score: 3 },
];

// Air or oxygen: oxygen -> 2 | air -> 0
export const AIR_OR_OXYGEN_SCORE = { oxygen: 2, air: 0 } as const satisfies Record<string, News2Score>;

// Systolic blood pressure (mmHg): <=90 -> 3 | 91-100 -> 2 | 101-110 -> 1 | 111-219 -> 0 | >=220 -> 3
export const SYSTOLIC_BP: readonly ChartRow[] = [
  { max: 90, score: 3 },
  { max: 100, score: 2 },
  { max: 110, score: 1 },
  { max: 219, score: 0 },
  { max: Infinity, score: 3 },
];

// Pulse (per minute): <=40 -> 3 | 41-50 -> 1 | 51-90 -> 0 | 91-110 -> 1 | 111-130 -> 2 | >=131 -> 3
export const PULSE: readonly ChartRow[] = [
  { max: 40, score: 3 },
  { max: 50, score: 1 },
  { max: 90, score: 0 },
  { max: 110, score: 1 },
  { max: 130, score: 2 },
  { max: Infinity, score: 3 },
];

// Consciousness: Alert -> 0 | new Confusion, Voice, Pain, Unresponsive -> 3
export const CONSCIOUSNESS: Readonly<Record<Acvpu, News2Score>> = { A: 0, C: 3, V: 3, P: 3, U: 3 };

// Temperature (°C): <=35.0 -> 3 | 35.1-36.0 -> 1 | 36.1-38.0 -> 0 | 38.1-39.0 -> 1 | >=39.1 -> 2
export const TEMPERATURE: readonly ChartRow[] = [
  { max: 35.0, score: 3 },
  { max: 36.0, score: 1 },
  { max: 38.0, score: 0 },
  { max: 39.0, score: 1 },
  { max: Infinity, score: 2 },
];

/** Rounds half up to the chart's resolution; the epsilon keeps 35.05 from becoming 35.0 in binary. */
export function roundTo(value: number, resolution: number): number {
  const steps = Math.round(value / resolution + 1e-9);
  return resolution < 1 ? Number((steps * resolution).toFixed(1)) : steps * resolution;
}

export function scoreFromChart(chart: readonly ChartRow[], value: number, resolution = 1): News2Score {
  const v = roundTo(value, resolution);
  for (const row of chart) if (v <= row.max) return row.score;
  return chart.at(-1)?.score ?? 0;
}

export type SpO2Scale = 1 | 2;

export function scoreSpO2(value: number, scale: SpO2Scale, onOxygen: boolean): News2Score {
  if (scale === 1) return scoreFromChart(SPO2_SCALE_1, value);
  return scoreFromChart(onOxygen ? SPO2_SCALE_2_OXYGEN : SPO2_SCALE_2_AIR, value);
}

export type News2Risk = 'low' | 'low-medium' | 'medium' | 'high';

/**
 * RCP Chart 2: aggregate 0-4 -> low; a 3 in any single parameter -> low-medium ("red score", urgent
 * ward-based response); 5-6 -> medium (key threshold for urgent response); >= 7 -> high (emergency).
 */
export function news2Risk(total: number, redScore: boolean): News2Risk {
  if (total >= 7) return 'high';
  if (total >= 5) return 'medium';
  return redScore ? 'low-medium' : 'low';
}
