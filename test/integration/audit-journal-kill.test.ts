/**
 * No answered request loses its audit entry, whatever happens to the process. The API runs as a
 * child (test/support/audit-api-entry.ts) with its audit log on a real PostgreSQL behind a TCP proxy
 * that stands for the network to the database. Clients keep reading a patient while:
 *
 *   1. the database is unreachable, and the API is killed with SIGKILL mid-run;
 *   2. the database is back, the next process replays what the first left, and it is killed again
 *      mid-run (entries committed to the store but not yet cut from the journal get replayed).
 *
 * After a last start, every request that got an answer has its entry in audit_log exactly once.
 * The kill moments are random; the seed is printed (rerun with KILL_SEED=<seed>).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../firmware-sim/physiology/random.js';
import { hashToken } from '../../hub/registry/secrets.js';
import { migrate } from '../../hub/sql/migrate.js';
import { PostgresDb } from '../../hub/sql/postgres-db.js';
import { freshInfluxDatabase, influxUrl } from '../setup/influx.js';
import { startPostgres } from '../../scripts/lib/postgres.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const ENTRY = fileURLToPath(new URL('../support/audit-api-entry.ts', import.meta.url));
const TOKEN = 'tok_audit-kill-clinician-0123456789abcdef0123456789abcdef';
const PATIENT = 'p-kill-1';

interface Child {
  readonly url: string;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

async function startChild(env: NodeJS.ProcessEnv, logFile: string): Promise<Child> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', ENTRY], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const match = /AUDIT_API_READY (\{.*\})\n/.exec(out);
      if (match?.[1]) resolve((JSON.parse(match[1]) as { url: string }).url);
    });
    child.once('exit', (code, signal) => reject(new Error(`audit API exited before it was ready (code ${code}, signal ${signal}): ${stderr}`)));
  });
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
    await writeFile(logFile, stderr, { flag: 'a' });
  };
  return { url, kill9: () => signal('SIGKILL'), stop: () => signal('SIGTERM') };
}

/** Readers that record the request id of every answered request until stopped (or the server dies). */
function readers(url: string, prefix: string, answered: Map<string, number>, count = 4) {
  let running = true;
  let n = 0;
  const loops = Array.from({ length: count }, async () => {
    while (running) {
      const requestId = `${prefix}-${n++}`;
      try {
        const res = await fetch(`${url}/api/v1/patients/${PATIENT}`, { headers: { authorization: `Bearer ${TOKEN}`, 'x-request-id': requestId } });
        await res.arrayBuffer();
        answered.set(requestId, res.status);
      } catch {
        return; // the server died: this request got no answer
      }
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
    done: () => Promise.all(loops),
  };
}

describe('audit journal across kill -9 while the audit store is unreachable', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  it('keeps every answered entry and stores each exactly once after restart', { timeout: 120_000 }, async () => {
    const seed = Number(process.env.KILL_SEED ?? Date.now() % 1_000_000);
    const random = seededRandom(seed);
    console.log(`audit-journal-kill: KILL_SEED=${seed}`);

    const dir = await tempDir('audit-kill');
    cleanups.push(dir.remove);
    // A private server even when DATABASE_URL is set: the proxy needs a loopback TCP address.
    const pgDir = await tempDir('audit-kill-pg');
    const pg = await startPostgres({ dir: pgDir.path });
    cleanups.push(pgDir.remove, () => pg.stop());
    const databaseUrl = pg.url;
    const direct = await PostgresDb.open({ connectionString: databaseUrl, max: 1 });
    cleanups.push(() => direct.close());
    await migrate(direct);
    const target = new URL(databaseUrl);
    const proxy = await startTcpProxy(Number(target.port));
    cleanups.push(() => proxy.close());
    const viaProxy = new URL(databaseUrl);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);

    const seedFile = join(dir.path, 'seed.json');
    await writeFile(
      seedFile,
      JSON.stringify({
        patients: [{ id: PATIENT, careTeamId: 'team-north', displayName: 'Test Resident K' }],
        tokens: [{ tokenHash: hashToken(TOKEN), userId: 'u-kill', role: 'clinician', careTeamIds: ['team-north'] }],
      }),
    );
    const influx = await freshInfluxDatabase('auditkill');
    const env = {
      AUDIT_DATA_DIR: join(dir.path, 'hub'),
      AUDIT_DATABASE_URL: viaProxy.toString(),
      AUDIT_SEED_FILE: seedFile,
      INFLUX_URL: influxUrl(),
      INFLUX_DATABASE: influx.database,
    };
    const logFile = join(dir.path, 'api.log');
    const answered = new Map<string, number>();

    // 1. The database goes away; the API keeps answering from its journal and is killed mid-run.
    let api = await startChild(env, logFile);
    cleanups.push(() => api.kill9());
    proxy.down();
    let load = readers(api.url, 'outage', answered);
    await waitFor('reads answered during the outage', () => (answered.size >= 150 + Math.floor(random() * 150) ? true : undefined), 30_000, 2);
    await api.kill9();
    await load.done();
    const duringOutage = [...answered.keys()];
    expect([...answered.values()].every((status) => status === 200)).toBe(true);
    const storedYet = await direct.query<{ n: string }>(`SELECT count(*) AS n FROM audit_log`);
    expect(Number(storedYet[0]!.n)).toBe(0); // the store really was unreachable

    // 2. The database is back: the next process replays the journal while serving, and is killed too.
    proxy.up();
    api = await startChild(env, logFile);
    load = readers(api.url, 'after', answered);
    await waitFor('more reads', () => (answered.size >= duringOutage.length + 100 + Math.floor(random() * 200) ? true : undefined), 30_000, 2);
    await api.kill9();
    await load.done();

    // 3. A last start writes whatever is left.
    api = await startChild(env, logFile);
    const ids = [...answered.keys()];
    await waitFor(
      'every answered request in audit_log',
      async () => {
        const rows = await direct.query<{ n: string }>(`SELECT count(DISTINCT request_id) AS n FROM audit_log WHERE request_id = ANY($1::text[])`, [ids]);
        return Number(rows[0]!.n) === ids.length ? true : undefined;
      },
      30_000,
      50,
    );
    await api.stop();
    const rows = await direct.query<{ request_id: string; n: string; outcome: string }>(
      `SELECT request_id, count(*) AS n, min(outcome) AS outcome FROM audit_log WHERE request_id = ANY($1::text[]) GROUP BY request_id`,
      [ids],
    );
    console.log(`audit-journal-kill: ${duringOutage.length} reads answered during the outage, ${ids.length} in all`);
    expect(rows).toHaveLength(ids.length);
    expect(rows.filter((r) => Number(r.n) !== 1)).toEqual([]);
    expect(rows.filter((r) => r.outcome !== 'allowed')).toEqual([]);
  });
});
