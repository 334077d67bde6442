import { z } from 'zod';
import { UtcInstant, WIRE_VERSION } from './common.js';

/**
 * Retained on rpm/v1/gw/{id}/status. The gateway publishes `online` on connect and as a heartbeat;
 * the broker publishes its Last Will (`offline`, reason `connection_lost`) when the connection dies.
 */
export const GatewayStatus = z.object({
  v: z.literal(WIRE_VERSION),
  state: z.enum(['online', 'offline']),
  /** When this status was produced; for a Last Will, when the connection it guards was opened. */
  at: UtcInstant,
  reason: z.enum(['startup', 'heartbeat', 'shutdown', 'connection_lost']).optional(),
  software: z.string().max(64).optional(),
  /** Seconds between heartbeats: the hub calls the gateway offline after a few missed ones. */
  heartbeatS: z.number().int().positive().max(86_400).optional(),
  uptimeS: z.number().nonnegative().optional(),
  /** Readings waiting in the gateway's outbox for a PUBACK. */
  outboxDepth: z.number().int().nonnegative().optional(),
  /** Oldest reading still in the outbox. */
  outboxOldestAt: UtcInstant.optional(),
  bluetooth: z.enum(['poweredOn', 'poweredOff', 'unsupported', 'unauthorized', 'resetting', 'unknown', 'simulated']).optional(),
  timeZone: z.string().max(64).optional(),
});
export type GatewayStatus = z.infer<typeof GatewayStatus>;
