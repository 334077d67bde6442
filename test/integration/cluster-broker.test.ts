/**
 * Two hubs sharing broker state through one Redis (HUB_REDIS_URL): hub A in this process, hub B a
 * child process. A command published on A reaches a gateway connected to B; B's gateways' status
 * is known on A and retained in Redis; when B is killed -9, A publishes the Last Will of B's gateway
 * that did not come back and drops that of the one that reconnected to A; Redis restarted mid-run
 * loses no acknowledged reading, and a Redis that stays down makes /readyz say so.
 */
import { join } from 'node:path';
import { pino } from 'pino';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../contract/index.js';
import { startHub, type RunningHub } from '../../hub/hub.js';
import { MemoryRegistry } from '../../hub/registry/memory-registry.js';
import type { InfluxV1Client } from '../../hub/storage/influx-v1.js';
import { freePort } from '../../scripts/lib/free-port.js';
import { freshInfluxDatabase, influxUrl } from '../setup/influx.js';
import { metricValue, startHubProcess, writeSeedFile, type HubProcess, type HubProcessConfig } from '../support/hub-process.js';
import { countsByDevice, readingPayloads, seedFor, simGateways } from '../support/ingest-load.js';
import { startRedisForTests, type RedisForTests } from '../support/redis-fixture.js';
import { ReliablePublisher } from '../support/reliable-publisher.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const HEARTBEAT_MS = 500;
const gateways = simGateways(4, 'clb');
const [g1, g2, g3, g4] = gateways as [(typeof gateways)[0], (typeof gateways)[0], (typeof gateways)[0], (typeof gateways)[0]];
const status = (state: 'online' | 'offline', at = new Date()) => JSON.stringify({ v: 1, state, at: at.toISOString(), ...(state === 'online' && { reason: 'startup' }) });

let redis: RedisForTests;
let influx: InfluxV1Client;
let hubA: RunningHub;
let hubB: HubProcess;
let configB: HubProcessConfig;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  const dir = await tempDir('cluster-broker');
  cleanups.push(dir.remove);
  redis = await startRedisForTests();
  cleanups.push(() => redis.close());
  influx = await freshInfluxDatabase('clb');
  const seed = await seedFor(gateways);
  hubA = await startHub({
    dataDir: join(dir.path, 'a'),
    mqtt: { host: '127.0.0.1', port: 0 },
    influx,
    registry: new MemoryRegistry(seed),
    log: pino({ level: process.env.TEST_LOG ?? 'silent' }, pino.destination(2)),
    ops: { host: '127.0.0.1', port: 0 },
    redis: { url: redis.url, heartbeatIntervalMs: HEARTBEAT_MS },
  });
  cleanups.push(() => hubA.close());
  configB = {
    dataDir: join(dir.path, 'b'),
    mqttPort: await freePort(),
    influxUrl: influxUrl(),
    influxDatabase: influx.database,
    seedFile: await writeSeedFile(dir.path, seed),
    logFile: join(dir.path, 'hub-b.log'),
    redisUrl: redis.url,
    clusterHeartbeatMs: HEARTBEAT_MS,
  };
  hubB = await startHubProcess(configB);
  cleanups.push(() => hubB.kill9());
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

const urlOf = (port: number) => `mqtt://127.0.0.1:${port}`;
async function gatewayOn(port: number, g: (typeof gateways)[0], clean = false): Promise<MqttClient> {
  const { default: mqtt } = await import('mqtt');
  return mqtt.connectAsync(urlOf(port), {
    clientId: `gw-${g.gatewayId}`,
    username: g.gatewayId,
    password: g.secret,
    clean,
    reconnectPeriod: 0,
    protocolVersion: 4,
    will: { topic: topics.status(g.gatewayId), payload: Buffer.from(status('offline')), qos: 1, retain: true },
  });
}

