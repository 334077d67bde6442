/**
 * API benchmark (`npm run bench:api`): loads P patients × D days of readings (4 kinds, 6 a day:
 * 8.8 million points at the full 1,000 × 365) into a private influxd, starts the API on the SQL
 * registry and audit log (PGlite in a temporary data directory), and measures over real HTTP, from a worker thread:
 *   - a 90-day hourly trend of one patient's blood pressure (target p95 < 50 ms),
 *   - the worklist of a 200-patient care team with latest vitals (target p95 < 100 ms),
 * each one request at a time (p50/p95) and with BENCH_API_CONCURRENCY clients for BENCH_API_SECONDS
 * (requests/s, p50/p95 under load). Every request is audited, as in production.
 *
 * Knobs (environment): BENCH_API_PATIENTS (1000), BENCH_API_DAYS (365), BENCH_API_REQUESTS (200),
 * BENCH_API_CONCURRENCY (8), BENCH_API_SECONDS (10), INFLUX_URL (use that server instead; the
 * database is bench_api), BENCH_API_KEEP=1 (keep the loaded influxd data dir under
 * $TMPDIR/rpm-bench-api-P-D and reuse it next time), BENCH_API_CPU_PROF (a file: write a V8 CPU
 * profile of the API process during the measurements).
 */
import { existsSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../dashboard-api/app.js';
import { sqlApiServices } from '../../bin/api-services/compose-services.js';
import { AuditJournal } from '../../hub/audit/audit-journal.js';
import { GatewayStateStore } from '../../hub/ingest/gateway-state.js';
import { SqlRegistry } from '../../hub/registry/sql-registry.js';
import { migrate } from '../../hub/sql/migrate.js';
import { PgliteDb } from '../../hub/sql/pglite-db.js';
import { InfluxV1Client } from '../../hub/storage/influx-v1.js';
import { startInfluxd, type ManagedInfluxd } from '../lib/influxd.js';
import { loadBenchData, patientId, teamOf } from './api-data.js';
import { percentile, runLoad, type LoadResult } from './api-load.js';
import { exitOnHelp } from '../lib/cli-help.js';

exitOnHelp('npm run bench:api: loads patients x days of readings into a private influxd and measures the API. Prints figures.');

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const PATIENTS = env('BENCH_API_PATIENTS', 1000);
const DAYS = env('BENCH_API_DAYS', 365);
const REQUESTS = env('BENCH_API_REQUESTS', 200);
const CONCURRENCY = env('BENCH_API_CONCURRENCY', 8);
const SECONDS = env('BENCH_API_SECONDS', 10);
const KEEP = process.env.BENCH_API_KEEP === '1';
const DAY = 86_400_000;
const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function report(name: string, target: number, r: LoadResult): void {
  const p95 = percentile(r.sequentialMs, 95);
  console.log(`\n${name}`);
  console.log(`  one at a time   ${r.sequentialMs.length} requests: p50 ${fmt(percentile(r.sequentialMs, 50))} ms, p95 ${fmt(p95)} ms (target < ${target} ms: ${p95 < target ? 'met' : 'MISSED'})`);
  console.log(
    `  ${CONCURRENCY} concurrent   ${r.loadedMs.length} requests in ${fmt(r.loadedSeconds)} s: ${fmt(r.loadedMs.length / r.loadedSeconds)} requests/s, p50 ${fmt(percentile(r.loadedMs, 50))} ms, p95 ${fmt(percentile(r.loadedMs, 95))} ms`,
  );
  if (r.errors > 0) console.log(`  ERRORS: ${r.errors} (first: ${r.firstError})`);
}

async function main(): Promise<void> {
  const full = PATIENTS === 1000 && DAYS === 365;
  console.log(`API benchmark: ${PATIENTS} patients × ${DAYS} days × 4 kinds × 6 a day = ${fmt((PATIENTS * DAYS * 24) / 1e6, 2)} M points (${full ? 'full scale' : 'REDUCED scale'})`);
  if (PATIENTS < 200) throw new Error('BENCH_API_PATIENTS must be at least 200 (one full care team)');
  const end = new Date(Math.floor(Date.now() / DAY) * DAY);
  const dataDir = join(tmpdir(), `rpm-bench-api-${PATIENTS}-${DAYS}`);
  const marker = join(dataDir, 'loaded');
  let influxd: ManagedInfluxd | undefined;
  let url = process.env.INFLUX_URL;
  if (!url) {
    if (!KEEP || !existsSync(marker)) await rm(dataDir, { recursive: true, force: true });
    // A kept data dir with millions of points takes a while to open (index, WAL replay).
    influxd = await startInfluxd({ dataDir, startTimeoutMs: 180_000 });
    url = influxd.url;
  }
  const influx = new InfluxV1Client({ url, database: 'bench_api', auth: process.env.INFLUX_TOKEN ? { kind: 'token', token: process.env.INFLUX_TOKEN } : { kind: 'none' }, timeoutMs: 120_000 });
  // On disk, as in production (RPM_DATA_DIR/sql/): an in-memory PGlite grows its files by copying,
  // which makes a long run of audit inserts look far slower than it is.
  const sqlDir = join(tmpdir(), `rpm-bench-api-sql-${process.pid}`);
  const db = await PgliteDb.open({ dataDir: sqlDir });
  try {
    if (KEEP && existsSync(marker) && !process.env.INFLUX_URL) {
      console.log(`reusing loaded data in ${dataDir} (BENCH_API_KEEP=1)`);
    } else {
      await influx.query('DROP DATABASE "bench_api"');
      await influx.ensureDatabase();
      const load = await loadBenchData(influx, PATIENTS, DAYS, end, (done, total) => process.stdout.write(`\r  loading ${fmt((100 * done) / total, 0)} %   `));
      console.log(`\nloaded ${fmt(load.points, 0)} points in ${fmt(load.ms / 1000)} s (${fmt(load.points / (load.ms / 1000), 0)} points/s, 5,000-point batches, 4 in flight)`);
      if (KEEP) await writeFile(marker, new Date().toISOString());
    }

    await migrate(db);
    const registry = new SqlRegistry(db);
    const teams = new Set<string>();
    for (let p = 0; p < PATIENTS; p++) {
      const team = teamOf(p);
      if (!teams.has(team)) {
        teams.add(team);
        await registry.createCareTeam({ id: team, displayName: team });
      }
      await registry.createPatient({ id: patientId(p), careTeamId: team, displayName: `Resident ${PATIENTS - p}` });
    }
    await registry.createUser({ id: 'u-bench', displayName: 'Bench clinician', role: 'clinician', careTeamIds: [teamOf(0)] });
    const { token } = await registry.createToken({ userId: 'u-bench', expiresInSeconds: 3600 });

    // The audit journal as in production (bin/compose-hub.ts): entries durable there before the answer.
    const journal = await AuditJournal.open(join(sqlDir, 'audit-journal'));
    const services = sqlApiServices({ influx, tokens: registry, devices: registry, gateways: new GatewayStateStore(), db, registry, audit: { journal } });
    const app = await buildApp(services, { authFailuresPerMinute: 10_000 });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const headers = { authorization: `Bearer ${token}` };

    const from = new Date(end.getTime() - 90 * DAY).toISOString();
    // Different patients of the team so that no answer is served from one warm series only.
    const trendUrls = Array.from({ length: 20 }, (_, i) => `${base}/api/v1/patients/${patientId(i * 7)}/trends?kind=blood_pressure&every=1h&agg=mean&from=${from}&to=${end.toISOString()}`);
    const worklistUrl = `${base}/api/v1/patients`;
    const check = await fetch(trendUrls[0]!, { headers });
    const buckets = ((await check.json()) as { buckets: unknown[] }).buckets.length;
    const list = await fetch(worklistUrl, { headers });
    const worklist = ((await list.json()) as { patients: { latest: unknown[] }[] }).patients;
    console.log(`\ncheck: a 90-day hourly trend has ${buckets} buckets; the worklist has ${worklist.length} patients, ${worklist.filter((p) => p.latest.length === 4).length} with all four latest vitals`);

    // Warm-up (JIT, InfluxDB caches), then measure.
    await runLoad({ urls: [...trendUrls, worklistUrl], headers, sequential: 20, concurrency: 1, durationMs: 0 });
    const profiler = process.env.BENCH_API_CPU_PROF ? new Session() : undefined;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    report('90-day hourly trend, one patient (blood pressure, mean per hour)', 50, await runLoad({ urls: trendUrls, headers, sequential: REQUESTS, concurrency: CONCURRENCY, durationMs: SECONDS * 1000 }));
    report('worklist of a 200-patient care team (latest vitals per kind)', 100, await runLoad({ urls: [worklistUrl], headers, sequential: REQUESTS, concurrency: CONCURRENCY, durationMs: SECONDS * 1000 }));
    if (profiler && process.env.BENCH_API_CPU_PROF) {
      const { profile } = await profiler.post('Profiler.stop');
      await writeFile(process.env.BENCH_API_CPU_PROF, JSON.stringify(profile));
      profiler.disconnect();
    }
    console.log(`\naudit entries written: ${services.audit.trail.stats.written} (every request audited; a worklist request writes one per patient shown)`);
    console.log('machine: 2 cores shared with other work; influxd, the API and the load client run on it together');
    await app.close();
  } finally {
    await db.close();
    await rm(sqlDir, { recursive: true, force: true });
    await influxd?.stop();
    if (!KEEP && influxd) await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  console.error(`bench:api failed: ${err.stack ?? err.message}`);
  process.exit(1);
});
