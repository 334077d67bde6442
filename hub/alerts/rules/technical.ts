/**
 * Technical rules about a home's equipment (audience: technical support, never nurses):
 *
 * gateway_offline      the retained status says offline (Last Will `connection_lost`, or a clean
 *                      `shutdown`), or the last heartbeat is older than `missedHeartbeats` (3) x the
 *                      announced heartbeat interval (default 60 s when the gateway announced none).
 *                      medium; high once offline for `escalateAfterHours` (12).
 * battery_low:<device> last reported level <= 20 % -> low, <= 10 % -> high (flat soon: readings will
 *                      stop). Clears only above 25 % (5 points hysteresis: levels jitter, and a fresh
 *                      battery jumps well past it anyway).
 * clock_drift:<device> |device clock - true time| > 300 s -> low (measurement times may be wrong; the
 *                      gateway's set-time should fix it). Clears at <= 240 s.
 * Rules are level-based like the clinical ones: firing while the condition holds, cleared only for
 * an alert the engine holds open.
 */
import { clearedFinding } from './severity.js';
import { HOUR_MS } from './samples.js';
import type { AlertSeverity, DeviceState, GatewayState, HomeStatus, OpenAlerts, RuleFinding } from './types.js';

export const GATEWAY_OFFLINE_RULE_ID = 'gateway_offline';
export const batteryRuleId = (deviceId: string): string => `battery_low:${deviceId}`;
export const clockDriftRuleId = (deviceId: string): string => `clock_drift:${deviceId}`;

export interface TechnicalSettings {
  readonly missedHeartbeats: number;
  /** Assumed when the gateway announced no interval. */
  readonly defaultHeartbeatS: number;
  readonly escalateAfterHours: number;
  readonly batteryWarnPercent: number;
  readonly batteryHighPercent: number;
  readonly batteryHysteresisPercent: number;
  readonly clockDriftS: number;
  readonly clockHysteresisS: number;
}

export const DEFAULT_TECHNICAL: TechnicalSettings = {
  missedHeartbeats: 3,
  defaultHeartbeatS: 60,
  escalateAfterHours: 12,
  batteryWarnPercent: 20,
  batteryHighPercent: 10,
  batteryHysteresisPercent: 5,
  clockDriftS: 300,
  clockHysteresisS: 60,
};

export interface GatewayOffline {
  readonly offline: boolean;
  /** Since when it is considered offline (status time, or the last heartbeat). */
  readonly since?: number;
  readonly reason?: 'last_will' | 'shutdown' | 'missed_heartbeats';
}

/** Is the gateway offline at `now`? Pure: from the last status and heartbeat the hub recorded. */
export function gatewayOffline(gw: GatewayState, now: Date, settings: TechnicalSettings = DEFAULT_TECHNICAL): GatewayOffline {
  if (gw.state === 'offline') return { offline: true, since: gw.stateAt.getTime(), reason: 'last_will' };
  const last = Math.max(gw.stateAt.getTime(), gw.lastHeartbeatAt?.getTime() ?? -Infinity);
  const allowedMs = settings.missedHeartbeats * (gw.heartbeatS ?? settings.defaultHeartbeatS) * 1000;
  if (now.getTime() - last > allowedMs) return { offline: true, since: last, reason: 'missed_heartbeats' };
  return { offline: false };
}

function hours(ms: number): string {
  const h = ms / HOUR_MS;
  return h < 1 ? `${Math.max(1, Math.round(h * 60))} min` : `${Math.round(h * 10) / 10} h`;
}

