import { describe, it, expect } from 'vitest';
import { evaluateMissing, lastReadingTimes, missingCause } from './missing.js';
import { NOW, context, hoursAgo, minutesAgo, sample } from './testing.js';
import type { DeviceState, GatewayState, HomeStatus, MissingCause, PatientContext } from './types.js';

const gwOnline: GatewayState = { gatewayId: 'gw-1', state: 'online', stateAt: minutesAgo(1), heartbeatS: 60 };
const scale = (extra: Partial<DeviceState> = {}): DeviceState => ({
  deviceId: 'scale-1',
  kinds: ['body_weight'],
  present: true,
  lastSeenAt: hoursAgo(26),
  batteryPercent: 80,
  ...extra,
});
const home = (devices: DeviceState[], gateway: GatewayState = gwOnline): HomeStatus => ({ gateway, devices });

describe('likely cause of a missing reading', () => {
  it.each([
    ['no home status: assume the resident did not measure', undefined, 'not_measured'],
    ['gateway offline by Last Will', home([scale()], { ...gwOnline, state: 'offline' }), 'gateway_offline'],
    ['gateway silent for more than 3 heartbeats', home([scale()], { ...gwOnline, stateAt: minutesAgo(10) }), 'gateway_offline'],
    ['no scale registered', home([{ ...scale(), kinds: ['blood_pressure'] }]), 'no_device'],
    ['scale battery 8 %', home([scale({ batteryPercent: 8 })]), 'battery_flat'],
    ['idle-advertising scale not seen for 10 h', home([scale({ advertisesWhenIdle: true, lastSeenAt: hoursAgo(10) })]), 'device_not_seen'],
    ['idle-advertising scale reported absent', home([scale({ advertisesWhenIdle: true, present: false, lastSeenAt: hoursAgo(1) })]), 'device_not_seen'],
    ['wake-on-use scale silent for 3 days: nobody used it', home([scale({ lastSeenAt: hoursAgo(72), present: false })]), 'not_measured'],
    ['battery fine, scale seen recently: nobody measured', home([scale({ advertisesWhenIdle: true, lastSeenAt: minutesAgo(5) })]), 'not_measured'],
    ['one of two scales is fine', home([scale({ batteryPercent: 5 }), scale({ deviceId: 'scale-2' })]), 'not_measured'],
    ['both scales have problems: battery first', home([scale({ advertisesWhenIdle: true, present: false }), scale({ deviceId: 'scale-2', batteryPercent: 3 })]), 'battery_flat'],
  ] as [string, HomeStatus | undefined, MissingCause][])('%s -> %s', (_name, h, cause) => {
    expect(missingCause('body_weight', h, NOW).cause).toBe(cause);
  });
});

const weighDaily: PatientContext = context({ schedules: [{ kind: 'body_weight', type: 'daily', by: '10:00' }] });

describe('evaluateMissing', () => {
  // NOW = Wednesday 14 Jan 2026, 13:00 in Copenhagen: today's 10:00 weigh-in is past due and past grace.
  it('clinical when the devices are there and nobody measured; escalates after two missed days', () => {
    const one = evaluateMissing({ context: weighDaily, samples: [sample('body_weight.weight', 80, hoursAgo(28))], now: NOW, home: home([scale()]) });
    expect(one).toMatchObject([{ ruleId: 'missing:body_weight', audience: 'clinical', severity: 'medium', cause: 'not_measured', condition: 'firing' }]);
    expect(one[0]?.summary).toBe(
      'No body weight reading (by 10:00 daily, due 2026-01-14 10:00; 1 missed; last 2026-01-13 09:00): device last seen 2026-01-13T10:00:00.000Z',
    );
    const two = evaluateMissing({ context: weighDaily, samples: [sample('body_weight.weight', 80, hoursAgo(52))], now: NOW, home: home([scale()]) });
    expect(two).toMatchObject([{ severity: 'high', evidence: { values: { missed: 2 } } }]);
  });

  it('technical, and says so, when the gateway is offline', () => {
    const f = evaluateMissing({ context: weighDaily, samples: [], now: NOW, home: home([scale()], { ...gwOnline, state: 'offline' }) });
    expect(f).toMatchObject([{ audience: 'technical', cause: 'gateway_offline', gatewayId: 'gw-1' }]);
    expect(f[0]?.summary).toMatch(/gateway gw-1 is offline$/);
  });

  it('technical with the device named when its battery is flat', () => {
    expect(evaluateMissing({ context: weighDaily, samples: [], now: NOW, home: home([scale({ batteryPercent: 4 })]) })).toMatchObject([
      { audience: 'technical', cause: 'battery_flat', deviceId: 'scale-1' },
    ]);
  });

  it('cleared once a reading arrives, only when open', () => {
    const samples = [sample('body_weight.weight', 80, minutesAgo(10))];
    expect(evaluateMissing({ context: weighDaily, samples, now: NOW, open: { 'missing:body_weight': 'high' } })).toMatchObject([{ condition: 'cleared', severity: 'high' }]);
    expect(evaluateMissing({ context: weighDaily, samples, now: NOW })).toEqual([]);
  });

  it('counts late and implausible readings as measurements, and engine-supplied last times', () => {
    expect(evaluateMissing({ context: weighDaily, samples: [sample('body_weight.weight', 3, hoursAgo(2), { implausible: true, late: true })], now: NOW })).toEqual([]);
    expect(evaluateMissing({ context: weighDaily, samples: [], now: NOW, lastReadingAt: { body_weight: hoursAgo(3) } })).toEqual([]);
  });

  it('custom severities per schedule', () => {
    const ctx = context({ schedules: [{ kind: 'blood_glucose', type: 'interval', everyHours: 8, severity: 'high', escalateAfterMissed: 3, escalatedSeverity: 'urgent' }] });
    expect(evaluateMissing({ context: ctx, samples: [sample('blood_glucose.glucose', 6, hoursAgo(10))], now: NOW })).toMatchObject([{ ruleId: 'missing:blood_glucose', severity: 'high' }]);
    expect(evaluateMissing({ context: ctx, samples: [sample('blood_glucose.glucose', 6, hoursAgo(26))], now: NOW })).toMatchObject([{ severity: 'urgent' }]);
  });

  it('silent while monitoring is passive', () => {
    const ctx = { ...weighDaily, passiveIntervals: [{ from: hoursAgo(30), reason: 'hospital' }] };
    expect(evaluateMissing({ context: ctx, samples: [], now: NOW })).toEqual([]);
  });

  it('lastReadingTimes takes the newest of samples and known times', () => {
    const times = lastReadingTimes([sample('spo2.spo2', 95, hoursAgo(5))], { spo2: hoursAgo(1), body_weight: hoursAgo(2) });
    expect(times).toEqual({ spo2: hoursAgo(1).getTime(), body_weight: hoursAgo(2).getTime() });
  });
});
