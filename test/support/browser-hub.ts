/**
 * The hub a browser-test world starts: the whole `rpm-hub serve` composition on loopback ports, an
 * embedded PGlite registry in `dir` and the given InfluxDB database. The registry opens first so the
 * world can seed it before the hub starts.
 */
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { parseHubEnv, type HubEnv } from '../../hub/config.js';
import { openRegistry } from '../../hub/registry/open-registry.js';
import type { SqlRegistry } from '../../hub/registry/sql-registry.js';
import { influxUrl } from '../setup/influx.js';

export interface BrowserHubBase {
  readonly config: HubEnv;
  readonly registry: SqlRegistry;
  readonly log: Logger;
  readonly closeRegistry: () => Promise<void>;
}

export async function openBrowserHubBase(dir: string, influxDatabase: string): Promise<BrowserHubBase> {
  const env = parseHubEnv({
    RPM_SQL: 'pglite',
    INFLUX_URL: influxUrl(),
    INFLUX_DATABASE: influxDatabase,
    RPM_DATA_DIR: join(dir, 'hub'),
    MQTT_HOST: '127.0.0.1',
    MQTT_PORT: '0',
    API_HOST: '127.0.0.1',
    API_PORT: '0',
    METRICS_PORT: '0',
  });
  if (!env.ok) throw new Error(env.message);
  const log = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
  const opened = await openRegistry({ backend: 'pglite', dataDir: env.config.RPM_DATA_DIR }, log);
  return { config: env.config, registry: opened.registry, log, closeRegistry: () => opened.close() };
}
