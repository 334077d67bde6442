import { describe, it, expect } from 'vitest';
import { evaluateImplausible } from './data-quality.js';
import { evaluatePatient, historyNeededMs } from './evaluate.js';
import { samplesFromReadings } from './samples.js';
import { OPENTELE_COLOUR, isPaging, maxSeverity } from './severity.js';
import { NOW, context, hoursAgo, minutesAgo, sample } from './testing.js';
import type { PatientContext } from './types.js';

/** Heart failure and COPD (scale 2), weighs daily by 10:00, lives alone near Skive. */
const patient: PatientContext = context({
  conditionGroups: ['heart_failure', 'copd'],
  hypercapnicRespiratoryFailure: true,
  schedules: [
    { kind: 'body_weight', type: 'daily', by: '10:00' },
    { kind: 'spo2', type: 'daily', by: '10:00' },
  ],
});

describe('evaluatePatient', () => {
  it('runs every rule and returns findings sorted by rule id', () => {
    const samples = [
      sample('body_weight.weight', 80, hoursAgo(50)),
      sample('body_weight.weight', 82.3, minutesAgo(200)),
      sample('spo2.spo2', 83, minutesAgo(10)),
      sample('heart_rate.heartRate', 118, minutesAgo(10)),
      sample('blood_pressure.systolic', 400, minutesAgo(10), { implausible: true }),
    ];
    const findings = evaluatePatient({ context: patient, samples, assisted: { onOxygen: { value: false, at: minutesAgo(10) } } }, NOW);
    expect(findings.map((f) => [f.ruleId, f.audience, f.severity, f.condition])).toEqual([
      ['implausible:blood_pressure', 'technical', 'low', 'firing'],
      ['news2', 'clinical', 'high', 'firing'],
      ['threshold:heart_rate.heartRate', 'clinical', 'low', 'firing'],
      ['threshold:spo2.spo2', 'clinical', 'high', 'firing'],
      ['trend:weight_gain', 'clinical', 'medium', 'firing'],
    ]);
  });

  it('reports missing readings and clears what was open', () => {
    const findings = evaluatePatient(
      { context: patient, samples: [sample('spo2.spo2', 90, minutesAgo(5))], open: { 'threshold:spo2.spo2': 'medium', 'news2': 'high' } },
      NOW,
    );
    expect(findings.map((f) => [f.ruleId, f.condition])).toEqual([
      ['missing:body_weight', 'firing'],
      ['news2', 'cleared'],
      ['threshold:spo2.spo2', 'cleared'],
    ]);
  });

  it('returns nothing at all while passive', () => {
    const ctx = { ...patient, passiveIntervals: [{ from: hoursAgo(100), reason: 'hospital' }] };
    expect(evaluatePatient({ context: ctx, samples: [sample('spo2.spo2', 70, NOW)], open: { news2: 'urgent' } }, NOW)).toEqual([]);
  });

  it('is deterministic: same input, same output', () => {
    const input = { context: patient, samples: [sample('spo2.spo2', 84, minutesAgo(10))] };
    expect(evaluatePatient(input, NOW)).toEqual(evaluatePatient(input, NOW));
  });

  it('tells the engine how much history to fetch', () => {
    expect(historyNeededMs(context())).toBe(15 * 24 * 3_600_000);
    expect(historyNeededMs(context({ baselines: [] }))).toBe(72 * 3_600_000);
    expect(historyNeededMs(context({ baselines: [], conditionGroups: ['heart_failure'], weightGain: { windowHours: 120 } }))).toBe(168 * 3_600_000);
  });
});

describe('samplesFromReadings', () => {
  it('one sample per component; implausible by stored flag or by the catalogue range', () => {
    const samples = samplesFromReadings([
      {
        id: 'bp-1',
        kind: 'blood_pressure',
        measuredAt: '2026-01-14T11:00:00.000Z',
        components: [
          { name: 'systolic', value: 140 },
          { name: 'diastolic', value: 85 },
        ],
      },
      { id: 'w-1', kind: 'body_weight', measuredAt: new Date('2026-01-14T07:00:00Z'), components: [{ name: 'weight', value: 4 }], late: true },
      { id: 'x', kind: 'spo2', measuredAt: 'not a date', components: [{ name: 'spo2', value: 95 }] },
    ]);
    expect(samples.map((s) => [s.readingId, s.component, s.value, s.implausible, s.late])).toEqual([
      ['bp-1', 'systolic', 140, false, false],
      ['bp-1', 'diastolic', 85, false, false],
      ['w-1', 'weight', 4, true, true],
    ]);
  });
});

describe('data quality', () => {
  it('one technical finding per kind with implausible readings; clears when they age out', () => {
    const bad = [sample('body_weight.weight', 3, hoursAgo(1), { implausible: true }), sample('body_weight.weight', 2, hoursAgo(2), { implausible: true })];
    expect(evaluateImplausible(bad, NOW)).toMatchObject([{ ruleId: 'implausible:body_weight', audience: 'technical', evidence: { values: { count: 2 } } }]);
    expect(evaluateImplausible([sample('body_weight.weight', 3, hoursAgo(30), { implausible: true })], NOW, { 'implausible:body_weight': 'low' })).toMatchObject([
      { ruleId: 'implausible:body_weight', condition: 'cleared' },
    ]);
  });
});

describe('severity', () => {
  it('maps onto OpenTele red/yellow/green', () => {
    expect(OPENTELE_COLOUR).toEqual({ urgent: 'red', high: 'red', medium: 'yellow', low: 'yellow', info: 'green' });
    expect(isPaging('info')).toBe(false);
    expect(maxSeverity('low', 'urgent')).toBe('urgent');
  });
});
