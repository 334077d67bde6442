/**
 * A complete rpm-hub (`bin/rpm-hub.ts serve`: broker, ingest, API, alert engine) as a child process,
 * configured as a cluster member (PostgreSQL, Redis) by environment, for the cluster tests that kill
 * -9 whole hubs. Ports are chosen once, so a restarted hub comes back on the same ones. The same
 * member can run in the test's process (clusterHubInProcess) when a test needs its broker.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startHubServer, type RunningHubServer } from '../../bin/compose-hub.js';
import { parseHubEnv } from '../../hub/config.js';
import { createHubLogger } from '../../hub/log.js';
import { openRegistry } from '../../hub/registry/open-registry.js';
import { freePort } from '../../scripts/lib/free-port.js';
import { waitFor } from './wait-for.js';

const BIN = fileURLToPath(new URL('../../bin/rpm-hub.ts', import.meta.url));

export interface ClusterHubConfig {
  readonly name: string;
  readonly dataDir: string;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly influxUrl: string;
  readonly influxDatabase: string;
  readonly logFile: string;
  /** More environment (ALERT_TICK_MS, CLUSTER_LEASE_TTL_MS, …). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface ClusterHub {
  readonly name: string;
  readonly mqttPort: number;
  readonly apiPort: number;
  readonly opsPort: number;
  pid(): number;
  start(): Promise<void>;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

interface Ports {
  readonly mqtt: number;
  readonly api: number;
  readonly ops: number;
}

/** What `rpm-hub serve` reads for this member (on top of the test's own environment). */
function clusterHubEnv(config: ClusterHubConfig, ports: Ports): Record<string, string> {
  return {
    RPM_DATA_DIR: config.dataDir,
    DATABASE_URL: config.databaseUrl,
    HUB_REDIS_URL: config.redisUrl,
    INFLUX_URL: config.influxUrl,
    INFLUX_DATABASE: config.influxDatabase,
    MQTT_HOST: '127.0.0.1',
    MQTT_PORT: String(ports.mqtt),
    API_HOST: '127.0.0.1',
    API_PORT: String(ports.api),
    METRICS_PORT: String(ports.ops),
    LOG_LEVEL: 'info',
    ...config.env,
  };
}

export async function clusterHub(config: ClusterHubConfig): Promise<ClusterHub> {
  const ports: Ports = { mqtt: await freePort(), api: await freePort(), ops: await freePort() };
  let child: ChildProcess | undefined;
  const signal = async (sig: NodeJS.Signals) => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill(sig);
    await exited;
  };
  return {
    name: config.name,
    mqttPort: ports.mqtt,
    apiPort: ports.api,
    opsPort: ports.ops,
    pid: () => child?.pid ?? -1,
    async start() {
      const env: NodeJS.ProcessEnv = { ...process.env, ...clusterHubEnv(config, ports) };
      delete env.RPM_SQL;
      const started = spawn(process.execPath, ['--max-semi-space-size=32', '--import', 'tsx', BIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      const log = createWriteStream(config.logFile, { flags: 'a' });
      started.stdout.pipe(log);
      started.stderr.pipe(log);
      child = started;
      let exited = false;
      started.once('exit', () => (exited = true));
      await waitFor(`${config.name} ready`, async () => {
        if (exited) throw new Error(`${config.name} exited during start-up; see ${config.logFile}`);
        const res = await fetch(`http://127.0.0.1:${ports.ops}/readyz`);
        if (res.status !== 200) return undefined;
        // The API starts after the broker: any answer means it listens.
        await fetch(`http://127.0.0.1:${ports.api}/api/v1/live`);
        return true;
      }, 90_000, 100);
    },
    kill9: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
  };
}

export interface InProcessClusterHub {
  readonly name: string;
  readonly mqttPort: number;
  readonly apiPort: number;
  readonly opsPort: number;
  /** The running composition (broker, API, alert engine), for tests that act on a hub directly. */
  readonly server: RunningHubServer;
  stop(): Promise<void>;
}

/**
 * The same member in the test's own process: the composition `rpm-hub serve` runs
 * (bin/compose-hub.ts startHubServer on the SQL registry), for tests that publish through a hub's
 * broker. It cannot be killed -9; use clusterHub() for the hub a test kills.
 */
export async function clusterHubInProcess(config: ClusterHubConfig): Promise<InProcessClusterHub> {
  const ports: Ports = { mqtt: await freePort(), api: await freePort(), ops: await freePort() };
  const parsed = parseHubEnv(clusterHubEnv(config, ports));
  if (!parsed.ok) throw new Error(parsed.message);
  const env = parsed.config;
  const log = createHubLogger(env.LOG_LEVEL, createWriteStream(config.logFile, { flags: 'a' }));
  const registry = await openRegistry({ backend: env.RPM_SQL, dataDir: env.RPM_DATA_DIR, databaseUrl: env.DATABASE_URL }, log);
  let server: RunningHubServer;
  try {
    server = await startHubServer(env, registry.registry, log);
  } catch (err) {
    await registry.close();
    throw err;
  }
  return {
    name: config.name,
    mqttPort: ports.mqtt,
    apiPort: ports.api,
    opsPort: ports.ops,
    server,
    async stop() {
      await server.close();
      await registry.close();
    },
  };
}
