/** rpm/v1/gw/{id}/events: what the gateway had to drop or could not decode, and command results. */
import { GatewayEvent, parseJson, parseWith } from '../../../contract/index.js';
import { deadLetter } from '../dead-letter.js';
import type { IncomingMessage, IngestContext } from '../ingest-context.js';

export async function handleEvents(ctx: IngestContext, msg: IncomingMessage): Promise<void> {
  const text = msg.payload.toString('utf8');
  const json = parseJson(text);
  const parsed = json.ok ? parseWith(GatewayEvent, json.value) : json;
  if (!parsed.ok) {
    await ctx.deadLetters.add([deadLetter(ctx, msg, 'invalid_event', parsed.reason, text)]);
    return;
  }
  const event = parsed.value;
  if (event.type === 'outbox_dropped') {
    ctx.log.error({ gateway: msg.gatewayId, count: event.count }, 'gateway outbox overflowed: readings were lost on the box');
  } else if (event.type === 'decode_failed') {
    ctx.log.warn({ gateway: msg.gatewayId, characteristic: event.characteristic, reason: event.reason }, 'gateway could not decode a device value');
  } else {
    ctx.log.info({ gateway: msg.gatewayId, commandId: event.commandId, ok: event.ok }, 'gateway command result');
  }
}
