/**
 * InfluxDB stopped mid-run: the hub keeps acknowledging (the spool takes the readings), /metrics shows
 * the spool depth rising, /readyz stays ready and reports InfluxDB unreachable; when InfluxDB returns
 * on the same data directory and port, the backlog drains and nothing is lost or doubled.
 *
 * The test starts its own influxd (scripts/lib/influxd.ts) so the run's shared one is not disturbed.
 * The outage lasts OUTAGE_S seconds (default 20; DESIGN's "a minute" shortened: the logic is the
 * same — the drainer backs off up to 2 s here, 15 s by default).
 */
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { topics } from '../../contract/index.js';
import { startHub, type RunningHub } from '../../hub/hub.js';
import { MemoryRegistry } from '../../hub/registry/memory-registry.js';
import { InfluxV1Client } from '../../hub/storage/influx-v1.js';
import { freePort } from '../../scripts/lib/free-port.js';
import { startInfluxd, type ManagedInfluxd } from '../../scripts/lib/influxd.js';
import { metricValue } from '../support/hub-process.js';
import { countsByDevice, readingPayloads, seedFor, simGateways } from '../support/ingest-load.js';
import { ReliablePublisher } from '../support/reliable-publisher.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const OUTAGE_S = Number(process.env.OUTAGE_S ?? 20);
const MESSAGES_PER_S = 100;
const PER_MESSAGE = 10;

describe('InfluxDB outage during ingest', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('spools while InfluxDB is down and drains the backlog when it returns, losing nothing', { timeout: 60_000 + OUTAGE_S * 3000 }, async () => {
    const dir = await tempDir('outage');
    cleanups.push(dir.remove);
    const influxDir = join(dir.path, 'influxd');
    const influxPort = await freePort();
    let influxd: ManagedInfluxd = await startInfluxd({ dataDir: influxDir, port: influxPort });
    cleanups.push(() => influxd.stop());
    const influx = new InfluxV1Client({ url: influxd.url, database: 'outage', auth: { kind: 'none' } });

    const [gateway] = simGateways(1, 'outage');
    const hub: RunningHub = await startHub({
      dataDir: join(dir.path, 'hub'),
      mqtt: { host: '127.0.0.1', port: 0 },
      influx,
      registry: new MemoryRegistry(await seedFor([gateway!])),
      log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      ops: { host: '127.0.0.1', port: 0 },
      spool: { backoff: { baseMs: 100, maxMs: 2000 } },
    });
    cleanups.push(() => hub.close());

    const metrics = async () => (await fetch(`${hub.opsUrl}/metrics`)).text();
    const depth = async () => metricValue(await metrics(), 'rpm_spool_pending_points');
    const samples: { t: number; depth: number }[] = [];
    const started = Date.now();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        samples.push({ t: (Date.now() - started) / 1000, depth: await depth() });
        await new Promise((r) => setTimeout(r, 250));
      }
    })();

    // Enough steady traffic for 5 s before, the outage, and 5 s after.
    const messages = (OUTAGE_S + 10) * MESSAGES_PER_S;
    const publisher = new ReliablePublisher(
      { url: `mqtt://127.0.0.1:${hub.mqttPort}`, gatewayId: gateway!.gatewayId, secret: gateway!.secret, topic: topics.readings(gateway!.gatewayId), window: 20, ratePerSecond: MESSAGES_PER_S },
      readingPayloads('outage', gateway!, messages, PER_MESSAGE, Date.UTC(2026, 1, 1)),
    );
    const publishing = publisher.run();

    await new Promise((r) => setTimeout(r, 5000));
    await influxd.stop();
    const ackedAtStop = publisher.ackedCount;
    await new Promise((r) => setTimeout(r, (OUTAGE_S * 1000) / 2));

    // Mid-outage: still acknowledging, ready, InfluxDB reported down, readings piling up in the spool.
    const ready = await fetch(`${hub.opsUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, spool: { writable: true }, influx: { reachable: false, writesFailing: true } });
    expect(publisher.ackedCount).toBeGreaterThan(ackedAtStop);
    const text = await metrics();
    expect(metricValue(text, 'rpm_influx_write_errors_total', 'kind="unreachable"')).toBeGreaterThan(0);
    expect(metricValue(text, 'rpm_spool_oldest_age_seconds')).toBeGreaterThan(1);

    await new Promise((r) => setTimeout(r, (OUTAGE_S * 1000) / 2));
    const ackedDuringOutage = publisher.ackedCount - ackedAtStop;
    await new Promise((r) => setTimeout(r, 300)); // one more depth sample
    const peak = Math.max(...samples.map((s) => s.depth));
    influxd = await startInfluxd({ dataDir: influxDir, port: influxPort });

    await publishing;
    await waitFor('the backlog drained', async () => ((await depth()) === 0 ? true : undefined), 60_000, 100);
    sampling = false;
    await sampler;
    // The sampler's last request may have been answered just before the drain finished: end on a fresh sample.
    samples.push({ t: (Date.now() - started) / 1000, depth: await depth() });
    const drainedAt = samples.at(-1)!.t;
    console.log(
      `influx outage: ${OUTAGE_S} s; spool depth peaked at ${peak} points; drained ${drainedAt.toFixed(1)} s after start; ` +
        `depth samples: ${samples.filter((_, i) => i % 8 === 0).map((s) => s.depth).join(' ')}`,
    );

    // The depth rose by the readings acknowledged during the outage, and fell back to 0.
    expect(ackedDuringOutage).toBeGreaterThan(0);
    expect(peak).toBeGreaterThanOrEqual(ackedDuringOutage * PER_MESSAGE);
    expect(samples.at(-1)!.depth).toBe(0);
    const counts = await countsByDevice(influx);
    expect(counts.get(gateway!.deviceId)).toEqual({ points: messages * PER_MESSAGE, distinctIds: messages * PER_MESSAGE });
    expect(await fetch(`${hub.opsUrl}/readyz`).then((r) => r.json())).toMatchObject({ ready: true, influx: { reachable: true, writesFailing: false } });
  });
});
