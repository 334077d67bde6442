import { describe, it, expect } from 'vitest';
import { computeNews2, evaluateNews2 } from './news2.js';
import { NOW, context, hoursAgo, minutesAgo, sample } from './testing.js';
import type { AssistedObservations, VitalSample } from './types.js';

/** A full home set: 0 on every parameter it has (no respiration rate, oxygen or consciousness). */
const normalHome = (): VitalSample[] => [
  sample('spo2.spo2', 97, minutesAgo(30)),
  sample('blood_pressure.systolic', 130, minutesAgo(30)),
  sample('heart_rate.heartRate', 72, minutesAgo(30)),
  sample('body_temperature.temperature', 36.8, minutesAgo(30)),
];

const assistedNormal: AssistedObservations = {
  respiratoryRate: { value: 16, at: minutesAgo(20), id: 'a-rr' },
  onOxygen: { value: false, at: minutesAgo(20) },
  consciousness: { value: 'A', at: minutesAgo(20) },
};

describe('computeNews2: which readings it uses', () => {
  it('uses the latest current reading of each parameter and lists what is missing', () => {
    const r = computeNews2(context(), [sample('spo2.spo2', 91, hoursAgo(2)), ...normalHome()], {}, NOW);
    expect(r.inputs.spo2?.value).toBe(97);
    expect(r.total).toBe(0);
    expect(r.missing).toEqual(['respirationRate', 'airOrOxygen', 'consciousness']);
    expect(r.stale).toEqual([]);
  });

  it('a parameter older than the window is stale, not scored', () => {
    const r = computeNews2(context(), [sample('spo2.spo2', 90, hoursAgo(5)), sample('heart_rate.heartRate', 72, hoursAgo(1))], {}, NOW, 4);
    expect(r.stale).toEqual(['spo2']);
    expect(r.scores.spo2).toBeUndefined();
    expect(computeNews2(context(), [sample('spo2.spo2', 90, hoursAgo(5))], {}, NOW, 6).scores.spo2).toBe(3);
  });

  it('skips late and implausible readings', () => {
    const r = computeNews2(
      context(),
      [sample('spo2.spo2', 97, hoursAgo(1)), sample('spo2.spo2', 85, minutesAgo(5), { late: true }), sample('spo2.spo2', 40, minutesAgo(1), { implausible: true })],
      {},
      NOW,
    );
    expect(r.inputs.spo2?.value).toBe(97);
  });

  it('takes the newer of device and assisted respiration rate', () => {
    const device = sample('respiratory_rate.respiratoryRate', 26, minutesAgo(10));
    expect(computeNews2(context(), [device], assistedNormal, NOW).inputs.respirationRate).toMatchObject({ value: 26, source: 'device' });
    expect(computeNews2(context(), [sample('respiratory_rate.respiratoryRate', 26, minutesAgo(40))], assistedNormal, NOW).inputs.respirationRate).toMatchObject({
      value: 16,
      source: 'assisted',
      readingId: 'a-rr',
    });
  });

  it('scores all seven parameters with assisted entries', () => {
    const r = computeNews2(context(), normalHome(), assistedNormal, NOW);
    expect(r.missing).toEqual([]);
    expect(Object.keys(r.scores).length).toBe(7);
  });

  it('scale 2 for hypercapnic respiratory failure; air/oxygen from long-term oxygen therapy', () => {
    const spo2 = [sample('spo2.spo2', 95, minutesAgo(10))];
    expect(computeNews2(context(), spo2, {}, NOW).scores.spo2).toBe(1);
    expect(computeNews2(context({ hypercapnicRespiratoryFailure: true }), spo2, {}, NOW)).toMatchObject({ scale: 2, scores: { spo2: 0 } });
    const ltot = computeNews2(context({ hypercapnicRespiratoryFailure: true, onLongTermOxygen: true }), spo2, {}, NOW);
    expect(ltot).toMatchObject({ scale: 2, scores: { spo2: 2, airOrOxygen: 2 }, total: 4 });
    expect(ltot.inputs.airOrOxygen?.source).toBe('context');
    const onAirToday = computeNews2(context({ hypercapnicRespiratoryFailure: true, onLongTermOxygen: true }), spo2, { onOxygen: { value: false, at: minutesAgo(5) } }, NOW);
    expect(onAirToday.scores).toMatchObject({ spo2: 0, airOrOxygen: 0 });
  });

  it('ignores assisted entries from the future', () => {
    const r = computeNews2(context(), [], { consciousness: { value: 'C', at: minutesAgo(-30) } }, NOW);
    expect(r.missing).toContain('consciousness');
  });
});

