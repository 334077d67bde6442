/**
 * In a cluster each hub hears the status and device reports that gateways connected to other hubs
 * published (through Redis; hub/broker/redis-cluster.ts), so the engine's view of every home does not
 * depend on which hub a box happens to be connected to. The receiving hub already dead-lettered
 * anything invalid; here it is ignored.
 */
import { DeviceStatusReport, GatewayStatus, parseJson, parseWith } from '../../contract/index.js';
import type { GatewayStateStore } from './gateway-state.js';

export function applyRemoteGatewayMessage(state: GatewayStateStore, channel: 'status' | 'devices', gatewayId: string, payload: Buffer, now: Date): boolean {
  const text = payload.toString('utf8');
  if (text.length === 0) return false; // a cleared retained status
  const json = parseJson(text);
  if (!json.ok) return false;
  if (channel === 'status') {
    const parsed = parseWith(GatewayStatus, json.value);
    if (parsed.ok) state.setStatus(gatewayId, parsed.value, now);
    return parsed.ok;
  }
  const parsed = parseWith(DeviceStatusReport, json.value);
  if (parsed.ok) state.setDevices(gatewayId, parsed.value);
  return parsed.ok;
}
