/**
 * Runs the dashboard API as a child process whose audit log is SQL on PostgreSQL, for tests that
 * kill -9 it while that store is unreachable: `node --import tsx test/support/audit-api-entry.ts`,
 * configured by environment:
 *
 *   AUDIT_DATA_DIR (the hub's data directory: audit journal and dead-letter file go there, as in
 *   bin/compose-hub.ts), AUDIT_DATABASE_URL (the audit store), AUDIT_SEED_FILE (memory registry
 *   seed: tokens and patients), INFLUX_URL, INFLUX_DATABASE, API_AUDIT_* (dashboard-api/config.ts).
 *
 * The registry is in memory so that the API keeps authenticating while the audit store is down.
 * Prints `AUDIT_API_READY {"url":…}` on stdout once it listens; SIGTERM closes it cleanly.
 */
import { readFile } from 'node:fs/promises';
import { pino } from 'pino';
import { memoryApiServices } from '../../bin/api-services/compose-services.js';
import { auditOptionsFrom, parseApiEnv } from '../../dashboard-api/config.js';
import { startApiServer } from '../../dashboard-api/server.js';
import { AuditJournal } from '../../hub/audit/audit-journal.js';
import { AuditTrail } from '../../hub/audit/audit-trail.js';
import { SqlAuditStore } from '../../hub/audit/sql-audit-store.js';
import { GatewayStateStore } from '../../hub/ingest/gateway-state.js';
import { MemoryRegistry, type RegistrySeed } from '../../hub/registry/memory-registry.js';
import { PostgresDb } from '../../hub/sql/postgres-db.js';
import { InfluxV1Client } from '../../hub/storage/influx-v1.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`audit-api-entry: set ${name}`);
  return value;
}

async function main(): Promise<void> {
  const log = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
  const env = parseApiEnv(process.env);
  if (!env.ok) throw new Error(env.message);
  const seed = JSON.parse(await readFile(required('AUDIT_SEED_FILE'), 'utf8')) as RegistrySeed;
  const registry = new MemoryRegistry(seed);
  const influx = new InfluxV1Client({ url: required('INFLUX_URL'), database: required('INFLUX_DATABASE'), auth: { kind: 'none' } });
  const db = await PostgresDb.open({ connectionString: required('AUDIT_DATABASE_URL') });
  const store = new SqlAuditStore(db);
  const { journalDir, ...settings } = auditOptionsFrom(env.config, required('AUDIT_DATA_DIR'));
  const journal = await AuditJournal.open(journalDir, { log });
  const trail = new AuditTrail(store, { ...settings, journal, retryMaxMs: 200, log });
  const base = memoryApiServices({ influx, tokens: registry, devices: registry, gateways: new GatewayStateStore(), patients: seed.patients ?? [] });
  const api = await startApiServer({ ...base, audit: { trail, store } }, { host: '127.0.0.1', port: 0, logger: false });
  process.stdout.write(`AUDIT_API_READY ${JSON.stringify({ url: api.url, pid: process.pid })}\n`);
  const stop = () => {
    api.close().then(
      () => db.close().then(() => process.exit(0)),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
}

main().catch((err: Error) => {
  process.stderr.write(`audit-api-entry: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
