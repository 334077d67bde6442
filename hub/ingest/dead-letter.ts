import { truncatePayload, type DeadLetter } from '../dead-letters/dead-letter-store.js';
import type { IncomingMessage, IngestContext } from './ingest-context.js';

/** Builds a dead letter for a refused message (or part of one), counts it, and logs it without its content. */
export function deadLetter(ctx: IngestContext, msg: IncomingMessage, reasonCode: string, reason: string, payload: string): DeadLetter {
  ctx.stats.refuse(reasonCode);
  // The reason names fields and expected shapes; it does not echo values, so it is safe to log.
  ctx.log.warn({ gateway: msg.gatewayId, topic: msg.topic, reasonCode, reason: reason.slice(0, 300) }, 'refused input kept as dead letter');
  return { at: ctx.now().toISOString(), gatewayId: msg.gatewayId, topic: msg.topic, reasonCode, reason, payload: truncatePayload(payload) };
}
