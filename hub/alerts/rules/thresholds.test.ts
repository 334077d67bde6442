import { describe, it, expect } from 'vitest';
import { BASE_THRESHOLD, resolveThresholds } from './threshold-defaults.js';
import { bandOf, evaluateComponentThreshold, evaluateThresholds } from './thresholds.js';
import { NOW, context, hoursAgo, minutesAgo, sample, series } from './testing.js';
import type { AlertSeverity, ComponentKey, ComponentThreshold, ConditionGroup, OpenAlerts } from './types.js';

const thresholdsFor = (groups: ConditionGroup[] = []) => resolveThresholds(context({ conditionGroups: groups }));

function severityOf(key: ComponentKey, value: number, groups: ConditionGroup[] = []): AlertSeverity | undefined {
  const t = thresholdsFor(groups).get(key);
  if (!t) throw new Error(`no threshold for ${key}`);
  return bandOf(t, value)?.severity;
}

describe('default bands, both sides of every edge', () => {
  it.each([
    ['blood_pressure.systolic', 159, undefined],
    ['blood_pressure.systolic', 160, 'low'],
    ['blood_pressure.systolic', 179, 'low'],
    ['blood_pressure.systolic', 180, 'medium'],
    ['blood_pressure.systolic', 219, 'medium'],
    ['blood_pressure.systolic', 220, 'high'],
    ['blood_pressure.systolic', 101, undefined],
    ['blood_pressure.systolic', 100, 'low'],
    ['blood_pressure.systolic', 91, 'low'],
    ['blood_pressure.systolic', 90, 'medium'],
    ['blood_pressure.diastolic', 99, undefined],
    ['blood_pressure.diastolic', 100, 'low'],
    ['blood_pressure.diastolic', 109, 'low'],
    ['blood_pressure.diastolic', 110, 'medium'],
    ['blood_pressure.diastolic', 119, 'medium'],
    ['blood_pressure.diastolic', 120, 'high'],
    ['blood_pressure.diastolic', 50, undefined],
    ['heart_rate.heartRate', 110, undefined],
    ['heart_rate.heartRate', 111, 'low'],
    ['heart_rate.heartRate', 130, 'low'],
    ['heart_rate.heartRate', 131, 'medium'],
    ['heart_rate.heartRate', 41, undefined],
    ['heart_rate.heartRate', 40, 'medium'],
    ['spo2.spo2', 94, undefined],
    ['spo2.spo2', 93, 'low'],
    ['spo2.spo2', 92, 'low'],
    ['spo2.spo2', 91, 'medium'],
    ['spo2.spo2', 88, 'medium'],
    ['spo2.spo2', 87, 'high'],
    ['spo2.spo2', 85, 'high'],
    ['spo2.spo2', 84, 'urgent'],
    ['body_temperature.temperature', 37.8, undefined],
    ['body_temperature.temperature', 37.9, 'low'],
    ['body_temperature.temperature', 39.0, 'low'],
    ['body_temperature.temperature', 39.1, 'medium'],
    ['body_temperature.temperature', 35.1, undefined],
    ['body_temperature.temperature', 35.0, 'medium'],
    ['body_temperature.temperature', 32.0, 'medium'],
    ['body_temperature.temperature', 31.9, 'urgent'],
    ['blood_glucose.glucose', 3.9, undefined],
    ['blood_glucose.glucose', 3.8, 'medium'],
    ['blood_glucose.glucose', 3.0, 'medium'],
    ['blood_glucose.glucose', 2.9, 'urgent'],
    ['blood_glucose.glucose', 13.9, undefined],
    ['blood_glucose.glucose', 14.0, 'medium'],
    ['blood_glucose.glucose', 33.2, 'medium'],
    ['blood_glucose.glucose', 33.3, 'urgent'],
    ['respiratory_rate.respiratoryRate', 20, undefined],
    ['respiratory_rate.respiratoryRate', 21, 'low'],
    ['respiratory_rate.respiratoryRate', 24, 'low'],
    ['respiratory_rate.respiratoryRate', 25, 'medium'],
    ['respiratory_rate.respiratoryRate', 9, undefined],
    ['respiratory_rate.respiratoryRate', 8, 'medium'],
  ] as [ComponentKey, number, AlertSeverity | undefined][])('%s %d -> %s', (key, value, expected) => {
    expect(severityOf(key, value)).toBe(expected);
  });
});

