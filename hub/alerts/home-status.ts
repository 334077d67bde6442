/**
 * The home status the missing-reading and technical rules need, from what the hub knows of a
 * gateway: its status and device report as last published (in memory, hub/ingest/gateway-state.ts)
 * or, after a restart, as the engine remembered them in SQL. Which device measures which kind comes
 * from the patient's readings (the device tag of each kind).
 */
import type { GatewayStateView } from '../ingest/gateway-state.js';
import type { RememberedGateway } from './config-store.js';
import type { PatientReading } from './patient-readings.js';
import type { DeviceState, HomeStatus, VitalKind } from './rules/index.js';

/** The hub's live view of gateways (GatewayStateStore satisfies it). */
export interface GatewayStatusSource {
  all(): ReadonlyMap<string, GatewayStateView>;
}

/** What a gateway's last published status says, on the hub's clock; undefined before any status. */
export function rememberedFromView(gatewayId: string, view: GatewayStateView): RememberedGateway | undefined {
  if (!view.status || !view.statusReceivedAt) return undefined;
  const at = new Date(view.statusReceivedAt);
  return {
    gatewayId,
    state: view.status.state,
    stateAt: at,
    ...(view.status.state === 'online' ? { lastHeartbeatAt: at } : {}),
    ...(view.status.heartbeatS !== undefined ? { heartbeatS: view.status.heartbeatS } : {}),
    devices: view.devices?.devices ?? [],
  };
}

/**
 * A remembered gateway as of a hub (re)start: a box cannot heartbeat to a hub that is down, so the
 * silence before `startedAt` is the hub's, not the box's. It counts as heard from at the start and
 * is called offline only after missing heartbeats since then (or by its Last Will).
 */
export function resumed(g: RememberedGateway, startedAt: Date | undefined): RememberedGateway {
  if (!startedAt || g.state !== 'online') return g;
  const last = g.lastHeartbeatAt?.getTime() ?? g.stateAt.getTime();
  return last >= startedAt.getTime() ? g : { ...g, lastHeartbeatAt: startedAt };
}

/** Live views win over remembered ones; remembered ones cover gateways silent since a restart. */
export function mergeGateways(live: GatewayStatusSource, remembered: readonly RememberedGateway[], startedAt?: Date): Map<string, RememberedGateway> {
  const out = new Map(remembered.map((g) => [g.gatewayId, resumed(g, startedAt)]));
  for (const [id, view] of live.all()) {
    const fresh = rememberedFromView(id, view);
    const old = out.get(id);
    if (fresh) out.set(id, fresh.devices.length === 0 && old ? { ...fresh, devices: old.devices } : fresh);
    else if (old && view.devices) out.set(id, { ...old, devices: view.devices.devices });
  }
  return out;
}

/** Which kinds each device delivered, from the readings. */
export function kindsByDevice(readings: readonly PatientReading[]): Map<string, VitalKind[]> {
  const out = new Map<string, VitalKind[]>();
  for (const r of readings) {
    let kinds = out.get(r.deviceId);
    if (!kinds) out.set(r.deviceId, (kinds = []));
    if (!kinds.includes(r.kind)) kinds.push(r.kind);
  }
  return out;
}

/**
 * The rules' HomeStatus. Devices the gateway reported carry presence, battery and clock; devices
 * seen only in readings count as present (most health devices wake only to measure, so silence from
 * them means "not measured", never a fault).
 */
export function homeStatus(gateway: RememberedGateway | undefined, kinds: ReadonlyMap<string, readonly VitalKind[]>): HomeStatus {
  const devices: DeviceState[] = [];
  const reported = new Set<string>();
  for (const d of gateway?.devices ?? []) {
    reported.add(d.deviceId);
    devices.push({
      deviceId: d.deviceId,
      kinds: kinds.get(d.deviceId) ?? [],
      present: d.present,
      ...(d.lastSeenAt ? { lastSeenAt: new Date(d.lastSeenAt) } : {}),
      ...(d.batteryPercent !== undefined ? { batteryPercent: d.batteryPercent } : {}),
      ...(d.clockOffsetS !== undefined ? { clockOffsetS: d.clockOffsetS } : {}),
    });
  }
  for (const [deviceId, k] of kinds) if (!reported.has(deviceId)) devices.push({ deviceId, kinds: k, present: true });
  if (!gateway) return { devices };
  return {
    gateway: {
      gatewayId: gateway.gatewayId,
      state: gateway.state,
      stateAt: gateway.stateAt,
      ...(gateway.lastHeartbeatAt ? { lastHeartbeatAt: gateway.lastHeartbeatAt } : {}),
      ...(gateway.heartbeatS !== undefined ? { heartbeatS: gateway.heartbeatS } : {}),
    },
    devices,
  };
}
