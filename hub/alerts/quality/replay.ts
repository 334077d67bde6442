/**
 * Replays one patient's stored readings through the engine's own evaluation step (patient-step.ts)
 * and lifecycle (applyFinding), in memory, as if the engine had run live with a given configuration:
 *
 * - it evaluates when each measuring session arrives (readings less than SESSION_GAP_MS apart are
 *   one session, uploaded together, evaluated once at the last of them) and on a timer every
 *   `tickMs` from `from` (the live engine's timer runs every 5 minutes; a coarser tick finds a
 *   missed slot or an all-clear by ageing up to one tick later);
 * - at an instant t it hands the rules the readings measured in [t - historyNeededMs, t], newest
 *   MAX_PER_KIND per kind, as the engine reads them from InfluxDB;
 * - nobody acknowledges, snoozes or resolves: alerts close only when the rules clear them; the
 *   home's gateway state of the past is not known, so no alert is muted.
 *
 * Pure apart from the clock of the deadline check: the caller passes readings in and gets the
 * alerts that would have been opened.
 */
import type { PatientSummary } from '../../registry/registry.js';
import { applyFinding } from '../lifecycle.js';
import { patientSubject, type AlertRecord } from '../model.js';
import { MAX_PER_KIND, type PatientReading } from '../patient-readings.js';
import { patientStep } from '../patient-step.js';
import { historyNeededMs, SampleSeries, samplesFromReadings, scheduleLookbackMs, severityRank, type PatientContext, type SharedFindings, type VitalKind, type VitalSample } from '../rules/index.js';
import type { AlertSeverity } from '../../../contract/index.js';

export const SESSION_GAP_MS = 15 * 60_000;

export interface ReplayedAlert {
  readonly patientId: string;
  readonly ruleId: string;
  /** The highest it reached. */
  readonly severity: AlertSeverity;
  readonly openedAt: Date;
  /** When the rules cleared it; undefined: still open at the end of the period. */
  readonly resolvedAt?: Date;
}

/** Session ends within [from, to] and timer instants from + k·tickMs, sorted, without duplicates. */
export function evaluationInstants(readings: readonly PatientReading[], from: Date, to: Date, tickMs: number): number[] {
  const out = new Set<number>();
  for (let t = from.getTime(); t <= to.getTime(); t += tickMs) out.add(t);
  for (let i = 0; i < readings.length; i++) {
    const t = readings[i]!.measuredAt.getTime();
    const next = readings[i + 1]?.measuredAt.getTime();
    if (next !== undefined && next - t < SESSION_GAP_MS) continue;
    if (t >= from.getTime() && t <= to.getTime()) out.add(t);
  }
  return [...out].sort((a, b) => a - b);
}