describe('condition-group bands', () => {
  it.each([
    ['copd', 'spo2.spo2', 88, undefined],
    ['copd', 'spo2.spo2', 87, 'low'],
    ['copd', 'spo2.spo2', 86, 'low'],
    ['copd', 'spo2.spo2', 85, 'medium'],
    ['copd', 'spo2.spo2', 84, 'medium'],
    ['copd', 'spo2.spo2', 83, 'high'],
    ['copd', 'spo2.spo2', 80, 'high'],
    ['copd', 'spo2.spo2', 79, 'urgent'],
    ['heart_failure', 'blood_pressure.systolic', 91, undefined],
    ['heart_failure', 'blood_pressure.systolic', 90, 'low'],
    ['heart_failure', 'blood_pressure.systolic', 81, 'low'],
    ['heart_failure', 'blood_pressure.systolic', 80, 'medium'],
    ['heart_failure', 'blood_pressure.systolic', 185, 'medium'],
    ['hypertension', 'blood_pressure.systolic', 134, undefined],
    ['hypertension', 'blood_pressure.systolic', 135, 'info'],
    ['hypertension', 'blood_pressure.systolic', 160, 'low'],
    ['hypertension', 'blood_pressure.diastolic', 84, undefined],
    ['hypertension', 'blood_pressure.diastolic', 85, 'info'],
    ['diabetes', 'blood_glucose.glucose', 10.0, undefined],
    ['diabetes', 'blood_glucose.glucose', 10.1, 'info'],
    ['diabetes', 'blood_glucose.glucose', 2.9, 'urgent'],
  ] as [ConditionGroup, ComponentKey, number, AlertSeverity | undefined][])('%s: %s %d -> %s', (group, key, value, expected) => {
    expect(severityOf(key, value, [group])).toBe(expected);
  });

  it('applies several groups, each to its own components', () => {
    expect(severityOf('spo2.spo2', 89, ['copd', 'heart_failure'])).toBeUndefined();
    expect(severityOf('blood_pressure.systolic', 90, ['copd', 'heart_failure'])).toBe('low');
  });
});

describe('resolveThresholds with patient overrides', () => {
  it('replaces only the fields given', () => {
    const t = resolveThresholds(
      context({ thresholdOverrides: { 'blood_pressure.systolic': { high: [{ op: '>=', limit: 170, severity: 'high' }], consecutive: 2 } } }),
    ).get('blood_pressure.systolic')!;
    expect(t.high).toEqual([{ op: '>=', limit: 170, severity: 'high' }]);
    expect(t.low.length).toBe(2);
    expect(t.consecutive).toBe(2);
    expect(t.hysteresis).toBe(5);
  });
  it('patient overrides win over groups', () => {
    const t = resolveThresholds(context({ conditionGroups: ['copd'], thresholdOverrides: { 'spo2.spo2': { low: [{ op: '<', limit: 86, severity: 'medium' }] } } }));
    expect(bandOf(t.get('spo2.spo2')!, 86)).toBeUndefined();
    expect(bandOf(t.get('spo2.spo2')!, 85.9)?.severity).toBe('medium');
  });
  it('disabled removes a component; a component without defaults can be added', () => {
    const t = resolveThresholds(
      context({
        thresholdOverrides: {
          'heart_rate.heartRate': { disabled: true },
          'blood_pressure.meanArterialPressure': { low: [{ op: '<', limit: 65, severity: 'medium' }] },
        },
      }),
    );
    expect(t.has('heart_rate.heartRate')).toBe(false);
    expect(t.get('blood_pressure.meanArterialPressure')).toEqual({ ...BASE_THRESHOLD, low: [{ op: '<', limit: 65, severity: 'medium' }] });
    expect(t.has('body_weight.weight')).toBe(false);
  });
});

