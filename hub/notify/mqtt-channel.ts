/**
 * MQTT delivery: the alert as a contract AlertMessage on rpm/v1/alerts/{careTeamId}/{alertId}, QoS 1,
 * not retained (a retained alert would greet every new subscriber with a stale state), published
 * through the hub's own Aedes instance. Subscribers order updates by `revision`.
 */
import type { Aedes } from 'aedes';
import { topics } from '../../contract/index.js';
import { errorText, type BroadcastTargetJson, type Channel, type DeliveryResult, type OutboxItem } from './notification.js';

export type AlertPublisher = Pick<Aedes, 'publish'>;

export function mqttChannel(aedes: AlertPublisher): Channel {
  return {
    name: 'mqtt',
    send(item: OutboxItem): Promise<DeliveryResult> {
      const { careTeamId } = item.target as BroadcastTargetJson;
      const message = item.payload.alert;
      let topic: string;
      try {
        topic = topics.alert(careTeamId, message.id);
      } catch (err) {
        return Promise.resolve({ outcome: 'failed', error: errorText(err) });
      }
      return new Promise((resolve) => {
        aedes.publish({ cmd: 'publish', topic, payload: Buffer.from(JSON.stringify(message)), qos: 1, retain: false, dup: false }, (err) => {
          resolve(err ? { outcome: 'retry', error: errorText(err) } : { outcome: 'delivered' });
        });
      });
    },
  };
}
