import { describe, it, expect } from 'vitest';
import { DEFAULT_BASELINES, baselineStats, evaluateBaseline, evaluateBaselines, evaluateWeightGain } from './trends.js';
import { NOW, context, hoursAgo, sample } from './testing.js';
import type { BaselineSetting, ComponentKey, OpenAlerts, VitalSample } from './types.js';

const W: ComponentKey = 'body_weight.weight';
const hf = context({ conditionGroups: ['heart_failure'] });
/** [hours before now, kg] pairs. */
const weights = (pairs: [number, number][]): VitalSample[] => pairs.map(([h, kg]) => sample(W, kg, hoursAgo(h)));

describe('weight gain (ESC 2021: > 2 kg in 3 days)', () => {
  it.each([
    ['+2.0 kg in 48 h fires', [[48, 70], [24, 71], [0, 72]], {}, 'firing'],
    ['+1.9 kg does not', [[48, 70], [24, 71], [0, 71.9]], {}, undefined],
    ['uses the lowest weight in the window, not the first', [[60, 71], [40, 70], [0, 72]], {}, 'firing'],
    ['readings older than 72 h before the latest do not count', [[73, 70], [24, 71], [0, 72.5]], {}, undefined],
    ['a single weight: no opinion', [[0, 90]], {}, undefined],
    ['open: holds at +1.6 kg (hysteresis 0.5)', [[48, 70], [0, 71.6]], { 'trend:weight_gain': 'medium' }, 'firing'],
    ['open: clears at +1.4 kg', [[48, 70], [0, 71.4]], { 'trend:weight_gain': 'medium' }, 'cleared'],
    ['weight loss never fires', [[48, 74], [0, 71]], {}, undefined],
  ] as [string, [number, number][], OpenAlerts, string | undefined][])('%s', (_name, pairs, open, condition) => {
    const findings = evaluateWeightGain(hf, weights(pairs), NOW, open);
    if (condition === undefined) expect(findings).toEqual([]);
    else expect(findings).toMatchObject([{ ruleId: 'trend:weight_gain', audience: 'clinical', severity: 'medium', condition }]);
  });

  it('tells gain, span and limit', () => {
    const [f] = evaluateWeightGain(hf, weights([[60, 71], [40, 70], [0, 72.4]]), NOW);
    expect(f?.summary).toBe('Weight up 2.4 kg in 40 h (70 kg -> 72.4 kg; limit 2 kg in 72 h)');
    expect(f?.evidence.values).toMatchObject({ gainKg: 2.4, fromKg: 70, toKg: 72.4, hours: 40 });
  });

  it('is off unless heart failure or switched on, and configurable', () => {
    const pairs = weights([[30, 70], [0, 71.6]]);
    expect(evaluateWeightGain(context(), pairs, NOW)).toEqual([]);
    expect(evaluateWeightGain(context({ weightGain: { enabled: true, gainKg: 1.5, windowHours: 48 } }), pairs, NOW)).toMatchObject([{ condition: 'firing' }]);
    expect(evaluateWeightGain(context({ conditionGroups: ['heart_failure'], weightGain: { enabled: false } }), weights([[30, 70], [0, 75]]), NOW)).toEqual([]);
  });

  it('needs a recent, current latest weight; late readings count only as history', () => {
    expect(evaluateWeightGain(hf, weights([[100, 70], [50, 73]]), NOW)).toEqual([]);
    const lateLatest = [...weights([[48, 70]]), sample(W, 73, hoursAgo(1), { late: true })];
    expect(evaluateWeightGain(hf, lateLatest, NOW)).toEqual([]);
    const lateHistory = [sample(W, 70, hoursAgo(48), { late: true }), ...weights([[0, 72.1]])];
    expect(evaluateWeightGain(hf, lateHistory, NOW)).toMatchObject([{ condition: 'firing' }]);
  });

  it('ignores implausible weights and is silent while passive', () => {
    expect(evaluateWeightGain(hf, [sample(W, 5, hoursAgo(24), { implausible: true }), ...weights([[0, 72]])], NOW)).toEqual([]);
    const passive = context({ conditionGroups: ['heart_failure'], passiveIntervals: [{ from: hoursAgo(2), reason: 'hospital' }] });
    expect(evaluateWeightGain(passive, weights([[48, 70], [0, 75]]), NOW)).toEqual([]);
  });
});

