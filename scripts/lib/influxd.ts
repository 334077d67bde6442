/**
 * Starts and stops a private influxd (InfluxDB 1.x, Debian package `influxdb`) with its own data
 * directory on free loopback ports. Used by the test set-up and the demo; production points
 * INFLUX_URL at the care organisation's server instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from './free-port.js';

export const INFLUXD_INSTALL_HINT = 'sudo apt-get install -y influxdb   (Debian/Ubuntu package; provides /usr/bin/influxd)';

export interface ManagedInfluxd {
  readonly url: string;
  readonly dataDir: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export interface StartInfluxdOptions {
  readonly dataDir: string;
  readonly binary?: string;
  readonly port?: number;
  /** Where influxd's own log goes; it is chatty, so by default a file in the data dir. */
  readonly logFile?: string;
  readonly startTimeoutMs?: number;
}

function configToml(dataDir: string, httpPort: number, rpcPort: number): string {
  // Only what differs from the defaults: private directories, loopback ports, no phoning home,
  // no self-monitoring database, quiet logs.
  return `reporting-enabled = false
bind-address = "127.0.0.1:${rpcPort}"
[meta]
  dir = "${join(dataDir, 'meta')}"
  logging-enabled = false
[data]
  dir = "${join(dataDir, 'data')}"
  wal-dir = "${join(dataDir, 'wal')}"
  query-log-enabled = false
  wal-fsync-delay = "0s"
[monitor]
  store-enabled = false
[http]
  bind-address = "127.0.0.1:${httpPort}"
  log-enabled = false
  suppress-write-log = true
  pprof-enabled = false
[continuous_queries]
  log-enabled = false
[logging]
  level = "warn"
`;
}

async function waitForPing(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`influxd exited with code ${child.exitCode} during start-up`);
    try {
      const res = await fetch(`${url}/ping`);
      if (res.status === 204) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`influxd did not answer ${url}/ping within ${timeoutMs} ms`);
}

function spawnInfluxd(binary: string, configFile: string, logFile: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    void import('node:fs').then(({ openSync }) => {
      const fd = openSync(logFile, 'a');
      const child = spawn(binary, ['-config', configFile], { stdio: ['ignore', fd, fd] });
      child.once('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') {
          reject(new Error(`influxd not found (${binary}). Install it: ${INFLUXD_INSTALL_HINT} — or set INFLUX_URL to an existing InfluxDB.`));
        } else reject(err);
      });
      child.once('spawn', () => resolve(child));
    }, reject);
  });
}

export async function startInfluxd(options: StartInfluxdOptions): Promise<ManagedInfluxd> {
  const binary = options.binary ?? process.env.INFLUXD_BIN ?? 'influxd';
  await mkdir(options.dataDir, { recursive: true });
  let lastError: unknown;
  // Free ports are racy: retry a few times with new ones.
  for (let attempt = 0; attempt < 3; attempt++) {
    const httpPort = options.port ?? (await freePort());
    const rpcPort = await freePort();
    const configFile = join(options.dataDir, 'influxd.conf');
    await writeFile(configFile, configToml(options.dataDir, httpPort, rpcPort));
    const child = await spawnInfluxd(binary, configFile, options.logFile ?? join(options.dataDir, 'influxd.log'));
    const url = `http://127.0.0.1:${httpPort}`;
    try {
      await waitForPing(url, child, options.startTimeoutMs ?? 20_000);
    } catch (err) {
      lastError = err;
      child.kill('SIGKILL');
      if (options.port !== undefined) break;
      continue;
    }
    const stop = async (): Promise<void> => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    };
    return { url, dataDir: options.dataDir, pid: child.pid ?? -1, stop };
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}
