/** rpm/v1/gw/{id}/status: online / heartbeat / shutdown, and the Last Will's offline. */
import { GatewayStatus, parseJson, parseWith } from '../../../contract/index.js';
import { deadLetter } from '../dead-letter.js';
import type { IncomingMessage, IngestContext } from '../ingest-context.js';

export async function handleStatus(ctx: IngestContext, msg: IncomingMessage): Promise<void> {
  const text = msg.payload.toString('utf8');
  if (text.length === 0) return; // an empty retained message clears the retained status: nothing to record
  const json = parseJson(text);
  const parsed = json.ok ? parseWith(GatewayStatus, json.value) : json;
  if (!parsed.ok) {
    await ctx.deadLetters.add([deadLetter(ctx, msg, 'invalid_status', parsed.reason, text)]);
    return;
  }
  ctx.gatewayState.setStatus(msg.gatewayId, parsed.value, ctx.now());
  ctx.log.info({ gateway: msg.gatewayId, state: parsed.value.state, reason: parsed.value.reason }, 'gateway status');
}
