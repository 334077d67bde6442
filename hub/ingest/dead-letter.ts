import { truncatePayload, type DeadLetter } from '../dead-letters/dead-letter-store.js';
import type { IncomingMessage, IngestContext } from './ingest-context.js';

/** Builds a dead letter for a refused message (or part of one), counts it, and logs it without its content. */
export function deadLetter(ctx: IngestContext, msg: IncomingMessage, reasonCode: string, reason: string, payload: string): DeadLetter {
  ctx.stats.refuse(reasonCode);
  ctx.log.warn({ gateway: msg.gatewayId, topic: msg.topic, reasonCode, reason: loggableReason(reason) }, 'refused input kept as dead letter');
  return { at: ctx.now().toISOString(), gatewayId: msg.gatewayId, topic: msg.topic, reasonCode, reason, payload: truncatePayload(payload) };
}

/**
 * The reason without excerpts of the payload. Schema reasons name fields and expected shapes, but
 * V8's JSON.parse errors quote the input (`Unexpected token 'p', "p-1001 sec"... is not valid
 * JSON`), and the payload may hold anything. The dead letter itself keeps the full reason.
 */
export function loggableReason(reason: string): string {
  return reason.replace(/"(?:[^"\\]|\\.)*"(?:\.\.\.)?/g, '"…"').replace(/'[^']{1,8}'/g, "'…'").slice(0, 300);
}
