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
 * By default the gateways share one secret (and one stored hash): seeding N distinct scrypt hashes
 * takes N × 50 ms. So every login after the first is a remembered one, and the storm measures the
 * broker's own work, not scrypt.
 *
 * --postgres puts the SQL registry on a private PostgreSQL with a secret per gateway (hashed once
 * per machine, kept in the temporary directory) and runs two storms: with the verified proofs the
 * registry keeps beside the hashes (migration 072), then with them cleared — one scrypt per box, what
 * a restarted hub paid before.
 *
 *   npm run bench:fleet -- [--gateways 10000] [--local-addresses K] [--postgres]
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fleetGatewayId, startFleet } from '../../firmware-sim/fleet/fleet.js';
import { hashSecret } from '../../hub/registry/secrets.js';
import { migrate } from '../../hub/sql/migrate.js';
import { PostgresDb } from '../../hub/sql/postgres-db.js';
import { InfluxV1Client } from '../../hub/storage/influx-v1.js';
import { metricValue, startHubProcess, writeSeedFile, type HubProcess } from '../../test/support/hub-process.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { exitOnHelp } from '../lib/cli-help.js';
import { freePort } from '../lib/free-port.js';
import { startInfluxd } from '../lib/influxd.js';
import { startPostgres, type ManagedPostgres } from '../lib/postgres.js';
import { processCpuMs } from './ingest-baselines.js';

exitOnHelp(`npm run bench:fleet -- [--gateways N] [--local-addresses K] [--postgres]
Lean simulated gateways against one hub child process and a private influxd: time to connect N,
hub RSS and CPU at idle, then kill -9 + restart of the hub (a reconnect storm): time until all are
back and readings lost. --postgres: the SQL registry on a private PostgreSQL with a secret per
gateway, and two storms: with the verified proofs kept there, then without (one scrypt per box).
Prints figures.`);

const { values } = parseArgs({ options: { gateways: { type: 'string', default: '10000' }, 'local-addresses': { type: 'string' }, postgres: { type: 'boolean', default: false } } });
const POSTGRES = values.postgres;
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

/**
 * --postgres: every box its own secret, as in production. Hashing them costs ~50 ms of CPU each, so
 * they are made once per machine and kept in the temporary directory (they are the bench's own
 * made-up secrets, derived from the index).
 */
async function distinctSecrets(n: number): Promise<{ secrets: string[]; hashes: string[] }> {
  const secrets = Array.from({ length: n }, (_, i) => `gw_fleet-bench-${i}-${createHash('sha256').update(`fleet-bench-${i}`).digest('base64url')}`);
  const cacheFile = join(tmpdir(), 'rpm-bench-fleet-hashes-v1.json');
  const cached: string[] = await readFile(cacheFile, 'utf8').then((t) => JSON.parse(t) as string[], () => []);
  if (cached.length < n) {
    console.log(`bench:fleet: hashing ${n - cached.length} secrets with scrypt (kept in ${cacheFile} for the next run)`);
    for (let i = cached.length; i < n; i += 8) {
      cached.push(...(await Promise.all(secrets.slice(i, Math.min(n, i + 8)).map((secret) => hashSecret(secret)))));
    }
    await writeFile(cacheFile, JSON.stringify(cached));
  }
  return { secrets, hashes: cached.slice(0, n) };
}

