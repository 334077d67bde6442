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
 * The first alerting band on each side of each component (where paging starts), as shaded y
 * ranges with their limit. `>=`/`>` bands shade up from their limit, `<=`/`<` down from it. Each
 * band names the series (component) it belongs to, so a chart with two lines (blood pressure)
 * draws systolic's and diastolic's limits apart instead of as one overlapping shade.
 */
export function bandsFor(rules: EffectiveRules | undefined, kind: VitalKind, components: readonly string[]): ChartBand[] {
  if (!rules) return [];
  const bands: ChartBand[] = [];
  components.forEach((component, series) => {
    const t = rules.thresholds.find((x) => x.key === `${kind}.${component}`);
    if (!t || t.disabled) return;
    // Info bands (e.g. the home hypertension limit 135/85) inform but never page: not shaded.
    const high = t.high.filter((b) => b.severity !== 'info');
    const low = t.low.filter((b) => b.severity !== 'info');
    const first = <B extends { limit: number }>(xs: readonly B[], pick: (a: B, b: B) => B) => (xs.length > 0 ? xs.reduce(pick) : undefined);
    const h = first(high, (a, b) => (b.limit < a.limit ? b : a));
    const l = first(low, (a, b) => (b.limit > a.limit ? b : a));
    if (h) bands.push({ from: h.limit, to: Number.POSITIVE_INFINITY, series, component, op: h.op, limit: h.limit });
    if (l) bands.push({ from: Number.NEGATIVE_INFINITY, to: l.limit, series, component, op: l.op, limit: l.limit });
  });
  return bands;
}

/** "≥ 180": a band's limit as written beside its line and in the chart's caption. */
export function limitText(band: { readonly op?: ChartBand['op']; readonly limit: number }, format: (value: number) => string): string {
  const op = { '>=': '≥', '<=': '≤', '>': '>', '<': '<' }[band.op ?? '>='];
  return `${op} ${format(band.limit)}`;
}

/** The marks the caption uses for each series' limit lines (long dashes, dots), as drawn. */
export const LIMIT_MARKS = ['╌╌', '┈┈'] as const;

/**
 * Labels for the limit lines ("Systolic ≥ 180" on a two-line chart, "≤ 92" on a one-line one) and
 * the caption text per series ("╌╌ Systolic ≥ 180, ≤ 90"), so the limits can be read without the
 * canvas and without telling colours apart.
 */
export function labelBands(bands: readonly ChartBand[], seriesCount: number, name: (component: string) => string, format: (value: number) => string): { bands: ChartBand[]; caption: string[] } {
  const labelled = bands.map((b) => {
    if (b.limit === undefined) return b;
    const text = limitText({ op: b.op, limit: b.limit }, format);
    return { ...b, label: seriesCount > 1 && b.component ? `${name(b.component)} ${text}` : text };
  });
  const caption: string[] = [];
  for (let i = 0; i < seriesCount; i++) {
    const mine = labelled.filter((b) => (b.series ?? 0) === i && b.limit !== undefined);
    if (mine.length === 0) continue;
    const component = mine[0]!.component;
    const limits = mine.map((b) => limitText({ op: b.op, limit: b.limit! }, format)).join(', ');
    caption.push(`${LIMIT_MARKS[i % LIMIT_MARKS.length]} ${seriesCount > 1 && component ? `${name(component)} ` : ''}${limits}`);
  }
  return { bands: labelled, caption };
}

export function passiveFor(rules: EffectiveRules | undefined, toMs: number): { from: number; to: number }[] {
  return (rules?.passiveIntervals ?? []).map((p) => ({ from: new Date(p.from).getTime() / 1000, to: (p.to ? new Date(p.to).getTime() : toMs) / 1000 }));
}
