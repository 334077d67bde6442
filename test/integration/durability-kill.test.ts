/**
 * kill -9 at random moments loses no acknowledged reading. The hub runs as a child process; four
 * simulated gateways (real mqtt.js clients, QoS 1, batches of 10) publish 100,000 readings and record
 * every PUBACK. The hub is SIGKILLed several times at random moments and restarted on the same data
 * directory and port; the publishers reconnect and resend what was not acknowledged, as a gateway's
 * outbox does. At the end every reading is in InfluxDB exactly once: as many points per series as
 * distinct reading ids, and as many as were published. A reading acknowledged before a kill is never
 * resent, so had the kill lost it, it would be missing here.
 *
 * The random schedule is printed; rerun it with KILL_SEED=<seed>.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { topics } from '../../contract/index.js';
import { freePort } from '../../scripts/lib/free-port.js';
import { freshInfluxDatabase, influxUrl } from '../setup/influx.js';
import { countsByDevice, readingPayloads, seedFor, simGateways, totalPoints } from '../support/ingest-load.js';
import { metricValue, startHubProcess, writeSeedFile, type HubProcess, type HubProcessConfig } from '../support/hub-process.js';
import { ReliablePublisher } from '../support/reliable-publisher.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';
// mulberry32, seeded, so a failing kill schedule can be replayed (KILL_SEED).
import { seededRandom } from '../../firmware-sim/physiology/random.js';

const GATEWAYS = 4;
const READINGS = 100_000;
const PER_MESSAGE = 10;
const KILLS = 4;

describe('kill -9 of the hub during a 100,000-reading run', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('loses no acknowledged reading and stores every reading exactly once', { timeout: 240_000 }, async () => {
    const seed = Number(process.env.KILL_SEED ?? Date.now() % 1_000_000);
    const random = seededRandom(seed);
    console.log(`durability-kill: KILL_SEED=${seed}`);

    const dir = await tempDir('kill');
    cleanups.push(dir.remove);
    const influx = await freshInfluxDatabase('kill');
    const gateways = simGateways(GATEWAYS, 'kill');
    const config: HubProcessConfig = {
      dataDir: join(dir.path, 'hub'),
      mqttPort: await freePort(),
      influxUrl: influxUrl(),
      influxDatabase: influx.database,
      seedFile: await writeSeedFile(dir.path, await seedFor(gateways)),
      logFile: join(dir.path, 'hub.log'),
    };
    let hub: HubProcess = await startHubProcess(config);
    cleanups.push(() => hub.kill9());

    const runId = `k${seed}`;
    const t0 = Date.UTC(2026, 0, 1);
    const messagesPerGateway = READINGS / PER_MESSAGE / GATEWAYS;
    const publishers = gateways.map(
      (g) =>
        new ReliablePublisher(
          { url: `mqtt://127.0.0.1:${config.mqttPort}`, gatewayId: g.gatewayId, secret: g.secret, topic: topics.readings(g.gatewayId), window: 50, reconnectDelayMs: 100 },
          readingPayloads(runId, g, messagesPerGateway, PER_MESSAGE, t0),
        ),
    );
    const acked = () => publishers.reduce((n, p) => n + p.ackedCount, 0);
    const running = Promise.all(publishers.map((p) => p.run()));

    const ackedAtKill: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      // Spread the kills over the run: the k-th at a random point of the k-th stretch of it.
      const target = ((k + 0.2 + 0.8 * random()) / (KILLS + 1)) * (READINGS / PER_MESSAGE);
      await waitFor(`${Math.round(target)} acknowledged messages`, () => (acked() >= target ? true : undefined), 60_000, 2);
      await new Promise((r) => setTimeout(r, random() * 50));
      ackedAtKill.push(acked());
      await hub.kill9();
      await new Promise((r) => setTimeout(r, random() * 300));
      hub = await startHubProcess(config);
    }
    await running;
    console.log(`durability-kill: acknowledged messages at the kills: ${ackedAtKill.join(', ')} of ${READINGS / PER_MESSAGE}`);

    // Every kill happened mid-run: some, not all, messages had been acknowledged.
    for (const n of ackedAtKill) expect(n).toBeLessThan(READINGS / PER_MESSAGE);
    expect(publishers.every((p) => p.done)).toBe(true);
    expect(publishers.reduce((n, p) => n + p.connections, 0)).toBeGreaterThanOrEqual(GATEWAYS * (KILLS + 1));

    // The hub's spool drained: everything it acknowledged is in InfluxDB now.
    await waitFor(
      'an empty spool',
      async () => {
        const text = await (await fetch(`${hub.opsUrl}/metrics`)).text();
        return metricValue(text, 'rpm_spool_pending_points') === 0 ? true : undefined;
      },
      60_000,
      100,
    );
    const counts = await countsByDevice(influx);
    for (const g of gateways) {
      expect(counts.get(g.deviceId), g.deviceId).toEqual({ points: READINGS / GATEWAYS, distinctIds: READINGS / GATEWAYS });
    }
    expect(await totalPoints(influx)).toBe(READINGS);
    await hub.stop();
  });
});
