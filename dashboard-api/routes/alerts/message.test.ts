/**
 * The structured message is derived from what the rules really store: findings made by the rules
 * themselves go in, so a change to a rule's evidence that the message no longer reads shows here.
 */
import { describe, expect, it } from 'vitest';
import { resolveThresholds } from '../../../hub/alerts/rules/threshold-defaults.js';
import { evaluateComponentThreshold } from '../../../hub/alerts/rules/thresholds.js';
import { evaluateDevice, evaluateGateway } from '../../../hub/alerts/rules/technical.js';
import { NOW, context, hoursAgo, series } from '../../../hub/alerts/rules/testing.js';
import type { RuleFinding } from '../../../hub/alerts/rules/types.js';
import { alertMessage } from './message.js';

const of = (f: RuleFinding | undefined) => {
  if (!f) throw new Error('no finding');
  return alertMessage(f);
};

describe('alertMessage', () => {
  it('threshold: vital, component, UCUM unit, value, limit and direction from a real finding', () => {
    const t = resolveThresholds(context()).get('blood_pressure.systolic')!;
    const f = evaluateComponentThreshold('blood_pressure.systolic', t, series('blood_pressure.systolic', [185, 186], 10), NOW).find((x) => x.ruleId === 'threshold:blood_pressure.systolic');
    expect(of(f)).toEqual({ key: 'threshold', params: { vital: 'blood_pressure', component: 'systolic', unit: 'mm[Hg]', value: 186, op: '>=', limit: 180, readings: 2, direction: 'high' } });
  });

  it('a low band says low', () => {
    const t = resolveThresholds(context()).get('spo2.spo2')!;
    const f = evaluateComponentThreshold('spo2.spo2', t, series('spo2.spo2', [86, 86], 10), NOW).find((x) => x.ruleId === 'threshold:spo2.spo2');
    expect(of(f)).toMatchObject({ key: 'threshold', params: { vital: 'spo2', unit: '%', value: 86, direction: 'low' } });
  });

  it('technical rules name the gateway or device', () => {
    expect(of(evaluateGateway({ gatewayId: 'gw-1', state: 'offline', stateAt: hoursAgo(2) }, NOW)[0])).toMatchObject({ key: 'gatewayOffline', params: { gatewayId: 'gw-1' } });
    const device = evaluateDevice({ deviceId: 'sn-1', batteryPercent: 4, clockOffsetS: -400, kinds: ['spo2'] } as never, NOW);
    expect(device.map((f) => alertMessage(f))).toEqual([
      { key: 'batteryLow', params: { deviceId: 'sn-1', batteryPercent: 4 } },
      { key: 'clockDrift', params: { deviceId: 'sn-1', clockOffsetS: -400, direction: 'behind' } },
    ]);
  });

  it.each([
    ['news2', { total: 7, risk: 'high', scale: 1, complete: false, missing: 'consciousness', redScore: false }, undefined, { key: 'news2', params: { total: 7, risk: 'high', scale: 1, complete: false, missing: 'consciousness', redScore: false } }],
    ['missing:body_weight', { missed: 2, dueAt: '2026-01-14T08:00:00.000Z', lastReadingAt: null, graceMinutes: 60 }, 'gateway_offline', { key: 'missing', params: { vital: 'body_weight', missed: 2, dueAt: '2026-01-14T08:00:00.000Z', cause: 'gateway_offline' } }],
    ['trend:weight_gain', { gainKg: 2.4, fromKg: 80, toKg: 82.4, hours: 48, limitKg: 2, windowHours: 72 }, undefined, { key: 'weightGain', params: { gainKg: 2.4, fromKg: 80, toKg: 82.4, hours: 48, limitKg: 2, windowHours: 72 } }],
    ['implausible:spo2', { count: 3, component: 'spo2', value: 120 }, undefined, { key: 'implausible', params: { vital: 'spo2', count: 3, component: 'spo2', value: 120 } }],
    ['threshold:spo2.spo2:backfilled', { value: 84, limit: 85, wouldBe: 'urgent' }, undefined, { key: 'thresholdBackfilled', params: { vital: 'spo2', component: 'spo2', unit: '%', value: 84, limit: 85, wouldBe: 'urgent' } }],
  ] as const)('%s', (ruleId, values, cause, expected) => {
    expect(alertMessage({ ruleId, evidence: { values }, ...(cause && { cause }) })).toEqual(expected);
  });

  it.each([
    ['a rule it does not know', 'some_new_rule', { value: 1 }],
    ['a threshold whose evidence lacks the limit (an alert stored before it was recorded)', 'threshold:spo2.spo2', { value: 90 }],
    ['an unknown vital', 'threshold:nonsense.x', { value: 1, op: '>=', limit: 2 }],
  ])('no message for %s: the page shows the English summary', (_what, ruleId, values) => {
    expect(alertMessage({ ruleId, evidence: { values } })).toBeUndefined();
  });
});
