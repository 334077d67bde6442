/**
 * Every hub's dashboards see every alert. The notification outbox sends each `sse` notification
 * once, from whichever hub claimed it (SKIP LOCKED); this sink publishes it on a Redis channel that
 * every hub subscribes to and hands to its own in-process bus (dashboard-api's InProcessAlertEvents),
 * where its SSE clients listen. Redis pub/sub is at most once, like the live stream itself: a
 * dashboard that reconnects reloads the list (sse-channel.ts).
 */
import { Redis } from 'ioredis';
import { AlertMessage, parseJson, parseWith } from '../../contract/index.js';
import type { Logger } from '../log.js';
import type { AlertMessageSink } from '../notify/sse-channel.js';

export const ALERT_CHANNEL = 'rpm:v1:alerts';

export interface AlertFanout {
  /** Give this to the outbox's SSE channel. */
  readonly sink: AlertMessageSink;
  close(): Promise<void>;
}

export async function startAlertFanout(options: { readonly redisUrl: string; readonly local: AlertMessageSink; readonly log: Logger }): Promise<AlertFanout> {
  const connection = { maxRetriesPerRequest: null, retryStrategy: (times: number) => Math.min(50 * times, 1000) };
  const pub = new Redis(options.redisUrl, connection);
  const sub = new Redis(options.redisUrl, connection);
  // Outages are reported by the broker's Redis watch (hub/broker/redis-cluster.ts).
  pub.on('error', () => undefined);
  sub.on('error', () => undefined);
  sub.on('message', (_channel: string, text: string) => {
    const json = parseJson(text);
    const parsed = json.ok ? parseWith(AlertMessage, json.value) : json;
    if (!parsed.ok) {
      options.log.warn({ detail: parsed.reason }, 'malformed alert on the cluster channel ignored');
      return;
    }
    options.local.publish(parsed.value);
  });
  await sub.subscribe(ALERT_CHANNEL);
  return {
    sink: {
      publish(message) {
        // Queued by ioredis while Redis is away; delivered when it is back.
        pub.publish(ALERT_CHANNEL, JSON.stringify(message)).catch((err: Error) => options.log.warn({ err: err.message }, 'alert not fanned out to the other hubs'));
      },
    },
    async close() {
      sub.disconnect();
      pub.disconnect();
    },
  };
}