export function evaluateGateway(gw: GatewayState, now: Date, open: OpenAlerts = {}, settings: TechnicalSettings = DEFAULT_TECHNICAL): RuleFinding[] {
  const state = gatewayOffline(gw, now, settings);
  const base = { ruleId: GATEWAY_OFFLINE_RULE_ID, audience: 'technical', gatewayId: gw.gatewayId } as const;
  if (state.offline && state.since !== undefined) {
    const forMs = now.getTime() - state.since;
    const why = state.reason === 'missed_heartbeats' ? `no heartbeat for ${hours(forMs)}` : `offline (last will) for ${hours(forMs)}`;
    return [
      {
        ...base,
        severity: forMs >= settings.escalateAfterHours * HOUR_MS ? 'high' : 'medium',
        summary: `Gateway ${gw.gatewayId} ${why}: readings from this home wait in its outbox`,
        evidence: { readingIds: [], values: { since: new Date(state.since).toISOString(), reason: state.reason ?? null, heartbeatS: gw.heartbeatS ?? null } },
        condition: 'firing',
      },
    ];
  }
  const held = open[GATEWAY_OFFLINE_RULE_ID];
  return held === undefined ? [] : [{ ...clearedFinding(GATEWAY_OFFLINE_RULE_ID, 'technical', held, `Gateway ${gw.gatewayId} back online`), gatewayId: gw.gatewayId }];
}

/** The battery band of a level; with an open alert, it holds until the level is above warn + hysteresis. */
export function batterySeverity(percent: number, held: AlertSeverity | undefined, settings: TechnicalSettings = DEFAULT_TECHNICAL): AlertSeverity | undefined {
  if (percent <= settings.batteryHighPercent) return 'high';
  if (percent <= settings.batteryWarnPercent) return 'low';
  if (held !== undefined && percent <= settings.batteryWarnPercent + settings.batteryHysteresisPercent) return 'low';
  return undefined;
}

export function evaluateDevice(device: DeviceState, _now: Date, open: OpenAlerts = {}, settings: TechnicalSettings = DEFAULT_TECHNICAL): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const d = device.deviceId;
  const batteryId = batteryRuleId(d);
  if (device.batteryPercent !== undefined) {
    const severity = batterySeverity(device.batteryPercent, open[batteryId], settings);
    const values = { batteryPercent: device.batteryPercent, kinds: device.kinds.join(',') };
    if (severity) {
      findings.push({
        ruleId: batteryId,
        audience: 'technical',
        severity,
        summary: `Device ${d} battery ${device.batteryPercent} %${severity === 'high' ? ': replace now, readings will stop' : ''}`,
        evidence: { readingIds: [], values },
        condition: 'firing',
        deviceId: d,
      });
    } else if (open[batteryId] !== undefined) {
      findings.push({ ...clearedFinding(batteryId, 'technical', open[batteryId], `Device ${d} battery ${device.batteryPercent} %`, { readingIds: [], values }), deviceId: d });
    }
  }
  const clockId = clockDriftRuleId(d);
  if (device.clockOffsetS !== undefined) {
    const drift = Math.abs(device.clockOffsetS);
    const limit = open[clockId] !== undefined ? settings.clockDriftS - settings.clockHysteresisS : settings.clockDriftS;
    const values = { clockOffsetS: device.clockOffsetS };
    const text = `Device ${d} clock ${device.clockOffsetS > 0 ? 'ahead' : 'behind'} by ${Math.round(drift)} s`;
    if (drift > limit) {
      findings.push({ ruleId: clockId, audience: 'technical', severity: 'low', summary: `${text}: measurement times may be wrong`, evidence: { readingIds: [], values }, condition: 'firing', deviceId: d });
    } else if (open[clockId] !== undefined) {
      findings.push({ ...clearedFinding(clockId, 'technical', open[clockId], text, { readingIds: [], values }), deviceId: d });
    }
  }
  return findings;
}

/** All technical findings for one home: its gateway and each of its devices. Keys of `open` are rule ids. */
export function evaluateHome(home: HomeStatus, now: Date, open: OpenAlerts = {}, settings: TechnicalSettings = DEFAULT_TECHNICAL): RuleFinding[] {
  const findings = home.gateway ? evaluateGateway(home.gateway, now, open, settings) : [];
  for (const device of home.devices) findings.push(...evaluateDevice(device, now, open, settings));
  return findings;
}
