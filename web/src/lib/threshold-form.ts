/**
 * The back-test's form for the common thresholds, over the same JSON document the rules editor
 * edits (PUT /patients/{id}/alert-rules; docs/alerts.md §7). Pure: a config in, a new config out,
 * so the form and the JSON editor can never disagree about what is sent.
 */
export type Config = Readonly<Record<string, unknown>>;
export type Side = 'high' | 'low';
export interface Band {
  readonly op: string;
  readonly limit: number;
  readonly severity: string;
}

/** The fields of the form: the thresholds teams tune most (issue #14). */
export const COMMON_THRESHOLDS = [
  { id: 'systolicHigh', key: 'blood_pressure.systolic', side: 'high', op: '>=', unit: 'mmHg' },
  { id: 'systolicLow', key: 'blood_pressure.systolic', side: 'low', op: '<', unit: 'mmHg' },
  { id: 'spo2Low', key: 'spo2.spo2', side: 'low', op: '<', unit: '%' },
] as const satisfies readonly { id: string; key: string; side: Side; op: string; unit: string }[];

export type ThresholdField = (typeof COMMON_THRESHOLDS)[number];

function isBand(b: unknown): b is Band {
  const x = b as Partial<Band> | null;
  return typeof x === 'object' && x !== null && typeof x.op === 'string' && typeof x.limit === 'number' && typeof x.severity === 'string';
}

const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** The bands of one side: the document's own where it has them, else the seed (the patient's effective bands). */
export function bandsOf(config: Config, key: string, side: Side, seed: readonly Band[] = []): readonly Band[] {
  const own = record(record(config.thresholds)[key])[side];
  return Array.isArray(own) ? own.filter(isBand) : seed;
}

/** The band that fires first: the lowest high limit, or the highest low limit. */
export function firstBand(bands: readonly Band[], side: Side): Band | undefined {
  let best: Band | undefined;
  for (const b of bands) if (!best || (side === 'high' ? b.limit < best.limit : b.limit > best.limit)) best = b;
  return best;
}

/**
 * The config with the first-firing band of one side moved to `limit` with `severity`; the other
 * bands are kept. A side given in the document replaces the defaults entirely (§7), so a side the
 * document does not have yet starts from the seed, lest the urgent bands silently disappear.
 * Moving it past the next band is refused (that band would then alert first, and the form would
 * show a different band than the one typed): the JSON editor changes several bands at once.
 */
export function withFirstBand(config: Config, field: ThresholdField, limit: number, severity: string, seed: readonly Band[] = []): { ok: true; config: Config } | { ok: false; next: Band } {
  const bands = [...bandsOf(config, field.key, field.side, seed)];
  const first = firstBand(bands, field.side);
  const others = bands.filter((b) => b !== first);
  const next = firstBand(others, field.side);
  if (next && (field.side === 'high' ? limit >= next.limit : limit <= next.limit)) return { ok: false, next };
  const moved: Band[] = [...others, first ? { op: first.op, limit, severity } : { op: field.op, limit, severity }];
  moved.sort((a, b) => a.limit - b.limit);
  const thresholds = record(config.thresholds);
  return { ok: true, config: { ...config, thresholds: { ...thresholds, [field.key]: { ...record(thresholds[field.key]), [field.side]: moved } } } };
}

/** Weight gain (trend rule, §3): the gain in kg that alerts, and within how many hours. */
export function weightGainOf(config: Config): { gainKg?: number; windowHours?: number } {
  const w = record(config.weightGain);
  return { ...(typeof w.gainKg === 'number' && { gainKg: w.gainKg }), ...(typeof w.windowHours === 'number' && { windowHours: w.windowHours }) };
}

export function withWeightGain(config: Config, gainKg: number | undefined, windowHours: number | undefined): Config {
  const w: Record<string, unknown> = { ...record(config.weightGain) };
  if (gainKg === undefined) delete w.gainKg;
  else w.gainKg = gainKg;
  if (windowHours === undefined) delete w.windowHours;
  else w.windowHours = windowHours;
  const rest: Record<string, unknown> = { ...config };
  if (Object.keys(w).length === 0) delete rest.weightGain;
  else rest.weightGain = w;
  return rest;
}

/** The JSON editor's text as a config, or why not. */
export function parseConfig(text: string): { ok: true; config: Config } | { ok: false; reason: string } {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, reason: 'not an object' };
    return { ok: true, config: v as Config };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}
