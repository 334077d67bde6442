import { z } from 'zod';
import { UtcInstant, WIRE_VERSION } from './common.js';

/** Gateway-side events the hub must know about, on rpm/v1/gw/{id}/events. */
export const GatewayEvent = z.discriminatedUnion('type', [
  z.object({
    v: z.literal(WIRE_VERSION),
    type: z.literal('outbox_dropped'),
    at: UtcInstant,
    /** Readings the bounded outbox had to drop, oldest first. */
    count: z.number().int().positive(),
    oldestMeasuredAt: UtcInstant.optional(),
    newestMeasuredAt: UtcInstant.optional(),
  }),
  z.object({
    v: z.literal(WIRE_VERSION),
    type: z.literal('decode_failed'),
    at: UtcInstant,
    characteristic: z.string().max(40),
    reason: z.string().max(500),
  }),
  z.object({
    v: z.literal(WIRE_VERSION),
    type: z.literal('command_result'),
    at: UtcInstant,
    commandId: z.string().max(128),
    ok: z.boolean(),
    message: z.string().max(500).optional(),
  }),
]);
export type GatewayEvent = z.infer<typeof GatewayEvent>;
