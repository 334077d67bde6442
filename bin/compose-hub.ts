/**
 * Composition root of the care organisation's server: the hub (broker, ingest, storage) and the
 * dashboard API beside it, sharing the registry and InfluxDB. Used by `rpm-hub serve` and the demo.
 */
import type { Logger } from 'pino';
import { startApiServer, type RunningApi } from '../dashboard-api/server.js';
import { influxAuthFrom, type HubEnv } from '../hub/config.js';
import { startHub, type RunningHub } from '../hub/hub.js';
import type { DeviceDirectory, GatewayDirectory, PatientDirectory, TokenDirectory } from '../hub/registry/registry.js';
import { InfluxV1Client } from '../hub/storage/influx-v1.js';
import { createReadingsRepository } from '../hub/storage/readings-repository.js';

export type HubRegistry = GatewayDirectory & DeviceDirectory & PatientDirectory & TokenDirectory;

export interface RunningHubServer {
  readonly hub: RunningHub;
  readonly api: RunningApi;
  close(): Promise<void>;
}

export async function startHubServer(env: HubEnv, registry: HubRegistry, log: Logger): Promise<RunningHubServer> {
  const influx = new InfluxV1Client({
    url: env.INFLUX_URL,
    database: env.INFLUX_DATABASE,
    ...(env.INFLUX_RETENTION_POLICY && { retentionPolicy: env.INFLUX_RETENTION_POLICY }),
    auth: influxAuthFrom(env),
  });
  const hub = await startHub({ dataDir: env.RPM_DATA_DIR, mqtt: { host: env.MQTT_HOST, port: env.MQTT_PORT }, influx, registry, log });
  let api: RunningApi;
  try {
    api = await startApiServer(
      { tokens: registry, patients: registry, readings: createReadingsRepository(influx) },
      { host: env.API_HOST, port: env.API_PORT, logger: log.child({ part: 'api' }) },
    );
  } catch (err) {
    await hub.close();
    throw err;
  }
  return {
    hub,
    api,
    async close() {
      await api.close();
      await hub.close();
    },
  };
}
