/**
 * Runs a hub as a child process for tests and benchmarks that need to kill -9 it or keep it off the
 * publishers' event loop: `node --import tsx test/support/hub-entry.ts`, configured by environment:
 *
 *   HUB_DATA_DIR, HUB_MQTT_PORT (0 = any), HUB_OPS_PORT (0 = any), HUB_SEED_FILE (registry seed JSON),
 *   INFLUX_URL, INFLUX_DATABASE, INFLUX_TOKEN (optional), HUB_CONNECT_RATE (optional),
 *   HUB_BACKOFF_MAX_MS (optional), HUB_REDIS_URL (optional: broker state shared through Redis),
 *   HUB_CLUSTER_HEARTBEAT_MS (optional), LOG_LEVEL (default warn; logs go to stderr),
 *   HUB_DATABASE_URL (optional: the SQL registry on this PostgreSQL, migrated, instead of the seed file).
 *
 * Prints one line `HUB_READY {"mqttPort":…,"opsUrl":…}` on stdout once it accepts connections.
 * See hub-process.ts for the parent's side.
 */
import { readFile } from 'node:fs/promises';
import { pino } from 'pino';
import { startHub } from '../../hub/hub.js';
import { MemoryRegistry, type RegistrySeed } from '../../hub/registry/memory-registry.js';
import { SqlRegistry } from '../../hub/registry/sql-registry.js';
import { migrate } from '../../hub/sql/migrate.js';
import { PostgresDb } from '../../hub/sql/postgres-db.js';
import { InfluxV1Client } from '../../hub/storage/influx-v1.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`hub-entry: set ${name}`);
  return value;
}

const optionalNumber = (name: string): number | undefined => (process.env[name] ? Number(process.env[name]) : undefined);

async function main(): Promise<void> {
  const log = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
  const databaseUrl = process.env.HUB_DATABASE_URL;
  const db = databaseUrl ? await PostgresDb.open({ connectionString: databaseUrl }) : undefined;
  if (db) await migrate(db);
  const registry = db ? new SqlRegistry(db) : new MemoryRegistry(JSON.parse(await readFile(required('HUB_SEED_FILE'), 'utf8')) as RegistrySeed);
  const token = process.env.INFLUX_TOKEN;
  const influx = new InfluxV1Client({ url: required('INFLUX_URL'), database: required('INFLUX_DATABASE'), auth: token ? { kind: 'token', token } : { kind: 'none' } });
  const backoffMax = optionalNumber('HUB_BACKOFF_MAX_MS');
  const connectRate = optionalNumber('HUB_CONNECT_RATE');
  const hub = await startHub({
    dataDir: required('HUB_DATA_DIR'),
    mqtt: { host: '127.0.0.1', port: Number(required('HUB_MQTT_PORT')), ...(connectRate !== undefined && { connectAttemptsPerMinute: connectRate }) },
    influx,
    registry,
    log,
    ops: { host: '127.0.0.1', port: Number(process.env.HUB_OPS_PORT ?? 0) },
    ...(process.env.HUB_REDIS_URL && { redis: { url: process.env.HUB_REDIS_URL, ...(optionalNumber('HUB_CLUSTER_HEARTBEAT_MS') !== undefined && { heartbeatIntervalMs: optionalNumber('HUB_CLUSTER_HEARTBEAT_MS') }) } }),
    spool: {
      ...(backoffMax !== undefined && { backoff: { baseMs: 100, maxMs: backoffMax } }),
      ...(optionalNumber('HUB_BATCH_POINTS') !== undefined && { maxBatchPoints: optionalNumber('HUB_BATCH_POINTS') }),
    },
  });
  process.stdout.write(`HUB_READY ${JSON.stringify({ mqttPort: hub.mqttPort, opsUrl: hub.opsUrl, pid: process.pid })}\n`);
  const stop = () => {
    hub.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: Error) => {
  process.stderr.write(`hub-entry: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
