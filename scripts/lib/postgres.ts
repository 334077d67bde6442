/**
 * Starts and stops a private PostgreSQL server (Debian package `postgresql`) with its own data
 * directory on a free loopback port, for the contract tests of the SQL layer. Production points
 * DATABASE_URL at the organisation's server instead.
 *
 * PostgreSQL refuses to run as root ("root execution of the PostgreSQL server is not permitted"),
 * so under root initdb and postgres are spawned with the uid/gid of the `postgres` user (which the
 * Debian package creates), else of `nobody`, and the data directory is handed to that user.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync } from 'node:fs';
import { chown, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';

export const POSTGRES_INSTALL_HINT = 'apt-get install -y postgresql   (Debian/Ubuntu package; provides /usr/lib/postgresql/<version>/bin)';

export interface ManagedPostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres (trust authentication on loopback). */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Parent directory; the cluster goes into its data/ sub-directory, the server log beside it. */
  readonly dir: string;
  /** Directory with initdb and postgres; default: PG_BIN_DIR, else the newest /usr/lib/postgresql/N/bin, else PATH. */
  readonly binDir?: string;
  /** Tests: no fsync. Never for data that matters. */
  readonly durable?: boolean;
  readonly startTimeoutMs?: number;
}

export function findPostgresBinDir(): string {
  const fromEnv = process.env.PG_BIN_DIR;
  if (fromEnv) {
    if (!existsSync(join(fromEnv, 'postgres'))) throw new Error(`PG_BIN_DIR=${fromEnv} has no postgres binary`);
    return fromEnv;
  }
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'postgres')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  try {
    const initdb = execFileSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).trim();
    if (initdb) return initdb.slice(0, initdb.lastIndexOf('/'));
  } catch {
    // not on PATH either
  }
  throw new Error(`PostgreSQL server binaries (initdb, postgres) not found. Install them: ${POSTGRES_INSTALL_HINT} — or set DATABASE_URL to an existing server.`);
}

/** Whom to run as: ourselves, or under root the postgres user (else nobody). */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const user of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
      if (Number.isInteger(uid) && Number.isInteger(gid)) return { uid, gid };
    } catch {
      // no such user
    }
  }
  throw new Error('running as root, and neither a postgres nor a nobody user exists to run PostgreSQL as');
}

function run(binary: string, args: string[], as: { uid: number; gid: number } | undefined, logFd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', logFd, logFd], ...as });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${binary} ${args.join(' ')} exited with code ${code} (see the log)`))));
  });
}

async function waitForServer(url: string, child: ChildProcess, timeoutMs: number, logFile: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`postgres exited with code ${child.exitCode} during start-up; see ${logFile}`);
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (err) {
      lastError = (err as Error).message;
      await client.end().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`postgres did not accept connections at ${url} within ${timeoutMs} ms (${lastError}); see ${logFile}`);
}

export async function startPostgres(options: StartPostgresOptions): Promise<ManagedPostgres> {
  const binDir = options.binDir ?? findPostgresBinDir();
  const as = runAs();
  const dataDir = join(options.dir, 'data');
  const logFile = join(options.dir, 'postgres.log');
  await mkdir(options.dir, { recursive: true });
  if (as) await chown(options.dir, as.uid, as.gid);
  const logFd = openSync(logFile, 'a');
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    await run(join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'], as, logFd);
  }
  const speed = options.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
  let lastError: unknown;
  // Free ports are racy: retry a few times with new ones.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(
      join(binDir, 'postgres'),
      ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', ...speed],
      { stdio: ['ignore', logFd, logFd], ...as },
    );
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    try {
      await waitForServer(url, child, options.startTimeoutMs ?? 30_000, logFile);
    } catch (err) {
      lastError = err;
      child.kill('SIGKILL');
      continue;
    }
    const stop = async (): Promise<void> => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGINT'); // "fast shutdown": roll back open transactions, then stop
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      closeSync(logFd);
    };
    return { url, port, dataDir, pid: child.pid ?? -1, stop };
  }
  closeSync(logFd);
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}
