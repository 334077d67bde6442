#!/usr/bin/env -S node --max-semi-space-size=32
/** rpm-hub: the care organisation's server (MQTT broker, ingest into InfluxDB, dashboard API). */
/*
 * The shebang sizes V8's young generation for ingest: every message allocates short-lived strings and
 * objects, and with 32 MiB semi-spaces (default 16) fewer of them survive into the old generation
 * (measured in bench:ingest: hub CPU per reading 10-11 µs against 11-15 µs). docs/deploy/rpm-hub.service
 * and test/support/hub-process.ts pass the same flag.
 */
import { parseArgs } from 'node:util';
import { parseHubEnv } from '../hub/config.js';
import { createHubLogger } from '../hub/log.js';
import { openRegistry } from '../hub/registry/open-registry.js';
import { fail, stopOnSignals } from './cli-support.js';
import { startHubServer } from './compose-hub.js';
import { runAdmin } from './hub-admin.js';

const HELP = `rpm-hub — remote patient monitoring hub

Usage:
  rpm-hub serve            start the MQTT broker, ingest into InfluxDB and the dashboard API
  rpm-hub admin <command>  manage gateways, patients, devices, users and tokens (rpm-hub admin --help)
  rpm-hub --help           show this help

Configuration (environment variables):
  INFLUX_URL               InfluxDB base URL, e.g. http://127.0.0.1:8086 (required)
  INFLUX_DATABASE          database (1.x) or DBRP-mapped bucket (2.x/3.x); default rpm
  INFLUX_TOKEN             token for InfluxDB 2.x/3.x v1-compatibility auth
  INFLUX_USERNAME/PASSWORD user and password for InfluxDB 1.x with auth enabled
  INFLUX_RETENTION_POLICY  retention policy to write into (default: the database's default)
  MQTT_HOST, MQTT_PORT     broker listen address; default 0.0.0.0:1883
  API_HOST, API_PORT       API listen address; default 0.0.0.0:8080
  RPM_DATA_DIR             hub data directory (spool, dead letters, embedded database); default ./data/hub
  DATABASE_URL             PostgreSQL for the registry (postgres://user:password@host:5432/db);
                           unset: embedded PGlite in RPM_DATA_DIR/sql/
  HUB_REDIS_URL            several hubs: share broker state, alerts and verified secrets through this
                           Redis (redis://host:6379); see docs/deploy/cluster.md
  CLUSTER_LEASE_TTL_MS     alert-engine lease of a cluster; default 6000
  LOG_LEVEL                fatal|error|warn|info|debug|trace|silent; default info
`;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  // The admin commands parse their own options.
  if (argv[0] === 'admin') process.exit(await runAdmin(argv.slice(1)));
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  const command = positionals[0] ?? (values.help ? 'help' : 'serve');
  if (values.help || command === 'help') {
    process.stdout.write(HELP);
    return;
  }
  if (command !== 'serve') fail(`unknown command "${command}"\n\n${HELP}`);

  if (process.env.RPM_REGISTRY_FILE) {
    fail('RPM_REGISTRY_FILE is no longer read: the registry is in SQL (RPM_DATA_DIR/sql/, or DATABASE_URL). Create gateways, patients, users and tokens with `rpm-hub admin`; see docs/registry.md.');
  }
  const parsed = parseHubEnv(process.env);
  if (!parsed.ok) fail(parsed.message);
  const env = parsed.config;
  const log = createHubLogger(env.LOG_LEVEL);
  const registry = await openRegistry({ backend: env.RPM_SQL, dataDir: env.RPM_DATA_DIR, databaseUrl: env.DATABASE_URL }, log);
  let server;
  try {
    server = await startHubServer(env, registry.registry, log);
  } catch (err) {
    await registry.close();
    throw err;
  }
  log.info({ mqttPort: server.hub.mqttPort, api: server.api.url, sql: env.RPM_SQL }, 'rpm-hub running');
  const running = server;
  stopOnSignals(async () => {
    await running.close();
    await registry.close();
  }, log);
}

main().catch((err: Error) => fail(`rpm-hub: ${err.message}`));
