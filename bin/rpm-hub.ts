#!/usr/bin/env node
/** rpm-hub: the care organisation's server (MQTT broker, ingest into InfluxDB, dashboard API). */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseHubEnv } from '../hub/config.js';
import { createHubLogger } from '../hub/log.js';
import { MemoryRegistry } from '../hub/registry/memory-registry.js';
import { fail, stopOnSignals } from './cli-support.js';
import { startHubServer } from './compose-hub.js';

const HELP = `rpm-hub — remote patient monitoring hub

Usage:
  rpm-hub serve            start the MQTT broker, ingest into InfluxDB and the dashboard API
  rpm-hub --help           show this help

Configuration (environment variables):
  INFLUX_URL               InfluxDB base URL, e.g. http://127.0.0.1:8086 (required)
  INFLUX_DATABASE          database (1.x) or DBRP-mapped bucket (2.x/3.x); default rpm
  INFLUX_TOKEN             token for InfluxDB 2.x/3.x v1-compatibility auth
  INFLUX_USERNAME/PASSWORD user and password for InfluxDB 1.x with auth enabled
  INFLUX_RETENTION_POLICY  retention policy to write into (default: the database's default)
  MQTT_HOST, MQTT_PORT     broker listen address; default 0.0.0.0:1883
  API_HOST, API_PORT       API listen address; default 0.0.0.0:8080
  RPM_DATA_DIR             hub data directory (dead letters); default ./data/hub
  RPM_REGISTRY_FILE        registry seed (JSON: gateways, patients, assignments, tokens)
  LOG_LEVEL                fatal|error|warn|info|debug|trace|silent; default info
`;

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  const command = positionals[0] ?? (values.help ? 'help' : 'serve');
  if (values.help || command === 'help') {
    process.stdout.write(HELP);
    return;
  }
  if (command !== 'serve') fail(`unknown command "${command}"\n\n${HELP}`);

  const parsed = parseHubEnv(process.env);
  if (!parsed.ok) fail(parsed.message);
  const env = parsed.config;
  const log = createHubLogger(env.LOG_LEVEL);
  if (!env.RPM_REGISTRY_FILE) fail('RPM_REGISTRY_FILE is required: the registry of gateways, patients, devices and tokens');
  let seed: unknown;
  try {
    seed = JSON.parse(await readFile(env.RPM_REGISTRY_FILE, 'utf8'));
  } catch (err) {
    fail(`cannot read RPM_REGISTRY_FILE ${env.RPM_REGISTRY_FILE}: ${(err as Error).message}`);
  }
  const server = await startHubServer(env, new MemoryRegistry(seed as ConstructorParameters<typeof MemoryRegistry>[0]), log);
  log.info({ mqttPort: server.hub.mqttPort, api: server.api.url }, 'rpm-hub running');
  stopOnSignals(() => server.close(), log);
}

main().catch((err: Error) => fail(`rpm-hub: ${err.message}`));
