import { describe, expect, it } from 'vitest';
import { applyFinding } from '../lifecycle.js';
import { patientSubject, type AlertRecord } from '../model.js';
import type { PatientReading } from '../patient-readings.js';
import { contextFromConfig, patientStep } from '../patient-step.js';
import { historyNeededMs, scheduleLookbackMs, severityRank, type PatientContext, type VitalKind } from '../rules/index.js';
import { kindsByDevice } from '../home-status.js';
import { evaluationInstants, kindsInWindow, prepareReadings, replayConfigurations, replayPatient, type ReplayedAlert } from './replay.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const FROM = new Date('2026-03-20T00:00:00Z');
const TO = new Date(FROM.getTime() + 21 * DAY);
const PATIENT = { id: 'p-1', careTeamId: 't' };

let seed = 7;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const around = (mean: number, spread: number) => Math.round((mean + (random() - 0.5) * 2 * spread) * 10) / 10;

/**
 * Three weeks (and 16 days of history) of sessions that fire most rule families now and then: a
 * systolic that climbs, SpO2 and temperature that dip and spike (NEWS2, baselines), a weight gain,
 * days with no readings (schedules), a second cuff, an implausible reading and a late one.
 */
function month(): PatientReading[] {
  const out: PatientReading[] = [];
  let n = 0;
  const push = (kind: VitalKind, at: number, values: Record<string, number>, extra: Partial<PatientReading> = {}) =>
    out.push({ id: `r-${n++}`, kind, measuredAt: new Date(at), deviceId: extra.deviceId ?? `dev-${kind}`, gatewayId: 'home-1', components: Object.entries(values).map(([name, value]) => ({ name, value })), late: false, implausible: false, ...extra });
  for (let d = -16; d < 21; d++) {
    if (d === 4 || d === 11 || d === 12) continue; // nothing measured: schedules fall due
    const day = FROM.getTime() + d * DAY;
    const morning = day + 7.5 * HOUR + Math.round(random() * 40) * 60_000;
    const rising = d > 8 && d < 14 ? 30 : 0;
    push('body_weight', morning, { weight: around(72, 0.3) + (d > 15 ? 2.6 : 0) });
    push('blood_pressure', morning + 60_000, { systolic: around(138, 12) + rising, diastolic: around(82, 6) }, d % 5 === 0 ? { deviceId: 'cuff-2' } : {});
    push('heart_rate', morning + 60_000, { heartRate: around(72, 10) + (d === 17 ? 45 : 0) });
    push('spo2', morning + 120_000, { spo2: Math.round(around(95, 2)) - (d === 6 || d === 7 ? 6 : 0) });
    push('body_temperature', morning + 180_000, { temperature: around(36.8, 0.3) + (d === 7 ? 1.9 : 0) });
    push('blood_pressure', day + 18.5 * HOUR + Math.round(random() * 40) * 60_000, { systolic: around(134, 14) + rising, diastolic: around(80, 6) }, d === 3 ? { implausible: true } : d === 9 ? { late: true } : {});
  }
  return out.sort((a, b) => a.measuredAt.getTime() - b.measuredAt.getTime());
}

