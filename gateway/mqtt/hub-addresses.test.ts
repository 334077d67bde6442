import { createServer } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/free-port.js';
import { HUB_URL_PATTERN, hubUrls, reconnectDelayMs, serverOptions } from './hub-addresses.js';

describe('hub addresses', () => {
  it('accepts one URL or several separated by commas', () => {
    expect(HUB_URL_PATTERN.test('mqtt://hub.example:1883')).toBe(true);
    expect(HUB_URL_PATTERN.test('mqtts://a.example:8883, mqtts://b.example:8883')).toBe(true);
    expect(HUB_URL_PATTERN.test('mqtt://a.example:1883,http://b.example')).toBe(false);
    expect(HUB_URL_PATTERN.test('mqtt://a.example:1883,')).toBe(false);
    expect(hubUrls(' mqtt://a:1 ,mqtt://b:2')).toEqual(['mqtt://a:1', 'mqtt://b:2']);
  });

  it('gives mqtt.js a servers list only for more than one hub', () => {
    expect(serverOptions('mqtt://a:1883')).toEqual({ url: 'mqtt://a:1883', options: {} });
    expect(serverOptions('mqtt://a:1883,tls://b')).toEqual({
      url: 'mqtt://a:1883',
      options: { servers: [{ host: 'a', port: 1883, protocol: 'mqtt' }, { host: 'b', port: 8883, protocol: 'mqtts' }] },
    });
  });

  it('waits between half and all of 1 s doubling to 60 s before each reconnect', () => {
    expect([1, 2, 3, 7, 30].map((a) => reconnectDelayMs(a, () => 0))).toEqual([500, 1000, 2000, 30_000, 30_000]);
    expect([1, 2, 3, 7, 30].map((a) => reconnectDelayMs(a, () => 1))).toEqual([1000, 2000, 4000, 60_000, 60_000]);
  });

  it('reaches the second hub when the first does not answer (real mqtt.js and Aedes)', async () => {
    const aedes = await Aedes.createBroker();
    const server = createServer(aedes.handle);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const live = (server.address() as { port: number }).port;
    const dead = await freePort();
    const target = serverOptions(`mqtt://127.0.0.1:${dead},mqtt://127.0.0.1:${live}`);
    const client = mqtt.connect(target.url, { ...target.options, reconnectPeriod: 50, connectTimeout: 1000 });
    try {
      await new Promise<void>((resolve) => client.once('connect', () => resolve()));
      expect(client.options.port).toBe(live);
    } finally {
      await client.endAsync(true);
      await new Promise<void>((r) => server.close(() => r()));
      await new Promise<void>((r) => aedes.close(() => r()));
    }
  });
});
