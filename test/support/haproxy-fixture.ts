/**
 * HAProxy for the cluster tests, configured from the shipped docs/deploy/haproxy.cfg: the same
 * frontends, timeouts and health checks, with the `bind` ports moved to free loopback ports and the
 * `server` lines of each backend replaced by one line per hub under test. So the tests exercise the
 * configuration operators install.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../scripts/lib/free-port.js';
import { waitFor } from './wait-for.js';

const TEMPLATE = fileURLToPath(new URL('../../docs/deploy/haproxy.cfg', import.meta.url));

export interface HubBackend {
  readonly name: string;
  readonly mqttPort: number;
  readonly apiPort: number;
  /** The hub's ops listener (/readyz), the health check. */
  readonly opsPort: number;
}

export interface HaproxyConfig {
  readonly mqttPort: number;
  readonly apiPort: number;
  readonly statsPort: number;
  readonly hubs: readonly HubBackend[];
}

/** The shipped template with its ports and servers replaced (pure, so the rewrite itself is testable). */
export function haproxyConfigFrom(template: string, config: HaproxyConfig): string {
  const out: string[] = [];
  let backend: 'mqtt' | 'api' | undefined;
  let emitted = false;
  for (const line of template.split('\n')) {
    const trimmed = line.trim();
    if (/^(backend|frontend|global|defaults)\b/.test(trimmed)) {
      backend = trimmed === 'backend hubs_mqtt' ? 'mqtt' : trimmed === 'backend hubs_api' ? 'api' : undefined;
      emitted = false;
    }
    // This machine's file-descriptor limit is far below production's: scale maxconn to it.
    if (trimmed.startsWith('maxconn ')) out.push(`    maxconn ${backend === undefined && out.some((l) => l.trim() === 'frontend mqtt') ? 8000 : 9000}`);
    else if (trimmed === 'bind :1883') out.push(`    bind 127.0.0.1:${config.mqttPort}`);
    else if (trimmed === 'bind :8080') out.push(`    bind 127.0.0.1:${config.apiPort}`);
    else if (trimmed === 'bind 127.0.0.1:8404') out.push(`    bind 127.0.0.1:${config.statsPort}`);
    else if (trimmed.startsWith('server ') && backend) {
      // The first server line of a backend stands for all of them.
      if (emitted) continue;
      emitted = true;
      for (const hub of config.hubs) {
        out.push(`    server ${hub.name} 127.0.0.1:${backend === 'mqtt' ? hub.mqttPort : hub.apiPort} check port ${hub.opsPort}`);
      }
    } else out.push(line);
  }
  const text = out.join('\n');
  for (const required of [`127.0.0.1:${config.mqttPort}`, `127.0.0.1:${config.apiPort}`, 'backend hubs_mqtt', 'backend hubs_api']) {
    if (!text.includes(required)) throw new Error(`docs/deploy/haproxy.cfg changed shape: the test rewrite found no ${required}`);
  }
  return text;
}

export interface RunningHaproxy {
  readonly mqttPort: number;
  readonly apiPort: number;
  readonly statsUrl: string;
  /** Server name → HAProxy's status (UP, DOWN, …) in the MQTT backend. */
  mqttServerStatus(): Promise<Map<string, string>>;
  /** Waits until HAProxy's health checks see exactly these servers UP in both backends. */
  waitForUp(names: readonly string[], timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startHaproxy(dir: string, hubs: readonly HubBackend[]): Promise<RunningHaproxy> {
  const config: HaproxyConfig = { mqttPort: await freePort(), apiPort: await freePort(), statsPort: await freePort(), hubs };
  const cfgFile = join(dir, 'haproxy.cfg');
  await writeFile(cfgFile, haproxyConfigFrom(await readFile(TEMPLATE, 'utf8'), config));
  const logFd = openSync(join(dir, 'haproxy.log'), 'a');
  // -db: stay in the foreground; -W: master-worker, so SIGTERM stops the workers too.
  const child: ChildProcess = spawn('haproxy', ['-db', '-W', '-f', cfgFile], { stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (err) => reject(new Error(`cannot start haproxy: ${err.message}. Install it: apt-get install -y haproxy`, { cause: err })));
  });
  const statsUrl = `http://127.0.0.1:${config.statsPort}/stats`;
  const status = async (backend: string): Promise<Map<string, string>> => {
    const csv = await (await fetch(`${statsUrl};csv`)).text();
    const rows = new Map<string, string>();
    for (const row of csv.split('\n')) {
      const cols = row.split(',');
      if (cols[0] === backend && cols[1] !== 'BACKEND' && cols[1]) rows.set(cols[1], cols[17] ?? '');
    }
    return rows;
  };
  await waitFor('haproxy stats page', async () => ((await status('hubs_mqtt').catch(() => new Map())).size === hubs.length ? true : undefined), 10_000);
  return {
    mqttPort: config.mqttPort,
    apiPort: config.apiPort,
    statsUrl,
    mqttServerStatus: () => status('hubs_mqtt'),
    async waitForUp(names, timeoutMs = 15_000) {
      const want = [...names].sort().join(',');
      const upIn = async (backend: string) =>
        [...(await status(backend))]
          .filter(([, s]) => s.startsWith('UP'))
          .map(([n]) => n)
          .sort()
          .join(',');
      await waitFor(`haproxy sees ${want} up`, async () => ((await upIn('hubs_mqtt')) === want && (await upIn('hubs_api')) === want ? true : undefined), timeoutMs);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
