/**
 * Ingest benchmark (`npm run bench:ingest`): K simulated gateways — real MQTT clients in forked
 * processes (lean-publisher.ts, or mqtt.js with BENCH_CLIENT=mqttjs) — publish QoS 1 batches of 10 readings through the real broker into the real hub (a
 * child process) and a private influxd. Prints the sustained end-to-end rate (published -> confirmed
 * by InfluxDB, hence queryable), PUBACK latency at full and half load, the latency of a lone reading
 * at rest, the spool's drain rate after an InfluxDB outage, the hub's RSS, and in the same run the raw
 * baselines (Aedes alone, InfluxDB alone) with the ratios. Ends by checking that no reading was lost.
 *
 * Knobs (environment): BENCH_CLIENT (lean | mqttjs), BENCH_GATEWAYS (20), BENCH_PUBLISHER_PROCESSES (2), BENCH_READINGS (500000),
 * BENCH_WINDOW (32 unacknowledged messages per gateway), BENCH_HALF_LOAD_S (30), BENCH_OUTAGE_S (60), BENCH_TRIALS (3 full-load runs; the median sets half load),
 * BENCH_HUB_CPU_PROF (a directory: write a V8 CPU profile of the hub there).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { splitReadingBatch } from '../../contract/index.js';
import { InfluxV1Client } from '../../hub/storage/influx-v1.js';
import { toLineProtocol } from '../../hub/storage/reading-points.js';
import { metricValue, startHubProcess, writeSeedFile } from '../../test/support/hub-process.js';
import { readingPayloads, seedFor, simGateways, totalPoints, type SimGateway } from '../../test/support/ingest-load.js';
import { freePort } from '../lib/free-port.js';
import { startInfluxd } from '../lib/influxd.js';
import { aedesAlone, hubLatencyView, influxAlone, percentile, processCpuMs, runPublishers, type MergedResult } from './ingest-baselines.js';
import type { PublisherJob } from './ingest-publisher.js';
import { exitOnHelp } from '../lib/cli-help.js';

exitOnHelp('npm run bench:ingest: simulated gateways publish through the real broker into the real hub and a private influxd. Prints figures.');

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const K = env('BENCH_GATEWAYS', 20);
const PROCESSES = env('BENCH_PUBLISHER_PROCESSES', 2);
const READINGS = env('BENCH_READINGS', 500_000);
const WINDOW = env('BENCH_WINDOW', 32);
const HALF_LOAD_S = env('BENCH_HALF_LOAD_S', 30);
const OUTAGE_S = env('BENCH_OUTAGE_S', 60);
const TRIALS = Math.max(1, env('BENCH_TRIALS', 3));
const PER_MESSAGE = 10;
/** The simulated gateways' MQTT client: lean-publisher.ts (default) or mqtt.js (BENCH_CLIENT=mqttjs). */
const CLIENT: 'lean' | 'mqttjs' = process.env.BENCH_CLIENT === 'mqttjs' ? 'mqttjs' : 'lean';
const DAY = 86_400_000;

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let phase = 0;

