import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { describe, it, expect } from 'vitest';
import { AlertMessage, topics } from '../../contract/index.js';
import { channelContract, testItem, type ChannelHarness, type Received } from './channel-contract.js';
import { mqttChannel } from './mqtt-channel.js';

interface Broker {
  readonly aedes: Aedes;
  readonly server: Server;
  readonly subscriber: MqttClient;
  readonly messages: { topic: string; qos: number; retain: boolean; payload: string }[];
}

/** A plain Aedes on a free port with a real mqtt.js subscriber to the team's alert topics. */
async function broker(): Promise<Broker> {
  const aedes = await Aedes.createBroker();
  const server = createServer({ noDelay: true }, (socket) => aedes.handle(socket));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const subscriber = await mqtt.connectAsync(`mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`, { clientId: 'dashboard-sub', reconnectPeriod: 0 });
  const messages: Broker['messages'] = [];
  subscriber.on('message', (topic, payload, packet) => messages.push({ topic, qos: packet.qos, retain: packet.retain, payload: payload.toString('utf8') }));
  await subscriber.subscribeAsync(topics.teamAlerts('team-north'), { qos: 1 });
  return { aedes, server, subscriber, messages };
}

async function close(b: Broker): Promise<void> {
  await b.subscriber.endAsync(true);
  if (!b.aedes.closed) await new Promise<void>((r) => b.aedes.close(() => r()));
  await new Promise<void>((r) => b.server.close(() => r()));
}

channelContract('mqtt', async (): Promise<ChannelHarness> => {
  const b = await broker();
  return {
    channel: mqttChannel(b.aedes),
    target: { careTeamId: 'team-north' },
    received: () => Promise.resolve(b.messages.map((m): Received => ({ alert: AlertMessage.parse(JSON.parse(m.payload)) }))),
    // The hub's broker shutting down: publishes fail until it is back.
    breakReceiver: () => new Promise<void>((r) => b.aedes.close(() => r())),
    close: () => close(b),
  };
});

describe('mqtt channel', () => {
  it('publishes the contract AlertMessage on rpm/v1/alerts/{team}/{alert}, QoS 1, not retained', async () => {
    const b = await broker();
    try {
      const item = testItem('mqtt', { careTeamId: 'team-north' });
      await mqttChannel(b.aedes).send(item);
      await expect.poll(() => b.messages.length).toBe(1);
      expect(b.messages[0]).toMatchObject({ topic: `rpm/v1/alerts/team-north/${item.alertId}`, qos: 1, retain: false });
      expect(AlertMessage.parse(JSON.parse(b.messages[0]!.payload))).toEqual(item.payload.alert);
    } finally {
      await close(b);
    }
  });

  it('refuses a care team id that is not a valid topic level, for good', async () => {
    const b = await broker();
    try {
      const result = await mqttChannel(b.aedes).send(testItem('mqtt', { careTeamId: 'north/#' }));
      expect(result.outcome).toBe('failed');
    } finally {
      await close(b);
    }
  });
});
