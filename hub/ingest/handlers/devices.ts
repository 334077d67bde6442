/** rpm/v1/gw/{id}/devices: presence, battery and clock offset of the box's devices. */
import { DeviceStatusReport, parseJson, parseWith } from '../../../contract/index.js';
import { deadLetter } from '../dead-letter.js';
import type { IncomingMessage, IngestContext } from '../ingest-context.js';

export async function handleDevices(ctx: IngestContext, msg: IncomingMessage): Promise<void> {
  const text = msg.payload.toString('utf8');
  const json = parseJson(text);
  const parsed = json.ok ? parseWith(DeviceStatusReport, json.value) : json;
  if (!parsed.ok) {
    await ctx.deadLetters.add([deadLetter(ctx, msg, 'invalid_devices', parsed.reason, text)]);
    return;
  }
  ctx.gatewayState.setDevices(msg.gatewayId, parsed.value);
}
