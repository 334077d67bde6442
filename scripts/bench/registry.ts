/**
 * Registry benchmark: what the hot paths cost on PGlite and on PostgreSQL. resolvePatient per
 * reading (from the assignment cache, and with the cache off: one query), verifyToken per API
 * request, verifyGatewaySecret per MQTT connection (scrypt), assignDevice (a transaction).
 * Fixed iteration counts after a warm-up. Run: npx tsx scripts/bench/registry.ts [iterations]
 * PostgreSQL: DATABASE_URL (a role with CREATEDB), else a private server (scripts/lib/postgres.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqlRegistry } from '../../hub/registry/sql-registry.js';
import { migrate } from '../../hub/sql/migrate.js';
import { PgliteDb } from '../../hub/sql/pglite-db.js';
import { PostgresDb } from '../../hub/sql/postgres-db.js';
import type { SqlDb } from '../../hub/sql/sql-db.js';
import { startPostgres } from '../lib/postgres.js';

const N = Number(process.argv[2] ?? 2_000);

async function time(label: string, iterations: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < Math.min(50, iterations); i++) await fn(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await fn(i);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(`  ${label.padEnd(44)} ${(ms / iterations).toFixed(3).padStart(9)} ms/op  ${Math.round((iterations / ms) * 1000).toLocaleString('en').padStart(9)} op/s`);
}

async function bench(name: string, db: SqlDb): Promise<void> {
  console.log(`\n${name}`);
  const cached = new SqlRegistry(db);
  const uncached = new SqlRegistry(db, { assignmentTtlMs: 0 });
  await cached.createCareTeam({ id: 'team-b', displayName: 'B' });
  for (let p = 0; p < 100; p++) await cached.createPatient({ id: `p-${p}`, careTeamId: 'team-b', displayName: `P ${p}` });
  for (let d = 0; d < 100; d++) await cached.assignDevice({ deviceId: `sn-D-${d}`, patientId: `p-${d}`, from: '2026-01-01T00:00:00Z' });
  const { secret } = await cached.createGateway({ id: 'home-b' });
  await cached.createUser({ id: 'u-b', displayName: 'U', role: 'clinician', careTeamIds: ['team-b'] });
  const { token } = await cached.createToken({ userId: 'u-b', expiresInSeconds: 86400 });
  const at = new Date('2026-06-01T00:00:00Z');

  await time('resolvePatient, cached (per reading)', N * 10, (i) => cached.resolvePatient(`sn-D-${i % 100}`, undefined, at));
  await time('resolvePatient, cache off (one query)', N, (i) => uncached.resolvePatient(`sn-D-${i % 100}`, undefined, at));
  await time('verifyToken (per API request)', N, () => cached.verifyToken(token));
  await time('getPatient', N, (i) => cached.getPatient(`p-${i % 100}`));
  await time('verifyGatewaySecret (per connection, scrypt)', 20, () => cached.verifyGatewaySecret('home-b', secret));
  let handOver = 0; // strictly later each time, warm-up included
  await time('assignDevice (hand-over, one transaction)', Math.min(N, 500), () => {
    handOver++;
    return cached.assignDevice({ deviceId: 'sn-D-0', patientId: `p-${(handOver % 2) + 1}`, from: new Date(Date.parse('2026-07-01T00:00:00Z') + handOver * 1000).toISOString() });
  });
}

async function main(): Promise<void> {
  console.log(`registry benchmark, ${N} iterations (2 cores shared with other work: figures vary)`);
  let t = Date.now();
  const pglite = await PgliteDb.open();
  console.log(`PGlite in memory: initdb ${Date.now() - t} ms`);
  t = Date.now();
  await migrate(pglite);
  console.log(`PGlite: migrations ${Date.now() - t} ms`);
  await bench('PGlite (in memory)', pglite);
  await pglite.close();

  let dir: string | undefined;
  let stop: (() => Promise<void>) | undefined;
  let url = process.env.DATABASE_URL;
  if (!url) {
    dir = await mkdtemp(join(tmpdir(), 'rpm-bench-pg-'));
    const server = await startPostgres({ dir, durable: true });
    url = server.url;
    stop = () => server.stop();
  }
  const admin = await PostgresDb.open({ connectionString: url, max: 1 });
  const database = `rpm_bench_${process.pid}`;
  await admin.exec(`CREATE DATABASE ${database}`);
  const u = new URL(url);
  u.pathname = `/${database}`;
  const pg = await PostgresDb.open({ connectionString: u.toString() });
  await migrate(pg);
  await bench(`PostgreSQL (${process.env.DATABASE_URL ? 'DATABASE_URL' : 'private server, fsync on'})`, pg);
  await pg.close();
  await admin.exec(`DROP DATABASE ${database}`);
  await admin.close();
  await stop?.();
  if (dir) await rm(dir, { recursive: true, force: true });
}

main().catch((err: Error) => {
  console.error(err);
  process.exit(1);
});
