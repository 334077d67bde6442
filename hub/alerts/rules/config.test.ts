import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { parsePatientRuleConfig, patientContext } from './config.js';
import { resolveThresholds } from './threshold-defaults.js';

/** The worked example in docs/alerts.md must stay valid. */
function docExample(): unknown {
  const doc = readFileSync(new URL('../../../docs/alerts.md', import.meta.url), 'utf8');
  const block = /```json\n([\s\S]*?)\n```/.exec(doc);
  if (!block?.[1]) throw new Error('no json block in docs/alerts.md');
  return JSON.parse(block[1]);
}

describe('per-patient rule configuration', () => {
  it('accepts the documented example and builds a context from it', () => {
    const parsed = parsePatientRuleConfig(docExample());
    if (!parsed.ok) throw new Error(parsed.reason);
    const ctx = patientContext('p-42', parsed.value);
    expect(ctx).toMatchObject({
      patientId: 'p-42',
      timeZone: 'Europe/Copenhagen',
      conditionGroups: ['heart_failure', 'copd'],
      hypercapnicRespiratoryFailure: true,
      onLongTermOxygen: false,
      news2: { windowHours: 6 },
    });
    expect(ctx.passiveIntervals?.[0]?.from).toEqual(new Date('2026-02-10T08:00:00Z'));
    expect(ctx.baselines?.[0]?.maxAgeHours).toBe(24);
    const t = resolveThresholds(ctx);
    expect(t.get('blood_pressure.systolic')).toMatchObject({ consecutive: 2, low: [{ limit: 90 }, { limit: 80 }] });
    expect(t.has('heart_rate.heartRate')).toBe(false);
  });

  it('an empty object means all defaults', () => {
    const parsed = parsePatientRuleConfig({});
    expect(parsed).toMatchObject({ ok: true, value: { timeZone: 'Europe/Copenhagen', conditionGroups: [], hypercapnicRespiratoryFailure: false, schedules: [], passive: [] } });
  });

  it.each([
    ['unknown component', { thresholds: { 'blood_pressure.pulse': { consecutive: 2 } } }, /thresholds.blood_pressure.pulse: Invalid key/],
    ['low op on the high side', { thresholds: { 'spo2.spo2': { high: [{ op: '<', limit: 90, severity: 'low' }] } } }, /high\[0\].op/],
    ['unknown severity', { thresholds: { 'spo2.spo2': { low: [{ op: '<', limit: 90, severity: 'red' }] } } }, /severity/],
    ['bad due time', { schedules: [{ kind: 'body_weight', type: 'daily', by: '7:00' }] }, /HH:MM/],
    ['bad weekday', { schedules: [{ kind: 'body_weight', type: 'daily', by: '07:00', daysOfWeek: [0] }] }, /daysOfWeek/],
    ['unknown time zone', { timeZone: 'Europe/Skive' }, /IANA/],
    ['unknown group', { conditionGroups: ['asthma'] }, /conditionGroups/],
    ['passive interval ending before it starts', { passive: [{ from: '2026-02-10T08:00:00Z', to: '2026-02-01T08:00:00Z', reason: 'x' }] }, /end after/],
    ['misspelt field', { schedule: [] }, /schedule/],
    ['consecutive 0', { thresholds: { 'spo2.spo2': { consecutive: 0 } } }, /consecutive/],
  ])('rejects %s', (_name, json, reason) => {
    const parsed = parsePatientRuleConfig(json);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});

describe('news2.parameterWindowHours', () => {
  it('takes a window per NEWS2 parameter and refuses unknown parameters and impossible windows', () => {
    const ok = parsePatientRuleConfig({ news2: { parameterWindowHours: { consciousness: 2, respirationRate: 6 } } });
    expect(ok.ok && patientContext('p-1', ok.value).news2?.parameterWindowHours).toEqual({ consciousness: 2, respirationRate: 6 });
    expect(parsePatientRuleConfig({ news2: { parameterWindowHours: { mood: 2 } } }).ok).toBe(false);
    expect(parsePatientRuleConfig({ news2: { parameterWindowHours: { consciousness: 0 } } }).ok).toBe(false);
    expect(parsePatientRuleConfig({ news2: { parameterWindowHours: { consciousness: 100 } } }).ok).toBe(false);
  });
});