/** Jobs for `messagesPerGateway` messages from each gateway, split over the publisher processes. */
function jobs(url: string, gateways: readonly SimGateway[], messagesPerGateway: number, ratePerGateway?: number): PublisherJob[] {
  const t0 = Date.UTC(2023, 0, 2) + phase++ * 200 * DAY; // each phase its own time range: no two readings share a point
  return Array.from({ length: PROCESSES }, (_, p) => ({
    url,
    runId: `b${phase}`,
    gateways: gateways.filter((_, i) => i % PROCESSES === p),
    messagesPerGateway,
    perMessage: PER_MESSAGE,
    t0,
    window: WINDOW,
    client: CLIENT,
    ...(ratePerGateway !== undefined && { ratePerGateway }),
  })).filter((j) => j.gateways.length > 0);
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'rpm-bench-ingest-'));
  const influxDir = join(work, 'influxd');
  const influxPort = await freePort();
  let influxd = await startInfluxd({ dataDir: influxDir, port: influxPort });
  onFailure.push(() => influxd.stop());
  const gateways = simGateways(K, 'bench');
  console.log(
    `ingest benchmark: ${K} gateways in ${PROCESSES} publisher processes (${CLIENT === 'lean' ? 'lean MQTT client, scripts/bench/lean-publisher.ts' : 'mqtt.js'}), ${WINDOW} in flight each, ${PER_MESSAGE} readings a message`,
  );

  // Baseline: InfluxDB alone, with the very points the hub writes.
  const raw = new InfluxV1Client({ url: influxd.url, database: 'bench_raw', auth: { kind: 'none' } });
  await raw.ensureDatabase();
  const rawLines = readingPayloads('raw', gateways[0]!, 20_000, PER_MESSAGE, Date.UTC(2022, 0, 3)).flatMap((p) => {
    const split = splitReadingBatch(JSON.parse(p));
    if (!split.ok) throw new Error(split.reason);
    return split.value.accepted.map((reading) => toLineProtocol({ reading, gatewayId: gateways[0]!.gatewayId, patientId: 'p-raw', implausible: false }));
  });
  const influx1 = await influxAlone(raw, rawLines.slice(0, 100_000), 1);
  const influx2 = await influxAlone(raw, rawLines.slice(100_000), 2);
  console.log(`InfluxDB alone: ${fmt(influx1)} points/s one write at a time, ${fmt(influx2)} points/s two at a time (5,000-point batches)`);

  // Baseline: Aedes alone.
  const aedes = await aedesAlone({ runId: 'aedes', gateways: gateways.slice(0, 1), messagesPerGateway: 30_000, perMessage: PER_MESSAGE, t0: 0, window: 64, client: CLIENT });
  console.log(`Aedes alone: ${fmt(aedes.messagesPerSecond)} messages/s QoS 1 publish -> subscriber (${fmt(aedes.messagesPerSecond * PER_MESSAGE)} readings/s at ${PER_MESSAGE} a message)`);

  // The hub, in its own process.
  // Counting millions of points at the end takes a while on a busy machine: a generous deadline.
  const influx = new InfluxV1Client({ url: influxd.url, database: 'bench', auth: { kind: 'none' }, timeoutMs: 300_000 });
  const profileDir = process.env.BENCH_HUB_CPU_PROF;
  const hub = await startHubProcess({
    dataDir: join(work, 'hub'),
    mqttPort: await freePort(),
    influxUrl: influxd.url,
    influxDatabase: 'bench',
    seedFile: await writeSeedFile(work, await seedFor(gateways)),
    backoffMaxMs: 1000,
    connectRatePerMinute: 100_000,
    logFile: join(work, 'hub.log'),
    nodeArgs: [...(process.env.BENCH_HUB_NODE_ARGS?.split(' ').filter(Boolean) ?? []), ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
  });
  onFailure.push(() => hub.stop());
  const url = `mqtt://127.0.0.1:${hub.mqttPort}`;
  const metrics = async () => (await fetch(`${hub.opsUrl}/metrics`)).text();
  let rss = 0;
  const rssSampler = setInterval(() => {
    metrics().then((t) => (rss = Math.max(rss, metricValue(t, 'process_resident_memory_bytes'))), () => undefined);
  }, 500);
  const drained = async (timeoutMs = 300_000): Promise<number> => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (metricValue(await metrics(), 'rpm_spool_pending_points') === 0) return Date.now();
      await sleep(20);
    }
    throw new Error('the spool did not drain');
  };
  let published = 0;
  const run = async (js: PublisherJob[]): Promise<MergedResult> => {
    const result = await runPublishers(js);
    published += result.acked * PER_MESSAGE;
    return result;
  };

  // Warm-up, then full load.
  await run(jobs(url, gateways, 200));
  await drained();
  const perGateway = Math.ceil(READINGS / PER_MESSAGE / K);
  // Several trials: on a shared 2-core machine one run can land on a busy moment; all are printed.
  const rates: number[] = [];
  for (let trial = 1; trial <= TRIALS; trial++) {
    const cpuBefore = { hub: await processCpuMs(hub.pid), influxd: await processCpuMs(influxd.pid) };
    const full = await run(jobs(url, gateways, perGateway));
    const fullDrainedAt = await drained();
    const cpuAfter = { hub: await processCpuMs(hub.pid), influxd: await processCpuMs(influxd.pid) };
    const fullReadings = full.acked * PER_MESSAGE;
    const rate = fullReadings / ((fullDrainedAt - full.startedAt) / 1000);
    rates.push(rate);
    const ackRate = fullReadings / ((full.endedAt - full.startedAt) / 1000);
    console.log(`\nfull load, trial ${trial} of ${TRIALS}: ${fmt(fullReadings)} readings; acknowledged at ${fmt(ackRate)} readings/s; end to end (published -> confirmed by InfluxDB) ${fmt(rate)} readings/s`);
    console.log(`  PUBACK latency p50 ${fmt(percentile(full.latencies, 50), 1)} ms, p99 ${fmt(percentile(full.latencies, 99), 1)} ms`);
    const perReading = (ms: number) => fmt((ms * 1000) / fullReadings, 1);
    const wallS = (fullDrainedAt - full.startedAt) / 1000;
    console.log(
      `  CPU per reading: hub ${perReading(cpuAfter.hub - cpuBefore.hub)} µs, influxd ${perReading(cpuAfter.influxd - cpuBefore.influxd)} µs, publishers ${perReading(full.cpuMs)} µs ` +
        `(cores busy: hub ${fmt((cpuAfter.hub - cpuBefore.hub) / 1000 / wallS, 2)}, influxd ${fmt((cpuAfter.influxd - cpuBefore.influxd) / 1000 / wallS, 2)}, publishers ${fmt(full.cpuMs / 1000 / wallS, 2)} of 2)`,
    );
  }
  const e2e = [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)]!;
  console.log(`end to end at full load, median of ${TRIALS} trials: ${fmt(e2e)} readings/s (all: ${rates.map((r) => fmt(r)).join(', ')})`);

  // A lone reading at rest: from publish to visible in an InfluxDB query.
  const lone: number[] = [];
  const client = await mqtt.connectAsync(url, { clientId: `gw-${gateways[0]!.gatewayId}`, username: gateways[0]!.gatewayId, password: gateways[0]!.secret, protocolVersion: 4, reconnectPeriod: 0 });
  (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
  const loneT0 = Date.UTC(2023, 0, 2) + phase++ * 200 * DAY;
  const lonePayloads = readingPayloads('lone', gateways[0]!, 20, 1, loneT0);
  for (let i = 0; i < lonePayloads.length; i++) {
    const started = performance.now();
    await client.publishAsync(`rpm/v1/gw/${gateways[0]!.gatewayId}/readings`, lonePayloads[i]!, { qos: 1 });
    const at = new Date(loneT0 + i * 1000).toISOString();
    while ((await influx.query('SELECT count("reading_id") FROM "blood_pressure" WHERE time = $t', { t: at })).length === 0) await sleep(0);
    lone.push(performance.now() - started);
    published++;
    await sleep(50);
  }
  await client.endAsync();
  const loneSorted = Float64Array.from(lone).sort();
  console.log(`a lone reading at rest, publish -> visible in a query: median ${fmt(percentile(loneSorted, 50), 1)} ms, max ${fmt(loneSorted.at(-1)!, 1)} ms (includes query polling)`);

  // Half load.
  const halfRate = e2e / 2 / PER_MESSAGE / K;
  const beforeHalf = await metrics();
  const halfCpuBefore = { hub: await processCpuMs(hub.pid), influxd: await processCpuMs(influxd.pid) };
  const half = await run(jobs(url, gateways, Math.ceil(halfRate * HALF_LOAD_S), halfRate));
  const halfCpuAfter = { hub: await processCpuMs(hub.pid), influxd: await processCpuMs(influxd.pid) };
  const afterHalf = await metrics();
  await drained();
  console.log(`half load (${fmt(e2e / 2)} readings/s for ${HALF_LOAD_S} s): PUBACK latency p50 ${fmt(percentile(half.latencies, 50), 1)} ms, p99 ${fmt(percentile(half.latencies, 99), 1)} ms`);
  const halfWallS = (half.endedAt - half.startedAt) / 1000;
  console.log(
    `  cores busy: hub ${fmt((halfCpuAfter.hub - halfCpuBefore.hub) / 1000 / halfWallS, 2)}, influxd ${fmt((halfCpuAfter.influxd - halfCpuBefore.influxd) / 1000 / halfWallS, 2)}, ` +
      `publishers ${fmt(half.cpuMs / 1000 / halfWallS, 2)} of 2`,
  );
  console.log(`  ${hubLatencyView(beforeHalf, afterHalf, ['PUBLISH -> PUBACK', 'spool write + fdatasync'])}`);

  // InfluxDB outage under half load, then the drain.
  const outageMessages = Math.ceil(halfRate * (OUTAGE_S + 30));
  const outageRun = run(jobs(url, gateways, outageMessages, halfRate));
  await sleep(2000);
  await influxd.stop();
  await sleep(OUTAGE_S * 1000);
  const backlog = metricValue(await metrics(), 'rpm_spool_pending_points');
  const storedBefore = metricValue(await metrics(), 'rpm_influx_points_written_total');
  influxd = await startInfluxd({ dataDir: influxDir, port: influxPort });
  const restartedAt = Date.now();
  const outageDrainedAt = await drained();
  const writtenDuringDrain = metricValue(await metrics(), 'rpm_influx_points_written_total') - storedBefore;
  const drainS = (outageDrainedAt - restartedAt) / 1000;
  await outageRun;
  await drained();
  console.log(
    `InfluxDB outage of ${OUTAGE_S} s under half load: backlog ${fmt(backlog)} points, drained in ${fmt(drainS, 1)} s after InfluxDB was back ` +
      `(${fmt(backlog / drainS)} points/s net of live traffic; ${fmt(writtenDuringDrain / drainS)} points/s written; includes reconnect and backoff up to 1 s)`,
  );

  // Nothing lost, nothing doubled.
  clearInterval(rssSampler);
  const stored = await totalPoints(influx);
  const distinct = Number((await influx.query('SELECT count(distinct("reading_id")) FROM "blood_pressure"'))[0]?.values[0]?.[1] ?? 0);
  console.log(`\nreadings acknowledged ${fmt(published)}, points in InfluxDB ${fmt(stored)}, distinct reading ids ${fmt(distinct)}: ${stored === published && distinct === published ? 'none lost' : 'MISMATCH'}`);
  console.log(`hub RSS peak ${fmt(rss / 1024 / 1024)} MiB`);
  console.log(
    `ratios: end to end / InfluxDB alone = ${fmt((100 * e2e) / influx1)} % (one write at a time), ${fmt((100 * e2e) / influx2)} % (two at a time); ` +
      `hub messages/s / Aedes alone = ${fmt((100 * e2e) / PER_MESSAGE / aedes.messagesPerSecond)} %`,
  );
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const halfP99 = percentile(half.latencies, 99);
  console.log(
    `targets: end to end >= 80,000 readings/s ${verdict(e2e >= 80_000)} (${fmt(e2e)}); >= 50 % of InfluxDB alone ${verdict(e2e >= influx2 / 2)} against two writes at a time (${fmt((100 * e2e) / influx2)} %), ` +
      `${verdict(e2e >= influx1 / 2)} against one (${fmt((100 * e2e) / influx1)} %); PUBACK p99 < 50 ms at half load ${verdict(halfP99 < 50)} (${fmt(halfP99, 1)} ms); none lost ${verdict(stored === published && distinct === published)}`,
  );
  console.log('(2-core machine shared with influxd, the publishers and other work: figures vary between runs)');

  await hub.stop();
  await influxd.stop();
  await rm(work, { recursive: true, force: true });
  if (stored !== published || distinct !== published) process.exitCode = 1;
}

/** Stops the child processes (hub, influxd) if the run fails half-way, so none outlives it. */
const onFailure: (() => Promise<void>)[] = [];

main().catch(async (err: Error) => {
  console.error(err.stack ?? err.message);
  for (const stop of onFailure.reverse()) await stop().catch(() => undefined);
  process.exit(1);
});