describe('two hubs on one Redis', () => {
  it('delivers a command published on hub A to a gateway connected to hub B, and knows B\u2019s gateways\u2019 status', async () => {
    const box = await gatewayOn(hubB.mqttPort, g1);
    cleanups.push(() => box.endAsync());
    await box.subscribeAsync(topics.commands(g1.gatewayId), { qos: 1 });
    await box.publishAsync(topics.status(g1.gatewayId), status('online'), { qos: 1, retain: true });
    await waitFor('hub A knows g1 is online', () => (hubA.gatewayState.get(g1.gatewayId)?.status?.state === 'online' ? true : undefined), 5000);

    const received = new Promise<string>((resolve) => box.on('message', (_t, payload) => resolve(payload.toString())));
    hubA.broker.aedes.publish({ cmd: 'publish', topic: topics.commands(g1.gatewayId), payload: Buffer.from('{"ping":1}'), qos: 1, retain: false, dup: false }, () => undefined);
    expect(await received).toBe('{"ping":1}');

    // The retained status is in the shared persistence, where hub A (and any later hub) finds it.
    const retained = ((hubA.broker.aedes as unknown as { persistence: unknown }).persistence as { createRetainedStreamCombi(p: string[]): AsyncIterable<{ payload: Buffer }> }).createRetainedStreamCombi([topics.status(g1.gatewayId)]);
    const payloads: string[] = [];
    for await (const p of retained) payloads.push(p.payload.toString());
    expect(payloads.map((p) => (JSON.parse(p) as { state: string }).state)).toEqual(['online']);
  });

  it('after kill -9 of hub B, hub A publishes the Last Will of B\u2019s gateway that stayed away and drops that of the one that came to A', async () => {
    const stays = await gatewayOn(hubB.mqttPort, g2);
    const moves = await gatewayOn(hubB.mqttPort, g3);
    for (const [box, g] of [[stays, g2], [moves, g3]] as const) await box.publishAsync(topics.status(g.gatewayId), status('online'), { qos: 1, retain: true });
    await waitFor('hub A knows g2 and g3 are online', () => (['online', 'online'].join() === [g2, g3].map((g) => hubA.gatewayState.get(g.gatewayId)?.status?.state).join() ? true : undefined), 5000);
    const killedAt = Date.now();
    await hubB.kill9();
    stays.end(true);
    moves.end(true);
    // g3 reconnects to hub A at once and says it is online.
    await new Promise((r) => setTimeout(r, 300));
    const back = await gatewayOn(hubA.mqttPort, g3);
    cleanups.push(() => back.endAsync());
    await back.publishAsync(topics.status(g3.gatewayId), status('online'), { qos: 1, retain: true });

    await waitFor('g2 offline on hub A', () => (hubA.gatewayState.get(g2.gatewayId)?.status?.state === 'offline' ? true : undefined), 3 * HEARTBEAT_MS + 6 * HEARTBEAT_MS + 2000, 50);
    const willAfterMs = Date.now() - killedAt;
    // 3 silent heartbeats make a hub dead; the will sweep runs every 4.
    expect(willAfterMs).toBeLessThan(7 * HEARTBEAT_MS + 1500);
    // g1's will (still on B's list) also went out; g3's, whose box is back, did not.
    await new Promise((r) => setTimeout(r, 4 * HEARTBEAT_MS));
    expect(hubA.gatewayState.get(g3.gatewayId)?.status?.state).toBe('online');
    hubB = await startHubProcess(configB);
  });

  it('loses no acknowledged reading while Redis is killed and restarted, and /readyz says when Redis is down', async () => {
    const payloads = readingPayloads('redis', g4, 300, 10, Date.UTC(2026, 1, 1));
    const publisher = new ReliablePublisher(
      { url: urlOf(hubB.mqttPort), gatewayId: g4.gatewayId, secret: g4.secret, topic: topics.readings(g4.gatewayId), window: 10, ratePerSecond: 150, reconnectDelayMs: 100 },
      payloads,
    );
    const running = publisher.run();
    await waitFor('50 messages acknowledged', () => (publisher.ackedCount >= 50 ? true : undefined), 15_000);
    await redis.kill9();
    const readyz = async (url: string) => {
      const res = await fetch(`${url}/readyz`);
      return { status: res.status, body: (await res.json()) as { redis?: { connected: boolean } } };
    };
    await waitFor('hub A unready without Redis', async () => ((await readyz(hubA.opsUrl!)).status === 503 ? true : undefined), 5000);
    expect((await readyz(hubA.opsUrl!)).body.redis?.connected).toBe(false);
    expect((await readyz(hubB.opsUrl)).body.redis?.connected).toBe(false);
    // Readings go on being acknowledged: they are spooled locally, Redis is not on their path.
    const ackedWhileDown = publisher.ackedCount;
    await waitFor('acknowledgements while Redis is down', () => (publisher.ackedCount > ackedWhileDown + 20 ? true : undefined), 10_000);
    await redis.start();
    await waitFor('hub B ready again', async () => ((await readyz(hubB.opsUrl)).status === 200 ? true : undefined), 10_000);
    await running;
    expect(publisher.done).toBe(true);
    await waitFor(
      'hub B spool drained',
      async () => (metricValue(await (await fetch(`${hubB.opsUrl}/metrics`)).text(), 'rpm_spool_pending_points') === 0 ? true : undefined),
      20_000,
      100,
    );
    expect((await countsByDevice(influx)).get(g4.deviceId)).toEqual({ points: 3000, distinctIds: 3000 });
  });
});
