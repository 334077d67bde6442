import { z } from 'zod';
import { Identifier, UtcInstant, WIRE_VERSION } from './common.js';

const CommandBase = {
  v: z.literal(WIRE_VERSION),
  /** Unique per command: the gateway answers with a command_result event carrying it. */
  id: Identifier,
  issuedAt: UtcInstant,
};

/** Commands from the hub to one gateway, on rpm/v1/gw/{id}/commands (QoS 1). */
export const GatewayCommand = z.discriminatedUnion('type', [
  z.object({
    ...CommandBase,
    type: z.literal('register_device'),
    /** BLE address as printed on the device or learned by a scan, e.g. a4:c1:38:00:11:22. */
    address: z.string().regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i, 'expected a BLE address like a4:c1:38:00:11:22'),
    /** Optional friendly label for support staff; never patient data. */
    label: z.string().max(64).optional(),
  }),
  z.object({
    ...CommandBase,
    type: z.literal('unregister_device'),
    address: z.string().regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i, 'expected a BLE address like a4:c1:38:00:11:22'),
  }),
  z.object({
    ...CommandBase,
    type: z.literal('set_config'),
    settings: z
      .object({
        heartbeatS: z.number().int().min(10).max(3600).optional(),
        timeZone: z.string().min(1).max(64).optional(),
        scanWindowS: z.number().int().min(1).max(600).optional(),
        setDeviceClock: z.boolean().optional(),
      })
      .strict(),
  }),
  z.object({ ...CommandBase, type: z.literal('request_status') }),
]);
export type GatewayCommand = z.infer<typeof GatewayCommand>;
