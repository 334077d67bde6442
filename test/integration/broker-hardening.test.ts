/**
 * The broker's listeners and limits with real clients: MQTT over TLS (password or client
 * certificate), MQTT over WebSocket, oversized packets, and connection attempts per address. Refused
 * clients get the CONNACK code MQTT 3.1.1 defines, are counted on /metrics, and are logged once per
 * reason and address — never with their password.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../contract/index.js';
import { metricValue } from '../support/hub-process.js';
import { countsByDevice, readingPayloads, simGateways } from '../support/ingest-load.js';
import { startIngestHub, type IngestHub } from '../support/ingest-hub.js';
import { makeTestCerts, type TestCerts } from '../support/test-certs.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const [g1, g2] = simGateways(2, 'brk') as [ReturnType<typeof simGateways>[0], ReturnType<typeof simGateways>[0]];
const MAX_PACKET = 64 * 1024;

function connect(url: string, gatewayId: string, options: mqtt.IClientOptions = {}): Promise<MqttClient> {
  return mqtt.connectAsync(url, { clientId: `gw-${gatewayId}`, username: gatewayId, protocolVersion: 4, clean: true, reconnectPeriod: 0, connectTimeout: 5000, ...options });
}

async function publishOne(client: MqttClient, gatewayId: string, runId: string, t0: number): Promise<void> {
  const gateway = [g1, g2].find((g) => g.gatewayId === gatewayId)!;
  await client.publishAsync(topics.readings(gatewayId), readingPayloads(runId, gateway, 1, 10, t0)[0]!, { qos: 1 });
}

describe('broker listeners and limits', () => {
  let fixture: IngestHub;
  let certs: TestCerts;
  let certDir: { path: string; remove: () => Promise<void> };
  let tlsUrl: string;

  beforeAll(async () => {
    certDir = await tempDir('certs');
    certs = await makeTestCerts(certDir.path, [g1.gatewayId, g2.gatewayId]);
    fixture = await startIngestHub([g1, g2], {
      mqtt: {
        host: '127.0.0.1',
        port: 0,
        tls: { port: 0, cert: certs.server.cert, key: certs.server.key, ca: certs.ca },
        ws: { port: 0 },
        maxPacketBytes: MAX_PACKET,
        connectAttemptsPerMinute: 1000,
      },
    });
    tlsUrl = `mqtts://127.0.0.1:${fixture.hub.broker.tlsPort}`;
  });

  afterAll(async () => {
    await fixture?.close();
    await certDir?.remove();
  });

  const stored = async (deviceId: string) => (await countsByDevice(fixture.influx)).get(deviceId)?.points ?? 0;

  it('takes readings over TLS from a gateway authenticating with its password', async () => {
    const client = await connect(tlsUrl, g1.gatewayId, { password: g1.secret, ca: certs.ca });
    await publishOne(client, g1.gatewayId, 'tls-pw', Date.UTC(2026, 4, 1));
    await client.endAsync();
    await waitFor('10 readings over TLS', async () => ((await stored(g1.deviceId)) >= 10 ? true : undefined));
  });

  it('takes a client certificate signed by MQTT_TLS_CA whose CN names the gateway, without a password', async () => {
    const { cert, key } = certs.clients[g2.gatewayId]!;
    const client = await connect(tlsUrl, g2.gatewayId, { ca: certs.ca, cert, key });
    await publishOne(client, g2.gatewayId, 'tls-cert', Date.UTC(2026, 4, 2));
    await client.endAsync();
    await waitFor('10 readings over TLS with a certificate', async () => ((await stored(g2.deviceId)) >= 10 ? true : undefined));
  });

  it("refuses a certificate naming another gateway, and one from another CA, with CONNACK 5 (not authorized)", async () => {
    const other = certs.clients[g2.gatewayId]!;
    await expect(connect(tlsUrl, g1.gatewayId, { ca: certs.ca, cert: other.cert, key: other.key })).rejects.toMatchObject({ code: 5 });
    await expect(connect(tlsUrl, g1.gatewayId, { ca: certs.ca, cert: certs.rogue.cert, key: certs.rogue.key })).rejects.toMatchObject({ code: 5 });
    const text = await fixture.metrics();
    expect(metricValue(text, 'rpm_mqtt_connections_refused_total', 'reason="bad_certificate"')).toBe(2);
  });

  it('takes readings over WebSocket', async () => {
    const before = await stored(g1.deviceId);
    const client = await connect(`ws://127.0.0.1:${fixture.hub.broker.wsPort}/mqtt`, g1.gatewayId, { password: g1.secret });
    await publishOne(client, g1.gatewayId, 'ws', Date.UTC(2026, 4, 3));
    await client.endAsync();
    await waitFor('10 readings over WebSocket', async () => ((await stored(g1.deviceId)) >= before + 10 ? true : undefined));
  });

  it('closes the connection at a packet over the size limit, storing nothing of it, and logs it once', async () => {
    const before = await stored(g1.deviceId);
    const client = await connect(fixture.mqttUrl, g1.gatewayId, { password: g1.secret });
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    const acked = client.publishAsync(topics.readings(g1.gatewayId), Buffer.alloc(MAX_PACKET + 1, 0x20), { qos: 1 }).then(() => true, () => false);
    await closed;
    client.end(true);
    expect(await Promise.race([acked, new Promise((r) => setTimeout(() => r('no PUBACK'), 200))])).not.toBe(true);
    const text = await fixture.metrics();
    expect(metricValue(text, 'rpm_mqtt_disconnects_total', 'reason="packet_too_large"')).toBe(1);
    // Size = fixed header (type byte + 3 length bytes) + topic (2 + n) + packet id (2) + payload.
    expect(fixture.logLines.filter((l) => l.includes('packet too large')).map((l) => JSON.parse(l) as Record<string, unknown>)).toMatchObject([
      { reason: 'packet_too_large', limit: MAX_PACKET, gateway: g1.gatewayId, size: 1 + 3 + 2 + topics.readings(g1.gatewayId).length + 2 + (MAX_PACKET + 1) },
    ]);
    // The gateway's next connection is served as usual.
    const again = await connect(fixture.mqttUrl, g1.gatewayId, { password: g1.secret });
    await publishOne(again, g1.gatewayId, 'after-big', Date.UTC(2026, 4, 4));
    await again.endAsync();
    await waitFor('10 more readings', async () => ((await stored(g1.deviceId)) === before + 10 ? true : undefined));
  });
});

describe('connection attempts per address', () => {
  let fixture: IngestHub;
  const wrongPassword = 'wrong-PASSWORD-do-not-log-4711';

  beforeAll(async () => {
    fixture = await startIngestHub([g1], { mqtt: { host: '127.0.0.1', port: 0, connectAttemptsPerMinute: 3 } });
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('answers CONNACK 3 (server unavailable) beyond the limit, even with the right password, and logs each reason once without the password', async () => {
    for (let i = 0; i < 3; i++) await expect(connect(fixture.mqttUrl, g1.gatewayId, { password: wrongPassword })).rejects.toMatchObject({ code: 4 });
    for (let i = 0; i < 3; i++) await expect(connect(fixture.mqttUrl, g1.gatewayId, { password: g1.secret })).rejects.toMatchObject({ code: 3 });

    const text = await fixture.metrics();
    expect(metricValue(text, 'rpm_mqtt_connections_refused_total', 'reason="bad_credentials"')).toBe(3);
    expect(metricValue(text, 'rpm_mqtt_connections_refused_total', 'reason="rate_limited"')).toBe(3);
    const refused = fixture.logLines.filter((l) => l.includes('connection refused')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(refused).toMatchObject([
      { reason: 'bad_credentials', address: '127.0.0.1', gateway: g1.gatewayId },
      { reason: 'rate_limited', address: '127.0.0.1' },
    ]);
    for (const line of fixture.logLines) {
      expect(line).not.toContain(wrongPassword);
      expect(line).not.toContain(g1.secret);
    }
  });
});
