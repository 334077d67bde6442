import { z } from 'zod';
import { Identifier, UtcInstant, WIRE_VERSION } from './common.js';

export const DeviceState = z.object({
  deviceId: Identifier,
  address: z.string().max(64).optional(),
  /** Seen by the gateway's scanner recently enough to count as present. */
  present: z.boolean(),
  lastSeenAt: UtcInstant.optional(),
  lastConnectedAt: UtcInstant.optional(),
  rssi: z.number().int().min(-127).max(20).optional(),
  /** Battery level 0-100 % (Battery Level 0x2A19). */
  batteryPercent: z.number().int().min(0).max(100).optional(),
  /** Device clock minus true time, in seconds, measured at the last connection. */
  clockOffsetS: z.number().finite().optional(),
  clockSetAt: UtcInstant.optional(),
  manufacturer: z.string().max(128).optional(),
  model: z.string().max(128).optional(),
  firmware: z.string().max(64).optional(),
});
export type DeviceState = z.infer<typeof DeviceState>;

/** Published on rpm/v1/gw/{id}/devices: the state of the devices registered to this box. */
export const DeviceStatusReport = z.object({
  v: z.literal(WIRE_VERSION),
  at: UtcInstant,
  devices: z.array(DeviceState).max(64),
});
export type DeviceStatusReport = z.infer<typeof DeviceStatusReport>;
