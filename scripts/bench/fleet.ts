/**
 * bench:fleet — connection scale of one hub. A hub child process (test/support/hub-entry.ts, the
 * production V8 flags) with a private influxd; a fleet of lean simulated gateways
 * (firmware-sim/fleet) in this process. Phases:
 *
 * 1. ramp: N gateways connect (persistent sessions, retained status, command subscription);
 *    time until all are in;
 * 2. idle: hub RSS and CPU over 10 s with the fleet's realistic background (heartbeats every 60 s,
 *    keep-alive pings every 30 s, a reading per home every 8 h);
 * 3. storm: every gateway measures one reading, then the hub is killed -9 and restarted on the same
 *    data directory and port; all gateways reconnect with jittered backoff. Time from the restarted
 *    hub listening until every gateway is in again; readings lost = published − distinct reading
 *    ids in InfluxDB once the gateways' outboxes and the hub's spool are empty (target 0).
 *
 * The gateways share one secret (and one stored hash): seeding N distinct scrypt hashes would take
 * N × 50 ms. So every login after the first is a remembered one — what a known box costs on a hub
 * that saw it before, and, in a cluster, on a restarted hub (the shared verified-secret memory).
 * A cold hub checks about 40 unknown secrets a second (2 scrypt checks at a time), which this does
 * not measure.
 *
 *   npm run bench:fleet -- [--gateways 10000] [--local-addresses K]
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fleetGatewayId, startFleet } from '../../firmware-sim/fleet/fleet.js';
import { hashSecret } from '../../hub/registry/secrets.js';
import { InfluxV1Client } from '../../hub/storage/influx-v1.js';
import { metricValue, startHubProcess, writeSeedFile, type HubProcess } from '../../test/support/hub-process.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { exitOnHelp } from '../lib/cli-help.js';
import { freePort } from '../lib/free-port.js';
import { startInfluxd } from '../lib/influxd.js';
import { processCpuMs } from './ingest-baselines.js';

exitOnHelp(`npm run bench:fleet -- [--gateways N] [--local-addresses K]
Lean simulated gateways against one hub child process and a private influxd: time to connect N,
hub RSS and CPU at idle, then kill -9 + restart of the hub (a reconnect storm): time until all are
back and readings lost. Prints figures.`);

const { values } = parseArgs({ options: { gateways: { type: 'string', default: '10000' }, 'local-addresses': { type: 'string' } } });
const N = Number(values.gateways);
const ADDRESSES = Number(values['local-addresses'] ?? Math.ceil(N / 20_000));
const SECRET = 'gw_fleet-bench-secret-0123456789abcdef';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`bench:fleet: timed out waiting for ${what}`);
    await sleep(100);
  }
}
async function rssMiB(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const kb = /VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

async function main(): Promise<void> {
  const work = await tempDir('bench-fleet');
  const influxd = await startInfluxd({ dataDir: join(work.path, 'influxd'), port: await freePort() });
  const influx = new InfluxV1Client({ url: influxd.url, database: 'fleet', auth: { kind: 'none' } });
  await influx.ensureDatabase();
  const ids = Array.from({ length: N }, (_, i) => fleetGatewayId('fleet', i));
  const secretHash = await hashSecret(SECRET);
  await mkdir(join(work.path, 'hub'), { recursive: true });
  const config = {
    dataDir: join(work.path, 'hub'),
    mqttPort: await freePort(),
    influxUrl: influxd.url,
    influxDatabase: 'fleet',
    seedFile: await writeSeedFile(work.path, { gateways: ids.map((id) => ({ id, secretHash })), patients: [], assignments: [] }),
    // Many boxes behind few source addresses here: the per-address CONNECT limit would be the bench.
    connectRatePerMinute: 100_000_000,
    logFile: join(work.path, 'hub.log'),
  };
  let hub: HubProcess = await startHubProcess(config);
  const fleet = startFleet({ host: '127.0.0.1', port: config.mqttPort, gateways: ids.map((id) => ({ id, secret: SECRET })), connectPerS: 2000, localAddresses: ADDRESSES });
  try {
    console.log(`bench:fleet: ${N} gateways, ${ADDRESSES} source address(es), hub pid ${hub.pid}`);
    const t0 = performance.now();
    await until('all gateways connected', () => fleet.counters.connected === N, 600_000);
    const rampS = (performance.now() - t0) / 1000;
    console.log(`ramp (2,000 connects/s offered): all ${N} connected in ${rampS.toFixed(1)} s`);

    await sleep(5000);
    const cpu0 = await processCpuMs(hub.pid);
    const w0 = performance.now();
    await sleep(10_000);
    const cpuPct = ((await processCpuMs(hub.pid)) - cpu0) / (performance.now() - w0) * 100;
    console.log(`idle: hub RSS ${(await rssMiB(hub.pid)).toFixed(0)} MiB, CPU ${cpuPct.toFixed(1)} % of one core (${N} connections, heartbeats and pings)`);

    for (const g of fleet.gateways) g.measure();
    await sleep(200); // some acknowledged, some in flight at the kill
    await hub.kill9();
    hub = await startHubProcess(config);
    const restarted = performance.now();
    await until('all gateways back', () => fleet.allConnectedSince(restarted), 600_000);
    const stormS = (performance.now() - restarted) / 1000;
    const refused = Object.entries(fleet.counters.refused).map(([code, n]) => `CONNACK ${code}: ${n}`).join(', ') || 'none';
    console.log(`storm (kill -9 + restart): all ${N} back ${stormS.toFixed(1)} s after the hub listened again; refusals ${refused}`);

    await until('outboxes empty', () => fleet.unacknowledged() === 0, 120_000);
    await until('spool drained', async () => metricValue(await (await fetch(`${hub.opsUrl}/metrics`)).text(), 'rpm_spool_pending_points') === 0, 120_000);
    const rows = await influx.query('SELECT count(distinct("reading_id")) FROM "blood_pressure"');
    const stored = Number(rows[0]?.values[0]?.[1] ?? 0);
    const published = fleet.counters.published;
    console.log(`readings: ${published} published, ${fleet.counters.acked} acknowledged, ${stored} distinct in InfluxDB, lost ${published - stored}`);
  } finally {
    fleet.stop();
    await sleep(500);
    await hub.kill9();
    await influxd.stop();
    await work.remove();
  }
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
