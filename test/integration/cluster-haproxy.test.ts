/**
 * Three hubs behind HAProxy (configured from docs/deploy/haproxy.cfg) on one Redis and one InfluxDB;
 * 200 simulated gateways (firmware-sim/fleet, a reading a second each) connect through HAProxy.
 * Hub B is killed -9 mid-run: every gateway is back within the documented time (HAProxy's check
 * marks B down in ~2 s; the boxes' first reconnect waits 0.5-1 s), B is restarted on its data
 * directory, and every reading a gateway got a PUBACK for is in InfluxDB exactly once. A command
 * published on hub A reaches every gateway, wherever HAProxy put it.
 */
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { topics } from '../../contract/index.js';
import { fleetGatewayId, startFleet } from '../../firmware-sim/fleet/fleet.js';
import { startHub } from '../../hub/hub.js';
import { MemoryRegistry } from '../../hub/registry/memory-registry.js';
import { hashSecret } from '../../hub/registry/secrets.js';
import { freePort } from '../../scripts/lib/free-port.js';
import { freshInfluxDatabase, influxUrl } from '../setup/influx.js';
import { startHaproxy } from '../support/haproxy-fixture.js';
import { metricValue, startHubProcess, writeSeedFile, type HubProcess, type HubProcessConfig } from '../support/hub-process.js';
import { startRedisForTests } from '../support/redis-fixture.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const GATEWAYS = 200;
const SECRET = 'gw_cluster-haproxy-secret-0123456789ab';
/** docs/deploy/cluster.md: out of rotation after 2 failed checks at 1 s, plus the boxes' backoff. */
const ALL_BACK_MS = 15_000;

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('three hubs behind HAProxy', () => {
  it('survives kill -9 of one hub with every gateway back and every acknowledged reading stored once', { timeout: 90_000 }, async () => {
    const dir = await tempDir('cluster-haproxy');
    cleanups.push(dir.remove);
    const redis = await startRedisForTests();
    cleanups.push(() => redis.close());
    const influx = await freshInfluxDatabase('clh');
    const ids = Array.from({ length: GATEWAYS }, (_, i) => fleetGatewayId('clh', i));
    const secretHash = await hashSecret(SECRET);
    const seed = { gateways: ids.map((id) => ({ id, secretHash })) };
    const hubA = await startHub({
      dataDir: join(dir.path, 'a'),
      mqtt: { host: '127.0.0.1', port: 0, connectAttemptsPerMinute: 1_000_000 },
      influx,
      registry: new MemoryRegistry(seed),
      log: pino({ level: 'silent' }),
      ops: { host: '127.0.0.1', port: 0 },
      redis: { url: redis.url, heartbeatIntervalMs: 500 },
    });
    cleanups.push(() => hubA.close());
    const seedFile = await writeSeedFile(dir.path, seed);
    const configOf = async (name: string): Promise<HubProcessConfig> => ({
      dataDir: join(dir.path, name),
      mqttPort: await freePort(),
      opsPort: await freePort(),
      influxUrl: influxUrl(),
      influxDatabase: influx.database,
      seedFile,
      connectRatePerMinute: 1_000_000,
      redisUrl: redis.url,
      clusterHeartbeatMs: 500,
      logFile: join(dir.path, `${name}.log`),
    });
    const configB = await configOf('b');
    const configC = await configOf('c');
    let hubB: HubProcess = await startHubProcess(configB);
    const hubC = await startHubProcess(configC);
    cleanups.push(() => hubB.kill9(), () => hubC.kill9());
    const opsPortA = Number(new URL(hubA.opsUrl!).port);
    const haproxy = await startHaproxy(dir.path, [
      { name: 'a', mqttPort: hubA.mqttPort, apiPort: await freePort(), opsPort: opsPortA },
      { name: 'b', mqttPort: configB.mqttPort, apiPort: await freePort(), opsPort: configB.opsPort! },
      { name: 'c', mqttPort: configC.mqttPort, apiPort: await freePort(), opsPort: configC.opsPort! },
    ]);
    cleanups.push(() => haproxy.stop());
    await haproxy.waitForUp(['a', 'b', 'c']);

    const fleet = startFleet({ host: '127.0.0.1', port: haproxy.mqttPort, gateways: ids.map((id) => ({ id, secret: SECRET })), connectPerS: 400, readingEveryMs: 1000, heartbeatMs: 5000, keepaliveS: 30 });
    cleanups.push(async () => fleet.stop());
    await waitFor('all gateways connected', () => (fleet.counters.connected === GATEWAYS ? true : undefined), 30_000);
    await waitFor('readings acknowledged', () => (fleet.counters.acked >= 2 * GATEWAYS ? true : undefined), 20_000);

    const dropsBefore = fleet.counters.disconnects;
    await hubB.kill9();
    const killedAt = performance.now();
    await waitFor("hub B's gateways dropped", () => (fleet.counters.disconnects > dropsBefore ? true : undefined), 5000, 10);
    const dropped = fleet.counters.disconnects - dropsBefore;
    await waitFor('every gateway back', () => (fleet.counters.connected === GATEWAYS ? true : undefined), ALL_BACK_MS + 5000, 50);
    const backMs = performance.now() - killedAt;
    console.log(`cluster-haproxy: all ${GATEWAYS} gateways connected again ${Math.round(backMs)} ms after kill -9 of hub B (${dropped} dropped at first)`);
    expect(backMs).toBeLessThan(ALL_BACK_MS);
    hubB = await startHubProcess(configB);
    await haproxy.waitForUp(['a', 'b', 'c']);

    // A command published on hub A reaches every box, on whichever hub it now is.
    expect(hubA.broker.connectedGateways()).toBeLessThan(GATEWAYS);
    const before = fleet.counters.commands;
    for (const id of ids) hubA.broker.aedes.publish({ cmd: 'publish', topic: topics.commands(id), payload: Buffer.from('{"v":1,"type":"ping"}'), qos: 1, retain: false, dup: false }, () => undefined);
    await waitFor('every gateway got the command', () => (fleet.counters.commands - before >= GATEWAYS ? true : undefined), 10_000);

    fleet.stopSchedules();
    await waitFor('every reading acknowledged', () => (fleet.unacknowledged() === 0 ? true : undefined), 20_000);
    for (const ops of [hubA.opsUrl!, hubB.opsUrl, hubC.opsUrl]) {
      await waitFor(`spool drained at ${ops}`, async () => (metricValue(await (await fetch(`${ops}/metrics`)).text(), 'rpm_spool_pending_points') === 0 ? true : undefined), 20_000, 100);
    }
    const [points, distinct] = await Promise.all([
      influx.query('SELECT count("reading_id") FROM "blood_pressure"'),
      influx.query('SELECT count(distinct("reading_id")) FROM "blood_pressure"'),
    ]);
    const published = fleet.counters.published;
    console.log(`cluster-haproxy: ${published} readings published, ${fleet.counters.acked} PUBACKs`);
    expect(Number(distinct[0]?.values[0]?.[1])).toBe(published);
    expect(Number(points[0]?.values[0]?.[1])).toBe(published);
  });
});
