/**
 * The DeviceStatusReport the gateway publishes on rpm/v1/gw/{id}/devices (contract/schemas/device-status.ts):
 * for each registered device, whether it was seen advertising recently, its battery, its clock offset and
 * when the gateway last connected. Pure: the runtime supplies what it knows.
 */
import type { DeviceState, DeviceStatusReport } from '../../contract/index.js';
import type { KnownDevice } from './device-store.js';

export interface Sighting {
  readonly lastSeenAt: number;
  readonly rssi: number;
}

export interface DeviceStatusInput {
  readonly addresses: readonly string[];
  readonly known: (address: string) => KnownDevice | undefined;
  readonly sighting: (address: string) => Sighting | undefined;
  readonly now: Date;
  /** Seen advertising within this many seconds = present. */
  readonly presenceWindowS: number;
}

/** The contract allows 64 devices per report: a home has a handful. */
const MAX_DEVICES = 64;

export function deviceStatusReport(input: DeviceStatusInput): DeviceStatusReport {
  const devices: DeviceState[] = input.addresses.slice(0, MAX_DEVICES).map((address) => {
    const known = input.known(address) ?? {};
    const seen = input.sighting(address);
    return {
      // Until the first connection the gateway knows only the address (device-info.ts uses the same fallback).
      deviceId: known.deviceId ?? `mac-${address.replace(/:/g, '')}`,
      address,
      present: seen !== undefined && input.now.getTime() - seen.lastSeenAt <= input.presenceWindowS * 1000,
      ...(seen && { lastSeenAt: new Date(seen.lastSeenAt).toISOString(), rssi: Math.max(-127, Math.min(20, Math.round(seen.rssi))) }),
      ...(known.lastConnectedAt && { lastConnectedAt: known.lastConnectedAt }),
      ...(known.batteryPercent !== undefined && { batteryPercent: Math.max(0, Math.min(100, Math.round(known.batteryPercent))) }),
      ...(known.clockOffsetS !== undefined && { clockOffsetS: known.clockOffsetS }),
      ...(known.clockSetAt && { clockSetAt: known.clockSetAt }),
      ...(known.manufacturer && { manufacturer: known.manufacturer }),
      ...(known.model && { model: known.model }),
      ...(known.firmware && { firmware: known.firmware }),
    };
  });
  return { v: 1, at: input.now.toISOString(), devices };
}
