import { describe, expect, it } from 'vitest';
import { comparedRules, formatDuration, formatPercent, newlyMissed, periodOf, rankRules, type Backtest, type RuleFigures } from './analytics.js';
import { COMMON_THRESHOLDS, bandsOf, firstBand, parseConfig, withFirstBand, withWeightGain } from './threshold-form.js';

const rule = (key: string, alerts: number, perWeek: number | undefined, ppv: number | undefined, recorded = 4): RuleFigures =>
  ({ key, alerts, alertsPerPatientWeek: perWeek, ppv, outcomes: { recorded } }) as unknown as RuleFigures;

describe('rule ranking', () => {
  it('puts the rule with most alerts per patient-week without action first and marks only it', () => {
    const ranked = rankRules([rule('a', 10, 1, 0.9), rule('b', 8, 0.8, 0.1), rule('c', 30, 3, undefined, 0), rule('d', 2, 0.2, 0)]);
    expect(ranked.map((r) => r.rule)).toEqual(['b', 'd', 'a', 'c']);
    expect(ranked.map((r) => r.worst)).toEqual([true, false, false, false]);
    expect(ranked[0]!.withoutActionPerPatientWeek).toBeCloseTo(0.72);
  });
  it('marks none when every alert led to action or no outcome is known', () => {
    expect(rankRules([rule('a', 3, 1, 1), rule('b', 3, 1, undefined, 0)]).some((r) => r.worst)).toBe(false);
    expect(rankRules([])).toEqual([]);
  });
});

describe('period', () => {
  it('gives the last 30 or 90 days and whole local days for a custom period', () => {
    const now = Date.UTC(2026, 11, 3, 12);
    expect(periodOf('30', now)).toEqual({ from: new Date(now - 30 * 86_400_000).toISOString(), to: new Date(now).toISOString() });
    const custom = periodOf('custom', now, '2026-11-01', '2026-11-30')!;
    expect(new Date(custom.to).getTime() - new Date(custom.from).getTime()).toBeGreaterThanOrEqual(29 * 86_400_000);
    expect(periodOf('custom', now, '2026-11-30', '2026-11-01')).toBeUndefined();
    expect(periodOf('custom', now, '', '2026-11-01')).toBeUndefined();
  });
});

describe('formats', () => {
  it('shows shares and durations in the locale', () => {
    expect(formatPercent(0.5, 'da-DK')).toBe(new Intl.NumberFormat('da-DK', { style: 'percent' }).format(0.5));
    const unit = (value: number, u: string, locale = 'en-GB') => new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: 1 }).format(value);
    expect(formatDuration(45, 'en-GB')).toBe(unit(45, 'second'));
    expect(formatDuration(300, 'en-GB')).toBe(unit(5, 'minute'));
    expect(formatDuration(5400, 'en-GB')).toBe(unit(1.5, 'hour'));
    expect(formatDuration(3 * 86_400, 'en-GB')).toBe(unit(3, 'day'));
    expect(formatDuration(5400, 'da-DK')).toContain('1,5');
  });
});

describe('back-test comparison', () => {
  const side = (byRule: Record<string, number>, missed: string[]) => ({ alerts: 0, byRule, list: [], listTruncated: false, missedActioned: missed.map((alertId) => ({ alertId, patientId: 'p', rule: 'r', openedAt: '' })) });
  const result = { current: side({ a: 1, b: 2 }, ['x']), candidate: side({ a: 5, c: 1 }, ['x', 'y']) } as unknown as Backtest;
  it('lists every rule of either side, and what only the candidate misses', () => {
    expect(comparedRules(result)).toEqual([
      { rule: 'a', current: 1, candidate: 5 },
      { rule: 'c', current: 0, candidate: 1 },
      { rule: 'b', current: 2, candidate: 0 },
    ]);
    expect(newlyMissed(result).map((m) => m.alertId)).toEqual(['y']);
  });
});

describe('threshold form over the JSON document', () => {
  const [systolicHigh, , spo2Low] = COMMON_THRESHOLDS;
  it('moves the first-firing band and keeps the others, seeded from the effective bands', () => {
    const seed = [
      { op: '>=', limit: 160, severity: 'medium' },
      { op: '>=', limit: 180, severity: 'high' },
    ];
    const moved = withFirstBand({ schedules: [] }, systolicHigh, 140, 'medium', seed);
    if (!moved.ok) throw new Error('refused');
    const next = moved.config;
    expect(next).toEqual({ schedules: [], thresholds: { 'blood_pressure.systolic': { high: [{ op: '>=', limit: 140, severity: 'medium' }, seed[1]] } } });
    expect(firstBand(bandsOf(next, 'blood_pressure.systolic', 'high'), 'high')).toEqual({ op: '>=', limit: 140, severity: 'medium' });
  });
  it('for a low side the first band is the highest limit; without any band one is made', () => {
    const cfg = { thresholds: { 'spo2.spo2': { low: [{ op: '<', limit: 88, severity: 'medium' }, { op: '<', limit: 85, severity: 'high' }], consecutive: 2 } } };
    expect(withFirstBand(cfg, spo2Low, 90, 'low')).toEqual({ ok: true, config: { thresholds: { 'spo2.spo2': { low: [{ op: '<', limit: 85, severity: 'high' }, { op: '<', limit: 90, severity: 'low' }], consecutive: 2 } } } });
    expect(withFirstBand({}, spo2Low, 92, 'medium')).toEqual({ ok: true, config: { thresholds: { 'spo2.spo2': { low: [{ op: '<', limit: 92, severity: 'medium' }] } } } });
  });
  it('refuses to move the first band past the next one (which would then alert first)', () => {
    const seed = [
      { op: '<=', limit: 93, severity: 'low' },
      { op: '<=', limit: 91, severity: 'medium' },
    ];
    expect(withFirstBand({}, spo2Low, 91, 'low', seed)).toEqual({ ok: false, next: seed[1] });
    expect(withFirstBand({}, spo2Low, 92, 'low', seed).ok).toBe(true);
    expect(withFirstBand({}, systolicHigh, 185, 'low', [{ op: '>=', limit: 160, severity: 'low' }, { op: '>=', limit: 180, severity: 'medium' }]).ok).toBe(false);
  });
  it('sets and clears the weight gain; parses only JSON objects', () => {
    expect(withWeightGain({}, 1.5, undefined)).toEqual({ weightGain: { gainKg: 1.5 } });
    expect(withWeightGain({ weightGain: { gainKg: 1.5 } }, undefined, undefined)).toEqual({});
    expect(parseConfig('{"a":1}')).toEqual({ ok: true, config: { a: 1 } });
    expect(parseConfig('[1]').ok).toBe(false);
    expect(parseConfig('{').ok).toBe(false);
  });
});