const SBP: ComponentKey = 'blood_pressure.systolic';
const sbp = (over: Partial<ComponentThreshold> = {}): ComponentThreshold => ({ ...thresholdsFor().get(SBP)!, ...over });

describe('confirmation, hysteresis and late readings', () => {
  type Case = [name: string, t: ComponentThreshold, values: number[], open: OpenAlerts, expected: { condition: string; severity: AlertSeverity } | undefined];
  const rule = `threshold:${SBP}`;
  it.each<Case>([
    ['one reading fires', sbp(), [185], {}, { condition: 'firing', severity: 'medium' }],
    ['in range, nothing open: nothing', sbp(), [140], {}, undefined],
    ['consecutive 2: one outlier does not fire', sbp({ consecutive: 2 }), [150, 185], {}, undefined],
    ['consecutive 2: two in a row fire', sbp({ consecutive: 2 }), [185, 190], {}, { condition: 'firing', severity: 'medium' }],
    ['consecutive 2: a single higher one does not escalate', sbp({ consecutive: 2 }), [185, 225], {}, { condition: 'firing', severity: 'medium' }],
    ['consecutive 2: confirmed at the weaker band of the run', sbp({ consecutive: 2 }), [225, 185], {}, { condition: 'firing', severity: 'medium' }],
    ['consecutive 2: two high ones escalate', sbp({ consecutive: 2 }), [225, 230], {}, { condition: 'firing', severity: 'high' }],
    ['consecutive 3 broken by an in-range reading', sbp({ consecutive: 3 }), [185, 150, 185, 185], {}, undefined],
    ['hysteresis: open medium holds at 177 (>= 175)', sbp(), [177], { [rule]: 'medium' }, { condition: 'firing', severity: 'medium' }],
    ['hysteresis: open medium steps down to low at 174', sbp(), [174], { [rule]: 'medium' }, { condition: 'firing', severity: 'low' }],
    ['hysteresis: open low holds at 156', sbp(), [156], { [rule]: 'low' }, { condition: 'firing', severity: 'low' }],
    ['hysteresis: open low clears at 154', sbp(), [154], { [rule]: 'low' }, { condition: 'cleared', severity: 'low' }],
    ['not open: 177 is only low', sbp(), [177], {}, { condition: 'firing', severity: 'low' }],
    ['hysteresis on the low side: open medium holds at 95', sbp(), [95], { [rule]: 'medium' }, { condition: 'firing', severity: 'medium' }],
    ['hysteresis on the low side: clears at 106', sbp(), [106], { [rule]: 'low' }, { condition: 'cleared', severity: 'low' }],
    ['consecutive 2, open medium: holds on the newest reading alone', sbp({ consecutive: 2 }), [150, 177], { [rule]: 'medium' }, { condition: 'firing', severity: 'medium' }],
    ['consecutive 2, open medium: steps down on the newest reading alone', sbp({ consecutive: 2 }), [150, 170], { [rule]: 'medium' }, { condition: 'firing', severity: 'low' }],
    ['consecutive 2, open medium: one in-range reading clears', sbp({ consecutive: 2 }), [185, 150], { [rule]: 'medium' }, { condition: 'cleared', severity: 'medium' }],
    ['open: escalation still needs confirmation', sbp({ consecutive: 2 }), [185, 225], { [rule]: 'medium' }, { condition: 'firing', severity: 'medium' }],
  ])('%s', (_name, t, values, open, expected) => {
    const findings = evaluateComponentThreshold(SBP, t, series(SBP, values, 10), NOW, open).filter((f) => f.ruleId === rule);
    if (expected === undefined) expect(findings).toEqual([]);
    else expect(findings).toMatchObject([{ ...expected, audience: 'clinical', ruleId: rule }]);
  });

  it('sustained: fires only once the run spans the time', () => {
    const t = sbp({ sustainedMinutes: 60 });
    expect(evaluateComponentThreshold(SBP, t, series(SBP, [185, 185, 185], 25), NOW)).toEqual([]);
    expect(evaluateComponentThreshold(SBP, t, series(SBP, [185, 185, 185], 30), NOW)).toMatchObject([{ severity: 'medium', condition: 'firing' }]);
  });

  it('names the band and the run in the summary, with evidence', () => {
    const s = series(SBP, [185, 192], 60);
    const [f] = evaluateComponentThreshold(SBP, sbp({ consecutive: 2 }), s, NOW);
    expect(f?.summary).toBe('Systolic BP 192 mmHg (≥ 180 mmHg; 2 consecutive readings over 1 h)');
    expect(f?.evidence.readingIds).toEqual(s.map((x) => x.readingId));
    expect(f?.evidence.values).toMatchObject({ value: 192, limit: 180, op: '>=' });
  });

  it('ignores implausible readings', () => {
    expect(evaluateComponentThreshold(SBP, sbp(), [sample(SBP, 310, NOW, { implausible: true })], NOW)).toEqual([]);
  });

  it('ignores readings outside the look-back window and from the future', () => {
    const t = sbp({ lookbackHours: 24 });
    expect(evaluateComponentThreshold(SBP, t, [sample(SBP, 190, hoursAgo(25))], NOW)).toEqual([]);
    expect(evaluateComponentThreshold(SBP, t, [sample(SBP, 190, minutesAgo(-60))], NOW)).toEqual([]);
  });

  it('no current reading while open: no opinion (no cleared)', () => {
    expect(evaluateComponentThreshold(SBP, sbp(), [], NOW, { [rule]: 'high' })).toEqual([]);
  });

  it('late readings never fire nor clear the live rule; they raise a backfilled info finding', () => {
    const late = sample(SBP, 200, hoursAgo(30), { late: true });
    const findings = evaluateComponentThreshold(SBP, sbp(), [late], NOW, { [rule]: 'medium' });
    expect(findings).toMatchObject([{ ruleId: `${rule}:backfilled`, severity: 'info', backfilled: true, condition: 'firing', evidence: { readingIds: [late.readingId] } }]);
  });

  it('a late in-range reading does not clear, and an open backfill clears when no late reading is in a band', () => {
    const late = sample(SBP, 130, hoursAgo(2), { late: true });
    expect(evaluateComponentThreshold(SBP, sbp(), [late], NOW, { [rule]: 'medium', [`${rule}:backfilled`]: 'info' })).toMatchObject([
      { ruleId: `${rule}:backfilled`, condition: 'cleared' },
    ]);
  });

  it('info bands are not backfilled', () => {
    const t = resolveThresholds(context({ conditionGroups: ['hypertension'] })).get(SBP)!;
    expect(evaluateComponentThreshold(SBP, t, [sample(SBP, 140, hoursAgo(2), { late: true })], NOW)).toEqual([]);
  });
});

describe('evaluateThresholds', () => {
  it('runs every resolved component', () => {
    const findings = evaluateThresholds(context(), [sample('spo2.spo2', 90, NOW), sample('blood_glucose.glucose', 2.8, NOW), sample(SBP, 120, NOW)], NOW);
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ['threshold:spo2.spo2', 'medium'],
      ['threshold:blood_glucose.glucose', 'urgent'],
    ]);
  });
  it('returns nothing while monitoring is passive', () => {
    const ctx = context({ passiveIntervals: [{ from: hoursAgo(5), reason: 'hospital' }] });
    expect(evaluateThresholds(ctx, [sample('spo2.spo2', 80, NOW)], NOW)).toEqual([]);
  });
});