async function main(): Promise<void> {
  const work = await tempDir('bench-fleet');
  const influxd = await startInfluxd({ dataDir: join(work.path, 'influxd'), port: await freePort() });
  const influx = new InfluxV1Client({ url: influxd.url, database: 'fleet', auth: { kind: 'none' } });
  await influx.ensureDatabase();
  const ids = Array.from({ length: N }, (_, i) => fleetGatewayId('fleet', i));
  let secrets = ids.map(() => SECRET);
  let pg: ManagedPostgres | undefined;
  let pgDir: Awaited<ReturnType<typeof tempDir>> | undefined;
  let db: PostgresDb | undefined;
  if (POSTGRES) {
    const made = await distinctSecrets(N);
    secrets = made.secrets;
    // Its own temporary directory: initdb runs as the postgres user, who may not enter work.path.
    pgDir = await tempDir('bench-fleet-postgres');
    pg = await startPostgres({ dir: pgDir.path });
    db = await PostgresDb.open({ connectionString: pg.url });
    await migrate(db);
    for (let i = 0; i < N; i += 5000) {
      await db.query('INSERT INTO gateways (id, secret_hash) SELECT * FROM unnest($1::text[], $2::text[])', [ids.slice(i, i + 5000), made.hashes.slice(i, i + 5000)]);
    }
  }
  const secretHash = POSTGRES ? '' : await hashSecret(SECRET);
  await mkdir(join(work.path, 'hub'), { recursive: true });
  const config = {
    dataDir: join(work.path, 'hub'),
    mqttPort: await freePort(),
    influxUrl: influxd.url,
    influxDatabase: 'fleet',
    seedFile: await writeSeedFile(work.path, { gateways: POSTGRES ? [] : ids.map((id) => ({ id, secretHash })), patients: [], assignments: [] }),
    ...(pg && { databaseUrl: pg.url }),
    // Many boxes behind few source addresses here: the per-address CONNECT limit would be the bench.
    connectRatePerMinute: 100_000_000,
    logFile: join(work.path, 'hub.log'),
  };
  let hub: HubProcess = await startHubProcess(config);
  const fleet = startFleet({ host: '127.0.0.1', port: config.mqttPort, gateways: ids.map((id, i) => ({ id, secret: secrets[i]! })), connectPerS: 2000, localAddresses: ADDRESSES });

  /** kill -9 of the hub and a restart on the same data directory and port; prints how the fleet came back. */
  async function storm(label: string): Promise<void> {
    for (const g of fleet.gateways) g.measure();
    await sleep(200); // some acknowledged, some in flight at the kill
    await hub.kill9();
    const killed = performance.now();
    const before = { ...fleet.counters, refused: { ...fleet.counters.refused } };
    hub = await startHubProcess(config);
    const restarted = performance.now();
    const cpu0 = await processCpuMs(hub.pid);
    await until('all gateways back', () => fleet.allConnectedSince(restarted), 1_200_000);
    const stormS = (performance.now() - restarted) / 1000;
    const cpuPct = (((await processCpuMs(hub.pid)) - cpu0) / (stormS * 1000)) * 100;
    const refused = Object.entries(fleet.counters.refused).map(([code, n]) => `CONNACK ${code}: ${n - (before.refused[Number(code)] ?? 0)}`).join(', ') || 'none';
    const sorted = (xs: number[]) => xs.sort((a, b) => a - b);
    const at = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
    const backS = sorted(fleet.gateways.map((g) => (g.connectedAt - restarted) / 1000));
    const tries = sorted(fleet.gateways.map((g) => g.lastAttempts));
    console.log(
      `storm, ${label} (kill -9 + restart): hub down ${((restarted - killed) / 1000).toFixed(1)} s; all ${N} back ${stormS.toFixed(1)} s after the hub listened again ` +
        `(p50 ${at(backS, 50).toFixed(1)} s, p90 ${at(backS, 90).toFixed(1)} s, p99 ${at(backS, 99).toFixed(1)} s); hub CPU ${cpuPct.toFixed(0)} % of one core meanwhile ` +
        `(${((cpuPct / 100) * stormS).toFixed(1)} CPU-s); ${fleet.counters.attempts - before.attempts} connection attempts (${fleet.counters.tcpFailed - before.tcpFailed} refused by TCP, ` +
        `${fleet.counters.closedBeforeConnack - before.closedBeforeConnack} closed before CONNACK; tries per gateway p50 ${at(tries, 50)}, max ${at(tries, 100)}); refusals ${refused}`,
    );
  }

  let ok = false;
  try {
    console.log(`bench:fleet: ${N} gateways, ${ADDRESSES} source address(es), ${POSTGRES ? 'SQL registry on PostgreSQL, a secret per gateway' : 'in-memory registry, one shared secret'}, hub pid ${hub.pid}`);
    const t0 = performance.now();
    await until('all gateways connected', () => fleet.counters.connected === N, 1_200_000);
    const rampS = (performance.now() - t0) / 1000;
    console.log(`ramp (2,000 connects/s offered): all ${N} connected in ${rampS.toFixed(1)} s`);

    await sleep(5000);
    const cpu0 = await processCpuMs(hub.pid);
    const w0 = performance.now();
    await sleep(10_000);
    const cpuPct = (((await processCpuMs(hub.pid)) - cpu0) / (performance.now() - w0)) * 100;
    console.log(`idle: hub RSS ${(await rssMiB(hub.pid)).toFixed(0)} MiB, CPU ${cpuPct.toFixed(1)} % of one core (${N} connections, heartbeats and pings)`);

    if (db) {
      await storm('verified proofs in PostgreSQL');
      // As before migration 072: a restarted hub had to run scrypt for every box.
      await db.query('UPDATE gateways SET verified_proof = NULL');
      await storm('no proofs (one scrypt per box)');
    } else {
      await storm(`one shared secret`);
    }

    await until('outboxes empty', () => fleet.unacknowledged() === 0, 120_000);
    await until('spool drained', async () => metricValue(await (await fetch(`${hub.opsUrl}/metrics`)).text(), 'rpm_spool_pending_points') === 0, 120_000);
    const rows = await influx.query('SELECT count(distinct("reading_id")) FROM "blood_pressure"');
    const stored = Number(rows[0]?.values[0]?.[1] ?? 0);
    const published = fleet.counters.published;
    console.log(`readings: ${published} published, ${fleet.counters.acked} acknowledged, ${stored} distinct in InfluxDB, lost ${published - stored}`);
    const load = (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
    console.log(`machine load average at the end: ${load} (${cpus().length} cores)`);
    ok = true;
  } finally {
    fleet.stop();
    await sleep(500);
    await hub.kill9();
    await db?.close();
    await pg?.stop();
    await pgDir?.remove();
    await influxd.stop();
    // A failed run keeps its directory: the hub's log is there.
    if (ok) await work.remove();
    else console.error(`bench:fleet: kept ${work.path} (hub.log)`);
  }
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