/** One reading a day for `days` days before the latest, then the latest at NOW. */
function daily(key: ComponentKey, history: readonly number[], latest: number): VitalSample[] {
  return [...history.map((v, i) => sample(key, v, hoursAgo(24 * (history.length - i)))), sample(key, latest, NOW)];
}

const setting = (key: ComponentKey): BaselineSetting => DEFAULT_BASELINES.find((b) => b.key === key)!;
const T: ComponentKey = 'body_temperature.temperature';
const SPO2: ComponentKey = 'spo2.spo2';
const SBP: ComponentKey = 'blood_pressure.systolic';
const flat = (v: number, n = 14) => Array.from({ length: n }, () => v);
const spread = [120, 125, 130, 135, 140, 120, 125, 130, 135, 140];

describe('baseline deviation', () => {
  it.each([
    ['temperature +1.1 °C over baseline fires (IDSA)', T, flat(36.5), 37.6, 'firing'],
    ['temperature +1.0 °C does not', T, flat(36.5), 37.5, undefined],
    ['temperature falling is not this rule', T, flat(36.5), 35.2, undefined],
    ['SpO2 -3 points fires (BTS)', SPO2, flat(96), 93, 'firing'],
    ['SpO2 -2 points does not', SPO2, flat(96), 94, undefined],
    ['SpO2 rising does not', SPO2, flat(94), 99, undefined],
    ['systolic, steady patient: z uses minScale 5, 148 fires (z 3.6)', SBP, flat(130), 148, 'firing'],
    ['systolic, steady patient: 147 does not (z 3.4)', SBP, flat(130), 147, undefined],
    ['systolic both ways: 112 fires', SBP, flat(130), 112, 'firing'],
    ['systolic with spread (scaled MAD 7.4): 156 fires', SBP, spread, 156, 'firing'],
    ['systolic with spread: 155 does not', SBP, spread, 155, undefined],
    ['too few baseline readings: no opinion', SBP, flat(130, 6), 180, undefined],
  ] as [string, ComponentKey, number[], number, string | undefined][])('%s', (_name, key, history, latest, condition) => {
    const findings = evaluateBaseline(setting(key), daily(key, history, latest), NOW);
    if (condition === undefined) expect(findings).toEqual([]);
    else expect(findings).toMatchObject([{ ruleId: `baseline:${key}`, audience: 'clinical', condition, severity: 'low' }]);
  });

  it('holds an open alert down to 80 % of the threshold, then clears', () => {
    const open = { [`baseline:${T}`]: 'low' } as const;
    expect(evaluateBaseline(setting(T), daily(T, flat(36.5), 37.4), NOW, open)).toMatchObject([{ condition: 'firing' }]);
    expect(evaluateBaseline(setting(T), daily(T, flat(36.5), 37.3), NOW, open)).toMatchObject([{ condition: 'cleared' }]);
  });

  it('only days within the window count, and the latest is excluded from its own baseline', () => {
    const s = { ...setting(T), days: 3, minCount: 3 };
    expect(evaluateBaseline(s, daily(T, [...flat(38, 5), 36.5, 36.5, 36.5], 37.6), NOW)).toMatchObject([{ condition: 'firing', evidence: { values: { median: 36.5, count: 3 } } }]);
  });

  it('robust statistics', () => {
    expect(baselineStats([120, 125, 130, 135, 140])).toMatchObject({ median: 130, count: 5 });
    expect(baselineStats([120, 125, 130, 135, 140]).scaledMad).toBeCloseTo(7.413, 3);
    expect(baselineStats([1, 2, 3, 4]).median).toBe(2.5);
  });

  it('evaluateBaselines uses the defaults, or the patient list ([] = off)', () => {
    const samples = daily(T, flat(36.5), 37.7);
    expect(evaluateBaselines(context(), samples, NOW).map((f) => f.ruleId)).toEqual([`baseline:${T}`]);
    expect(evaluateBaselines(context({ baselines: [] }), samples, NOW)).toEqual([]);
  });
});