/** First index with measuredAt >= t (readings sorted by measuredAt). */
function lowerBound(readings: readonly PatientReading[], t: number): number {
  let lo = 0;
  let hi = readings.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (readings[mid]!.measuredAt.getTime() < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** What the engine's InfluxDB query returns: at most the newest MAX_PER_KIND readings of each kind. */
function capPerKind(window: readonly PatientReading[]): readonly PatientReading[] {
  if (window.length <= MAX_PER_KIND) return window;
  const seen = new Map<VitalKind, number>();
  const keep: PatientReading[] = [];
  for (let i = window.length - 1; i >= 0; i--) {
    const r = window[i]!;
    const n = seen.get(r.kind) ?? 0;
    if (n >= MAX_PER_KIND) continue;
    seen.set(r.kind, n + 1);
    keep.push(r);
  }
  return keep.reverse();
}

/**
 * A patient's readings made ready for replaying: turned into samples once (with where each
 * reading's samples start), so that an instant's window of samples is a cut, not a conversion; and
 * where each device delivered each kind, so that an instant's devices are looked up, not counted.
 * The current and the candidate configuration replay the same prepared readings.
 */
export interface PreparedReadings {
  readonly readings: readonly PatientReading[];
  readonly series: SampleSeries;
  /** starts[i]: index in series.samples of reading i's first sample; starts[readings.length]: their count. */
  readonly starts: Int32Array;
  /** Per device and kind, in order of first delivery: the indices of its readings, ascending. */
  readonly deliveries: readonly { readonly deviceId: string; readonly kind: VitalKind; readonly at: readonly number[] }[];
}

export function prepareReadings(readings: readonly PatientReading[]): PreparedReadings {
  const starts = new Int32Array(readings.length + 1);
  const samples: VitalSample[] = [];
  const byPair = new Map<string, { deviceId: string; kind: VitalKind; at: number[] }>();
  for (let i = 0; i < readings.length; i++) {
    const r = readings[i]!;
    starts[i] = samples.length;
    for (const s of samplesFromReadings([r])) samples.push(s);
    const pair = `${r.deviceId}\n${r.kind}`;
    const d = byPair.get(pair);
    if (d) d.at.push(i);
    else byPair.set(pair, { deviceId: r.deviceId, kind: r.kind, at: [i] });
  }
  starts[readings.length] = samples.length;
  return { readings, series: new SampleSeries(samples), starts, deliveries: [...byPair.values()] };
}

/** kindsByDevice(readings.slice(start, end)), from the prepared deliveries: same devices, kinds and order. */
export function kindsInWindow(prepared: PreparedReadings, start: number, end: number): Map<string, VitalKind[]> {
  const present: { first: number; deviceId: string; kind: VitalKind }[] = [];
  for (const d of prepared.deliveries) {
    const first = lowerBoundIndex(d.at, start);
    if (first < d.at.length && d.at[first]! < end) present.push({ first: d.at[first]!, deviceId: d.deviceId, kind: d.kind });
  }
  present.sort((a, b) => a.first - b.first);
  const out = new Map<string, VitalKind[]>();
  for (const p of present) {
    const kinds = out.get(p.deviceId);
    if (kinds) kinds.push(p.kind);
    else out.set(p.deviceId, [p.kind]);
  }
  return out;
}

function lowerBoundIndex(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface ReplayOptions {
  readonly from: Date;
  readonly to: Date;
  readonly tickMs: number;
  /** Called every few hundred evaluations; throws to stop (deadline, cancellation). */
  readonly checkpoint?: () => void;
}

interface ConfigState {
  readonly context: PatientContext;
  readonly history: number;
  readonly needLast: boolean;
  readonly active: Map<string, AlertRecord>;
  readonly opened: Map<string, { ruleId: string; severity: AlertSeverity; openedAt: Date; resolvedAt?: Date }>;
}

/**
 * The alerts the engine would have opened for this patient in [from, to]. `readings`: the patient's
 * readings measured in [from - historyNeededMs(context), to], oldest first.
 */
export function replayPatient(
  patient: Pick<PatientSummary, 'id' | 'careTeamId'>,
  context: PatientContext,
  input: readonly PatientReading[] | PreparedReadings,
  options: ReplayOptions,
): ReplayedAlert[] {
  return replayConfigurations(patient, [context], input, options)[0]!;
}

/**
 * replayPatient for several configurations of one patient at once (the current and the candidate):
 * the same instants, and per instant one window of samples and devices for the configurations that
 * need the same history. Each configuration's alerts are its own, as if replayed alone.
 */
export function replayConfigurations(
  patient: Pick<PatientSummary, 'id' | 'careTeamId'>,
  contexts: readonly PatientContext[],
  input: readonly PatientReading[] | PreparedReadings,
  options: ReplayOptions,
): ReplayedAlert[][] {
  const prepared = 'series' in input ? input : prepareReadings(input);
  const { readings, series, starts } = prepared;
  const subjectKey = patientSubject(patient.id);
  const states: ConfigState[] = contexts.map((context) => ({
    context,
    history: historyNeededMs(context),
    needLast: scheduleLookbackMs(context) > historyNeededMs(context),
    active: new Map(),
    opened: new Map(),
  }));
  let ids = 0;
  let evaluations = 0;
  for (const t of evaluationInstants(readings, options.from, options.to, options.tickMs)) {
    const now = new Date(t);
    const end = lowerBound(readings, t + 1);
    // This instant's window per history length (the configurations usually share one).
    const windows = new Map<number, { rows: readonly PatientReading[]; prepared: { samples: VitalSample[]; kinds?: Map<string, VitalKind[]> }; shared: SharedFindings }>();
    for (const state of states) {
      if (++evaluations % 256 === 0) options.checkpoint?.();
      const { context } = state;
      let w = windows.get(state.history);
      if (!w) {
        const start = lowerBound(readings, t - state.history);
        const window = readings.slice(start, end);
        const rows = capPerKind(window);
        // Capped (a flooding device): convert what is left, as the engine would.
        w = rows === window ? { rows, prepared: { samples: series.window(starts[start]!, starts[end]!), kinds: kindsInWindow(prepared, start, end) }, shared: new Map() } : { rows, prepared: { samples: samplesFromReadings(rows) }, shared: new Map() };
        windows.set(state.history, w);
      }
      let lastReadingAt: Partial<Record<VitalKind, Date>> | undefined;
      if (state.needLast) {
        lastReadingAt = {};
        const kinds = new Set((context.schedules ?? []).map((s) => s.kind));
        for (let i = end - 1; i >= 0 && kinds.size > 0; i--) {
          const r = readings[i]!;
          if (kinds.delete(r.kind)) lastReadingAt[r.kind] = r.measuredAt;
        }
      }
      const step = patientStep(context, w.rows, undefined, now, lastReadingAt, {}, undefined, w.prepared);
      const { active, opened } = state;
      const open: Record<string, AlertSeverity> = {};
      for (const a of active.values()) open[a.ruleId] = a.severity;
      for (const finding of step.evaluate(open, states.length > 1 ? w.shared : undefined)) {
        const current = active.get(finding.ruleId);
        const tr = applyFinding(current, finding, {
          now,
          subjectKey,
          patientId: patient.id,
          careTeamId: patient.careTeamId,
          newId: () => `replay-${++ids}`,
          homeOffline: step.homeOffline,
        });
        if (!tr) continue;
        const a = tr.alert;
        if (a.state === 'resolved') {
          active.delete(a.ruleId);
          const o = opened.get(a.id);
          if (o) o.resolvedAt = now;
        } else {
          active.set(a.ruleId, a);
          const o = opened.get(a.id);
          if (!o) opened.set(a.id, { ruleId: a.ruleId, severity: a.severity, openedAt: a.openedAt });
          else if (severityRank(a.severity) > severityRank(o.severity)) o.severity = a.severity;
        }
      }
    }
  }
  return states.map((state) =>
    [...state.opened.values()].map((o) => ({ patientId: patient.id, ruleId: o.ruleId, severity: o.severity, openedAt: o.openedAt, ...(o.resolvedAt ? { resolvedAt: o.resolvedAt } : {}) })),
  );
}
