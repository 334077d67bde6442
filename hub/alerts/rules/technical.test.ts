import { describe, it, expect } from 'vitest';
import { batterySeverity, evaluateDevice, evaluateGateway, evaluateHome, gatewayOffline } from './technical.js';
import { NOW, hoursAgo, minutesAgo } from './testing.js';
import type { AlertSeverity, DeviceState, GatewayState } from './types.js';

const gw = (extra: Partial<GatewayState> = {}): GatewayState => ({ gatewayId: 'gw-1', state: 'online', stateAt: hoursAgo(5), lastHeartbeatAt: minutesAgo(1), heartbeatS: 60, ...extra });
const secondsAgo = (s: number) => new Date(NOW.getTime() - s * 1000);

describe('gateway offline', () => {
  it.each([
    ['online, heartbeat 1 min ago', gw(), false],
    ['online, heartbeat 180 s ago (3 x 60 s)', gw({ lastHeartbeatAt: secondsAgo(180) }), false],
    ['online, heartbeat 181 s ago', gw({ lastHeartbeatAt: secondsAgo(181) }), true],
    ['heartbeat every 300 s: 14 min is fine', gw({ heartbeatS: 300, lastHeartbeatAt: minutesAgo(14) }), false],
    ['heartbeat every 300 s: 16 min is not', gw({ heartbeatS: 300, lastHeartbeatAt: minutesAgo(16) }), true],
    ['no interval announced: 60 s assumed', { gatewayId: 'gw-1', state: 'online', stateAt: secondsAgo(200) }, true],
    ['status newer than the last heartbeat counts', gw({ stateAt: secondsAgo(10), lastHeartbeatAt: hoursAgo(1) }), false],
    ['Last Will (offline)', gw({ state: 'offline', stateAt: minutesAgo(1) }), true],
  ] as [string, GatewayState, boolean][])('%s -> offline %s', (_name, g, offline) => {
    expect(gatewayOffline(g, NOW).offline).toBe(offline);
  });

  it('medium, then high after 12 h; technical, with the gateway id', () => {
    expect(evaluateGateway(gw({ state: 'offline', stateAt: hoursAgo(2) }), NOW)).toMatchObject([
      { ruleId: 'gateway_offline', audience: 'technical', severity: 'medium', gatewayId: 'gw-1', condition: 'firing' },
    ]);
    expect(evaluateGateway(gw({ lastHeartbeatAt: hoursAgo(13), stateAt: hoursAgo(13) }), NOW)).toMatchObject([{ severity: 'high', evidence: { values: { reason: 'missed_heartbeats' } } }]);
  });

  it('cleared when back online, only if open', () => {
    expect(evaluateGateway(gw(), NOW, { gateway_offline: 'high' })).toMatchObject([{ condition: 'cleared', gatewayId: 'gw-1' }]);
    expect(evaluateGateway(gw(), NOW)).toEqual([]);
  });
});

describe('battery low (20 % warn, 10 % high, clears above 25 %)', () => {
  it.each([
    [21, undefined, undefined],
    [20, undefined, 'low'],
    [11, undefined, 'low'],
    [10, undefined, 'high'],
    [0, undefined, 'high'],
    [25, 'low', 'low'],
    [26, 'low', undefined],
    [15, 'high', 'low'],
    [100, 'high', undefined],
  ] as [number, AlertSeverity | undefined, AlertSeverity | undefined][])('%d %% (open %s) -> %s', (percent, held, expected) => {
    expect(batterySeverity(percent, held)).toBe(expected);
  });

  it('one finding per device, keyed by the device', () => {
    const d: DeviceState = { deviceId: 'cuff-7', kinds: ['blood_pressure'], present: true, batteryPercent: 9 };
    expect(evaluateDevice(d, NOW)).toMatchObject([{ ruleId: 'battery_low:cuff-7', audience: 'technical', severity: 'high', deviceId: 'cuff-7' }]);
    expect(evaluateDevice({ ...d, batteryPercent: 90 }, NOW, { 'battery_low:cuff-7': 'high' })).toMatchObject([{ condition: 'cleared' }]);
  });
});

describe('clock drift (|offset| > 300 s, clears at <= 240 s)', () => {
  const dev = (clockOffsetS: number): DeviceState => ({ deviceId: 'ox-1', kinds: ['spo2'], present: true, clockOffsetS });
  it.each([
    [300, {}, undefined],
    [301, {}, 'firing'],
    [-301, {}, 'firing'],
    [-3600, {}, 'firing'],
    [250, { 'clock_drift:ox-1': 'low' }, 'firing'],
    [240, { 'clock_drift:ox-1': 'low' }, 'cleared'],
  ] as [number, Record<string, AlertSeverity>, string | undefined][])('offset %d s -> %s', (offset, open, condition) => {
    const f = evaluateDevice(dev(offset), NOW, open);
    if (condition === undefined) expect(f).toEqual([]);
    else expect(f).toMatchObject([{ ruleId: 'clock_drift:ox-1', audience: 'technical', condition }]);
  });
  it('says which way the clock is off', () => {
    expect(evaluateDevice(dev(-400), NOW)[0]?.summary).toBe('Device ox-1 clock behind by 400 s: measurement times may be wrong');
  });
});

describe('evaluateHome', () => {
  it('collects gateway and device findings', () => {
    const findings = evaluateHome(
      {
        gateway: gw({ state: 'offline', stateAt: minutesAgo(30) }),
        devices: [
          { deviceId: 'a', kinds: ['spo2'], present: true, batteryPercent: 15, clockOffsetS: 1000 },
          { deviceId: 'b', kinds: ['body_weight'], present: true, batteryPercent: 90 },
        ],
      },
      NOW,
    );
    expect(findings.map((f) => f.ruleId)).toEqual(['gateway_offline', 'battery_low:a', 'clock_drift:a']);
  });
});