function context(json: unknown): PatientContext {
  const parsed = contextFromConfig({ id: PATIENT.id, careTeamId: PATIENT.careTeamId, displayName: 'P', conditionGroups: ['heart_failure'] }, json);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

/**
 * The replay the slow way, as the engine evaluates: per instant the readings of the history,
 * converted afresh, every rule evaluated, no configuration sharing anything with another.
 */
function reference(ctx: PatientContext, readings: readonly PatientReading[], tickMs: number): ReplayedAlert[] {
  const active = new Map<string, AlertRecord>();
  const opened = new Map<string, { ruleId: string; severity: ReplayedAlert['severity']; openedAt: Date; resolvedAt?: Date }>();
  let ids = 0;
  for (const t of evaluationInstants(readings, FROM, TO, tickMs)) {
    const now = new Date(t);
    const rows = readings.filter((r) => r.measuredAt.getTime() >= t - historyNeededMs(ctx) && r.measuredAt.getTime() <= t);
    let last: Partial<Record<VitalKind, Date>> | undefined;
    if (scheduleLookbackMs(ctx) > historyNeededMs(ctx)) {
      last = {};
      for (const r of readings) if (r.measuredAt.getTime() <= t && (ctx.schedules ?? []).some((s) => s.kind === r.kind)) last[r.kind] = r.measuredAt;
    }
    const step = patientStep(ctx, rows, undefined, now, last);
    const open = Object.fromEntries([...active.values()].map((a) => [a.ruleId, a.severity]));
    for (const f of step.evaluate(open)) {
      const tr = applyFinding(active.get(f.ruleId), f, { now, subjectKey: patientSubject(PATIENT.id), patientId: PATIENT.id, careTeamId: PATIENT.careTeamId, newId: () => `replay-${++ids}`, homeOffline: step.homeOffline });
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
  return [...opened.values()].map((o) => ({ patientId: PATIENT.id, ruleId: o.ruleId, severity: o.severity, openedAt: o.openedAt, ...(o.resolvedAt ? { resolvedAt: o.resolvedAt } : {}) }));
}

const without = (alerts: readonly ReplayedAlert[]) => alerts.map((a) => ({ ...a }));

describe('the replay: windows cut from the month, devices looked up, findings shared between configurations', () => {
  const readings = month();
  const configurations: Record<string, unknown> = {
    defaults: {},
    'lower systolic': { thresholds: { 'blood_pressure.systolic': { high: [{ op: '>=', limit: 150, severity: 'medium' }] } } },
    'a schedule': { schedules: [{ kind: 'blood_pressure', type: 'daily', by: '09:00' }] },
    'NEWS2 from 3': { news2: { fireFromTotal: 3 } },
    'tighter SpO2 baseline': { baselines: [{ key: 'spo2.spo2', days: 7, minCount: 4, method: 'absolute', threshold: 2, direction: 'low', severity: 'medium', maxAgeHours: 24 }] },
    'weight gain 1.5 kg': { weightGain: { gainKg: 1.5 } },
  };
  const expected = new Map(Object.entries(configurations).map(([name, json]) => [name, reference(context(json), readings, 120 * 60_000)]));

  it('alone, each configuration opens what the engine-style replay opens, and the month fires several families', () => {
    for (const [name, json] of Object.entries(configurations)) expect(without(replayPatient(PATIENT, context(json), readings, { from: FROM, to: TO, tickMs: 120 * 60_000 })), name).toEqual(expected.get(name));
    const families = new Set([...expected.values()].flat().map((a) => a.ruleId.split(':')[0]));
    for (const family of ['threshold', 'news2', 'baseline', 'trend', 'missing']) expect(families, family).toContain(family);
  });

  it('side by side with the defaults, every candidate still gets exactly its own alerts', () => {
    for (const [name, json] of Object.entries(configurations)) {
      const [current, candidate] = replayConfigurations(PATIENT, [context({}), context(json)], readings, { from: FROM, to: TO, tickMs: 120 * 60_000 });
      expect(without(current!), `defaults beside ${name}`).toEqual(expected.get('defaults'));
      expect(without(candidate!), name).toEqual(expected.get(name));
    }
  });

  it('three configurations at once, one of them twice, answer as three separate replays', () => {
    const jsons = [configurations['lower systolic'], configurations['NEWS2 from 3'], configurations['lower systolic']];
    const all = replayConfigurations(PATIENT, jsons.map(context), readings, { from: FROM, to: TO, tickMs: 120 * 60_000 });
    expect(all.map(without)).toEqual([expected.get('lower systolic'), expected.get('NEWS2 from 3'), expected.get('lower systolic')]);
  });
});

describe('kindsInWindow', () => {
  it('gives, for windows at random places, the devices, kinds and order kindsByDevice counts from the readings', () => {
    const readings = month();
    const prepared = prepareReadings(readings);
    for (let i = 0; i < 200; i++) {
      const start = Math.floor(random() * readings.length);
      const end = start + Math.floor(random() * (readings.length - start + 1));
      expect([...kindsInWindow(prepared, start, end)]).toEqual([...kindsByDevice(readings.slice(start, end))]);
    }
  });
});
