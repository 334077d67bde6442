/**
 * The live stream: hands each alert change to the in-process bus that dashboard-api's SSE route
 * subscribes to (dashboard-api/services.ts AlertEvents; its InProcessAlertEvents has `publish`).
 * The bus delivers to whoever is connected now; a dashboard that reconnects reloads the list.
 */
import type { AlertMessage } from '../../contract/index.js';
import { errorText, type Channel, type DeliveryResult, type OutboxItem } from './notification.js';

export interface AlertMessageSink {
  publish(message: AlertMessage): void;
}

export function sseChannel(sink: AlertMessageSink): Channel {
  return {
    name: 'sse',
    send(item: OutboxItem): Promise<DeliveryResult> {
      try {
        sink.publish(item.payload.alert);
        return Promise.resolve({ outcome: 'delivered' });
      } catch (err) {
        return Promise.resolve({ outcome: 'retry', error: errorText(err) });
      }
    },
  };
}