describe('evaluateNews2: findings', () => {
  it.each([
    ['all normal', normalHome(), assistedNormal, undefined],
    ['total 4 without a 3: no alert', [...normalHome(), sample('spo2.spo2', 93, minutesAgo(5)), sample('heart_rate.heartRate', 95, minutesAgo(5))], { ...assistedNormal, respiratoryRate: { value: 11, at: minutesAgo(5) } }, undefined],
    ['single 3 (red score) -> medium', [...normalHome(), sample('heart_rate.heartRate', 135, minutesAgo(5))], assistedNormal, 'medium'],
    ['total 5 -> high', [...normalHome(), sample('spo2.spo2', 93, minutesAgo(5)), sample('heart_rate.heartRate', 112, minutesAgo(5))], { ...assistedNormal, respiratoryRate: { value: 10, at: minutesAgo(5) } }, 'high'],
    ['total 7 -> urgent', [...normalHome(), sample('spo2.spo2', 93, minutesAgo(5)), sample('heart_rate.heartRate', 112, minutesAgo(5)), sample('body_temperature.temperature', 39.4, minutesAgo(5))], { ...assistedNormal, respiratoryRate: { value: 10, at: minutesAgo(5) } }, 'urgent'],
  ] as [string, VitalSample[], AssistedObservations, string | undefined][])('%s', (_name, samples, assisted, severity) => {
    const findings = evaluateNews2(context(), samples, assisted, NOW);
    if (severity === undefined) expect(findings).toEqual([]);
    else expect(findings).toMatchObject([{ ruleId: 'news2', audience: 'clinical', condition: 'firing', severity }]);
  });

  it('says when the score is partial and what is missing', () => {
    const [f] = evaluateNews2(context(), [sample('spo2.spo2', 90, minutesAgo(5)), sample('blood_pressure.systolic', 100, hoursAgo(6))], {}, NOW);
    expect(f?.summary).toBe('NEWS2 ≥ 3, incomplete (low-medium risk; scale 1; 3 in SpO2; 1 of 7 parameters, not scored: respiration rate, air/oxygen, pulse, consciousness, temperature, systolic BP)');
    expect(f?.evidence.values).toMatchObject({ total: 3, redScore: true, 'score.spo2': 3, risk: 'low-medium' });
  });

  it('clears an open alert when the score falls below the trigger', () => {
    expect(evaluateNews2(context(), normalHome(), assistedNormal, NOW, { news2: 'high' })).toMatchObject([{ ruleId: 'news2', condition: 'cleared', severity: 'high' }]);
  });

  it('no fresh parameter: no opinion, even with an open alert', () => {
    expect(evaluateNews2(context({ onLongTermOxygen: true }), [sample('spo2.spo2', 85, hoursAgo(5))], {}, NOW, { news2: 'high' })).toEqual([]);
  });

  it('fireFromTotal can be lowered (low band -> low severity), and NEWS2 switched off', () => {
    const samples = [sample('spo2.spo2', 94, minutesAgo(5)), sample('heart_rate.heartRate', 95, minutesAgo(5))];
    expect(evaluateNews2(context({ news2: { fireFromTotal: 2 } }), samples, {}, NOW)).toMatchObject([{ severity: 'low' }]);
    expect(evaluateNews2(context({ news2: { enabled: false } }), [sample('spo2.spo2', 80, NOW)], {}, NOW)).toEqual([]);
  });

  it('returns nothing while monitoring is passive', () => {
    const ctx = context({ passiveIntervals: [{ from: hoursAgo(1), to: hoursAgo(-1), reason: 'respite care' }] });
    expect(evaluateNews2(ctx, [sample('spo2.spo2', 80, NOW)], {}, NOW)).toEqual([]);
  });
});

describe('NEWS2 with observations entered by people', () => {
  it('a typed-in value in a device series counts as entered, not as a device reading', () => {
    const r = computeNews2(context(), [...normalHome(), sample('respiratory_rate.respiratoryRate', 22, minutesAgo(10), { source: 'manual' })], {}, NOW);
    expect(r.inputs.respirationRate).toMatchObject({ value: 22, source: 'assisted' });
    expect(r.fromPeople).toEqual(['respirationRate']);
    expect(r.fromDevices).toEqual(['spo2', 'systolicBP', 'pulse', 'temperature']);
    expect(r.complete).toBe(false);
  });

  it('is complete only with all seven parameters, and then the summary has no lower bound', () => {
    const r = computeNews2(context(), normalHome(), assistedNormal, NOW);
    expect(r.complete).toBe(true);
    expect(r.missing).toEqual([]);
    const f = evaluateNews2(context({ news2: { fireFromTotal: 0 } }), normalHome(), assistedNormal, NOW);
    expect(f[0]?.summary).toBe('NEWS2 0 (low risk; scale 1; entered by staff: respiration rate, air/oxygen, consciousness)');
    expect(f[0]?.evidence.values).toMatchObject({ complete: true, enteredByStaff: 'respirationRate,airOrOxygen,consciousness' });
  });

  it('each parameter has its own freshness window when configured', () => {
    const entered: AssistedObservations = { consciousness: { value: 'V', at: hoursAgo(3) }, onOxygen: { value: true, at: hoursAgo(3) } };
    const tight = computeNews2(context(), normalHome(), entered, NOW, 4, { consciousness: 2 });
    expect(tight.stale).toEqual(['consciousness']);
    expect(tight.inputs.airOrOxygen?.value).toBe(true);
    const loose = computeNews2(context(), normalHome(), entered, NOW, 4, {});
    expect(loose.scores.consciousness).toBe(3);
  });

  it('an entered 3 in one parameter fires at low-medium (RCP Chart 2) even with other parameters missing', () => {
    const f = evaluateNews2(context(), normalHome(), { consciousness: { value: 'P', at: minutesAgo(5), id: 'obs-1' } }, NOW);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'medium', condition: 'firing' });
    expect(f[0]?.summary).toContain('incomplete');
    expect(f[0]?.evidence.readingIds).toContain('obs-1');
  });
});
