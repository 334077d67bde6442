/**
 * Starts, stops and restarts a private redis-server (Debian package `redis-server`) on a free
 * loopback port with its own directory, for the cluster tests and benchmarks. Production points
 * HUB_REDIS_URL at the organisation's Redis instead.
 *
 * Append-only file on (fsync every second), so a restart keeps the broker's sessions, subscriptions
 * and retained messages as a production Redis configured like docs/deploy/cluster.md does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { freePort } from './free-port.js';

export const REDIS_INSTALL_HINT = 'apt-get install -y redis-server   (Debian/Ubuntu package)';

export interface ManagedRedis {
  /** redis://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  pid(): number;
  /** SIGTERM (Redis writes its AOF and exits). */
  stop(): Promise<void>;
  /** SIGKILL: as a crashed or power-cut Redis. */
  kill9(): Promise<void>;
  /** Starts it again on the same port and directory (after stop or kill9). */
  start(): Promise<void>;
}

export interface StartRedisOptions {
  /** Directory for the AOF and the log. */
  readonly dir: string;
  readonly binary?: string;
  readonly port?: number;
  readonly startTimeoutMs?: number;
}

/** Sends PING over a raw socket; true on +PONG. */
export function pingRedis(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (chunk) => done(chunk.toString('utf8').startsWith('+PONG')));
  });
}

export async function startRedis(options: StartRedisOptions): Promise<ManagedRedis> {
  await mkdir(options.dir, { recursive: true });
  const binary = options.binary ?? 'redis-server';
  const port = options.port ?? (await freePort());
  const logFile = join(options.dir, 'redis.log');
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    const logFd = openSync(logFile, 'a');
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', options.dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec', '--protected-mode', 'no', '--daemonize', 'no'];
    const started = spawn(binary, args, { stdio: ['ignore', logFd, logFd] });
    closeSync(logFd);
    await new Promise<void>((resolve, reject) => {
      started.once('spawn', resolve);
      started.once('error', (err) => reject(new Error(`cannot start ${binary}: ${err.message}. Install it: ${REDIS_INSTALL_HINT}`, { cause: err })));
    });
    child = started;
    const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
    while (Date.now() < deadline) {
      if (started.exitCode !== null) throw new Error(`redis-server exited with code ${started.exitCode} during start-up; see ${logFile}`);
      if (await pingRedis(port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    started.kill('SIGKILL');
    throw new Error(`redis-server did not answer PING on port ${port}; see ${logFile}`);
  };

  const signal = async (sig: NodeJS.Signals): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill(sig);
    await exited;
  };

  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: () => child?.pid ?? -1,
    stop: () => signal('SIGTERM'),
    kill9: () => signal('SIGKILL'),
    start: launch,
  };
}
