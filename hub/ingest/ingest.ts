/** One dispatcher, one handler per channel (as MQTT.js does per packet type). */
import type { GatewayChannel } from '../../contract/index.js';
import { handleDevices } from './handlers/devices.js';
import { handleEvents } from './handlers/events.js';
import { handleReadings } from './handlers/readings.js';
import { handleStatus } from './handlers/status.js';
import type { IncomingMessage, IngestContext } from './ingest-context.js';

type Handler = (ctx: IngestContext, msg: IncomingMessage) => Promise<void>;

const HANDLERS: Partial<Record<GatewayChannel, Handler>> = {
  readings: handleReadings,
  status: handleStatus,
  devices: handleDevices,
  events: handleEvents,
};

export interface Ingest {
  /** Resolves once the message's effects are durable; rejects only when storage is unavailable. */
  handle(channel: GatewayChannel, msg: IncomingMessage): Promise<void>;
}

export function createIngest(ctx: IngestContext): Ingest {
  return {
    async handle(channel, msg) {
      ctx.stats.messages++;
      const handler = HANDLERS[channel];
      if (handler) await handler(ctx, msg);
    },
  };
}
