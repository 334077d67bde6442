/**
 * From API answers to chart series: which resolution a period gets (every reading for up to a
 * week, hourly means to a month, daily beyond — server-side aggregation keeps long periods light),
 * aligned x/y arrays, and the alert bands of a component from the engine's effective thresholds.
 */
import type { EffectiveRules, Reading, Trends, VitalKind } from '../api/types.js';
import type { ChartBand, ChartSeries } from '../components/TimeChart.js';
import type { VitalView } from './vitals.js';

export type RangePreset = '24h' | '7d' | '30d' | '90d' | 'custom';
export type Resolution = 'raw' | '1h' | '1d';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export const PRESET_MS: Readonly<Record<Exclude<RangePreset, 'custom'>, number>> = { '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY, '90d': 90 * DAY };

export function resolutionFor(fromMs: number, toMs: number): Resolution {
  const span = toMs - fromMs;
  if (span <= 7 * DAY + HOUR) return 'raw';
  if (span <= 31 * DAY) return '1h';
  return '1d';
}

export interface SeriesData {
  readonly xs: number[];
  readonly series: ChartSeries[];
  /** Per point: the reading (raw resolution only), for the hover readout. */
  readonly readings: (Reading | undefined)[];
}

export function seriesFromReadings(readings: readonly Reading[], view: VitalView, label: (component: string) => string): SeriesData {
  const sorted = [...readings].sort((a, b) => (a.measuredAt < b.measuredAt ? -1 : a.measuredAt > b.measuredAt ? 1 : 0));
  return {
    xs: sorted.map((r) => new Date(r.measuredAt).getTime() / 1000),
    series: view.components.map((name) => ({ label: label(name), values: sorted.map((r) => r.components.find((c) => c.name === name)?.value ?? null) })),
    readings: sorted,
  };
}

export function seriesFromTrends(trends: Trends, view: VitalView, label: (component: string) => string): SeriesData {
  const buckets = trends.buckets.filter((b) => view.components.some((name) => b.values[name] !== undefined));
  return {
    xs: buckets.map((b) => new Date(b.start).getTime() / 1000),
    series: view.components.map((name) => ({ label: label(name), values: buckets.map((b) => b.values[name] ?? null) })),
    readings: buckets.map(() => undefined),
  };
}

/**
 * The first alerting band on each side of a component (where paging starts), as shaded y ranges.
 * `>=`/`>` bands shade up from their limit, `<=`/`<` down from it.
 */
export function bandsFor(rules: EffectiveRules | undefined, kind: VitalKind, components: readonly string[]): ChartBand[] {
  if (!rules) return [];
  const bands: ChartBand[] = [];
  for (const component of components) {
    const t = rules.thresholds.find((x) => x.key === `${kind}.${component}`);
    if (!t || t.disabled) continue;
    // Info bands (e.g. the home hypertension limit 135/85) inform but never page: not shaded.
    const high = t.high.filter((b) => b.severity !== 'info').map((b) => b.limit);
    const low = t.low.filter((b) => b.severity !== 'info').map((b) => b.limit);
    if (high.length > 0) bands.push({ from: Math.min(...high), to: Number.POSITIVE_INFINITY });
    if (low.length > 0) bands.push({ from: Number.NEGATIVE_INFINITY, to: Math.max(...low) });
  }
  return bands;
}

export function passiveFor(rules: EffectiveRules | undefined, toMs: number): { from: number; to: number }[] {
  return (rules?.passiveIntervals ?? []).map((p) => ({ from: new Date(p.from).getTime() / 1000, to: (p.to ? new Date(p.to).getTime() : toMs) / 1000 }));
}
