/** The parent's side of hub-entry.ts: start a hub child process, wait for it, kill it (-9 or gently). */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RegistrySeed } from '../../hub/registry/memory-registry.js';

const ENTRY = fileURLToPath(new URL('./hub-entry.ts', import.meta.url));

export interface HubProcessConfig {
  readonly dataDir: string;
  readonly mqttPort: number;
  readonly opsPort?: number;
  readonly influxUrl: string;
  readonly influxDatabase: string;
  readonly influxToken?: string;
  readonly seedFile: string;
  /** The SQL registry on this PostgreSQL instead of the seed file. */
  readonly databaseUrl?: string;
  readonly backoffMaxMs?: number;
  readonly connectRatePerMinute?: number;
  /** Share broker state through this Redis (a cluster member). */
  readonly redisUrl?: string;
  readonly clusterHeartbeatMs?: number;
  /** The child's stderr (its log) is appended here. */
  readonly logFile?: string;
  readonly nodeArgs?: readonly string[];
}

export interface HubProcess {
  readonly pid: number;
  readonly mqttPort: number;
  readonly opsUrl: string;
  readonly child: ChildProcess;
  /** SIGKILL: no chance to flush anything. */
  kill9(): Promise<void>;
  /** SIGTERM: a clean close. */
  stop(): Promise<void>;
}

export async function writeSeedFile(dir: string, seed: RegistrySeed): Promise<string> {
  const path = join(dir, 'registry-seed.json');
  await writeFile(path, JSON.stringify(seed));
  return path;
}

/** The V8 flags the hub runs with in production (bin/rpm-hub.ts' shebang, docs/deploy/rpm-hub.service). */
const HUB_NODE_FLAGS = ['--max-semi-space-size=32'];

export async function startHubProcess(config: HubProcessConfig): Promise<HubProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HUB_DATA_DIR: config.dataDir,
    HUB_MQTT_PORT: String(config.mqttPort),
    HUB_OPS_PORT: String(config.opsPort ?? 0),
    HUB_SEED_FILE: config.seedFile,
    INFLUX_URL: config.influxUrl,
    INFLUX_DATABASE: config.influxDatabase,
    ...(config.influxToken && { INFLUX_TOKEN: config.influxToken }),
    ...(config.backoffMaxMs !== undefined && { HUB_BACKOFF_MAX_MS: String(config.backoffMaxMs) }),
    ...(config.connectRatePerMinute !== undefined && { HUB_CONNECT_RATE: String(config.connectRatePerMinute) }),
    ...(config.redisUrl && { HUB_REDIS_URL: config.redisUrl }),
    ...(config.databaseUrl && { HUB_DATABASE_URL: config.databaseUrl }),
    ...(config.clusterHeartbeatMs !== undefined && { HUB_CLUSTER_HEARTBEAT_MS: String(config.clusterHeartbeatMs) }),
  };
  const child = spawn(process.execPath, [...HUB_NODE_FLAGS, ...(config.nodeArgs ?? []), '--import', 'tsx', ENTRY], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (config.logFile) child.stderr.pipe(createWriteStream(config.logFile, { flags: 'a' }));
  else child.stderr.resume();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const ready = await new Promise<{ mqttPort: number; opsUrl: string }>((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const match = /HUB_READY (\{.*\})\n/.exec(buffered);
      if (match?.[1]) {
        child.stdout.off('data', onData);
        child.stdout.resume();
        resolve(JSON.parse(match[1]) as { mqttPort: number; opsUrl: string });
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`hub process exited before it was ready (code ${code}, signal ${signal}); see ${config.logFile ?? 'its stderr'}`)));
  });

  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  return { pid: child.pid ?? -1, mqttPort: ready.mqttPort, opsUrl: ready.opsUrl, child, kill9: () => signal('SIGKILL'), stop: () => signal('SIGTERM') };
}

/** Reads one sample (sum over its labels) from a Prometheus text exposition. */
export function metricValue(text: string, name: string, labels?: string): number {
  let sum = 0;
  let found = false;
  for (const row of text.split('\n')) {
    if (row.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(row);
    if (!match || match[1] !== name) continue;
    if (labels && !(match[2] ?? '').includes(labels)) continue;
    sum += Number(match[3]);
    found = true;
  }
  if (!found) throw new Error(`metric ${name}${labels ? `{${labels}}` : ''} not found`);
  return sum;
}
