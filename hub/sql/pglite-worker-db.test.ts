import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freshPglite, freshPgliteDir, pgliteTemplate } from '../../test/support/sql-fixture.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { DirectoryLockedError, lockHolder } from './dir-lock.js';
import { PgliteDb } from './pglite-db.js';
import { PgliteWorkerDb } from './pglite-worker-db.js';
import { sqlErrorInfo, SQLSTATE, type SqlDb } from './sql-db.js';

/** Rejection value of a promise that must reject. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

describe('PgliteWorkerDb: PGlite in a worker thread', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  const worker = async (): Promise<PgliteWorkerDb> => {
    const db = await PgliteWorkerDb.open({ loadDataDir: await pgliteTemplate() });
    cleanups.push(() => db.close());
    return db;
  };
  const inProcess = async (): Promise<PgliteDb> => {
    const db = await freshPglite();
    cleanups.push(() => db.close());
    return db;
  };
  const dir = async () => {
    const d = await tempDir('pglite-worker');
    cleanups.push(d.remove);
    return d.path;
  };
  /** A fresh PGlite data directory and the lock file beside it, as the hub lays them out. */
  const dataDir = async () => {
    const base = await dir();
    const pgdata = join(base, 'pgdata');
    await freshPgliteDir(pgdata);
    return { base, pgdata, lockFile: join(base, 'hub.lock') };
  };

  it('returns the same rows and value types as PgliteDb for the same queries', async () => {
    const [threaded, local] = await Promise.all([worker(), inProcess()]);
    const literals = `SELECT 42::int4 AS i4, 9007199254740993::int8 AS i8, 12.50::numeric(6,2) AS num, 1.25::float8 AS f8,
      true AS b, 'x'::text AS t, ARRAY['a','b']::text[] AS ta, ARRAY[1,2]::int[] AS ia,
      '2026-03-01T08:30:00.123Z'::timestamptz AS tz, '2026-03-01 08:30:00'::timestamp AS ts, '2026-03-01'::date AS d,
      '{"a":[1,{"b":null}]}'::jsonb AS jb, '{"k":"v"}'::json AS js, '\\x0102ff'::bytea AS by,
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS u, NULL::text AS n, '1 day 02:00'::interval AS iv`;
    const bound = 'SELECT $1::timestamptz AS at, $2::int8 AS big, $3::bytea AS bytes, $4::jsonb AS doc, $5::text[] AS tags, $6::int AS none';
    const params = [new Date('2026-03-01T08:30:00.123Z'), 2n ** 60n, new Uint8Array([0, 1, 255]), { nested: { x: [1, 2], ok: true } }, ['copd', 'chf'], null];
    for (const [text, values] of [[literals, []], [bound, params]] as const) {
      const [fromWorker, fromLocal] = await Promise.all([threaded.query<Record<string, unknown>>(text, values), local.query<Record<string, unknown>>(text, values)]);
      expect(fromWorker).toEqual(fromLocal);
      const row = fromWorker[0]!;
      const localRow = fromLocal[0]!;
      for (const key of Object.keys(localRow)) {
        // toEqual alone would let a Date arrive as a string of the same instant; the class must match too.
        expect(Object.prototype.toString.call(row[key]), key).toBe(Object.prototype.toString.call(localRow[key]));
      }
    }
    const [typed] = await threaded.query<{ at: Date; big: bigint; bytes: Uint8Array; doc: unknown }>(bound, params);
    expect(typed?.at).toBeInstanceOf(Date);
    expect(typed?.big).toBe(2n ** 60n);
    expect(typed?.bytes).toEqual(new Uint8Array([0, 1, 255]));
    expect(typed?.doc).toEqual({ nested: { x: [1, 2], ok: true } });
  });

  it('a unique violation arrives with its SQLSTATE, constraint, detail and message as PgliteDb reports them', async () => {
    const [threaded, local] = await Promise.all([worker(), inProcess()]);
    for (const db of [threaded, local]) await db.exec('CREATE TABLE device (serial text CONSTRAINT device_serial_key UNIQUE); INSERT INTO device VALUES (\'sn-1\')');
    const [fromWorker, fromLocal] = await Promise.all([rejection(threaded.query("INSERT INTO device VALUES ('sn-1')")), rejection(local.query("INSERT INTO device VALUES ('sn-1')"))]);
    expect(sqlErrorInfo(fromWorker)).toEqual({ code: SQLSTATE.uniqueViolation, constraint: 'device_serial_key' });
    expect(fromWorker).toBeInstanceOf(Error);
    expect(fromWorker.message).toBe(fromLocal.message);
    expect(fromWorker.message).toBe('duplicate key value violates unique constraint "device_serial_key"');
    expect((fromWorker as Error & { detail?: string }).detail).toBe('Key (serial)=(sn-1) already exists.');
    expect(fromWorker.name).toBe(fromLocal.name);
    // The database stays usable after the error.
    expect(await threaded.query('SELECT count(*)::int AS n FROM device')).toEqual([{ n: 1 }]);
  });

  it('a transaction commits and returns its value; a nested transaction joins it', async () => {
    const db = await worker();
    await db.exec('CREATE TABLE a (x int PRIMARY KEY)');
    const value = await db.transaction(async (tx) => {
      await tx.query('INSERT INTO a VALUES ($1)', [1]);
      await tx.transaction((inner) => inner.query('INSERT INTO a VALUES ($1)', [2]));
      expect(await tx.query('SELECT count(*)::int AS n FROM a')).toEqual([{ n: 2 }]);
      return { done: true };
    });
    expect(value).toEqual({ done: true });
    expect(await db.query('SELECT x FROM a ORDER BY x')).toEqual([{ x: 1 }, { x: 2 }]);
  });

  it('a throw in the function rolls back everything, the nested part too, and rethrows the same error', async () => {
    const db = await worker();
    await db.exec('CREATE TABLE a (x int PRIMARY KEY)');
    const thrown = new Error('patient p-1 has no care team');
    const err = await rejection(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO a VALUES (1)');
        await tx.transaction((inner) => inner.exec('INSERT INTO a VALUES (2)'));
        throw thrown;
      }),
    );
    expect(err).toBe(thrown);
    expect(await db.query('SELECT count(*)::int AS n FROM a')).toEqual([{ n: 0 }]);
  });

  it('an SQL error inside a transaction rejects it with the SQLSTATE and leaves nothing behind', async () => {
    const db = await worker();
    await db.exec('CREATE TABLE a (x int PRIMARY KEY)');
    const err = await rejection(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO a VALUES (1)');
        await tx.query('INSERT INTO a VALUES (1)');
      }),
    );
    expect(sqlErrorInfo(err)).toEqual({ code: SQLSTATE.uniqueViolation, constraint: 'a_pkey' });
    expect(await db.query('SELECT count(*)::int AS n FROM a')).toEqual([{ n: 0 }]);
  });

  it('the transaction handle is refused once its transaction has ended', async () => {
    const db = await worker();
    let leaked: SqlDb | undefined;
    await db.transaction(async (tx) => {
      leaked = tx;
      await tx.query('SELECT 1');
    });
    expect((await rejection(leaked!.query('SELECT 1'))).message).toMatch(/^transaction \d+ has already ended/);
    expect((await rejection(leaked!.close())).message).toBe('close() is not available inside a transaction');
  });

  it('outer queries during a transaction wait for it and then see the committed rows', async () => {
    const db = await worker();
    await db.exec('CREATE TABLE a (x int)');
    let outerSettled = false;
    let outer: Promise<{ n: number }[]> | undefined;
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO a VALUES (1)');
      outer = db.query<{ n: number }>('SELECT count(*)::int AS n FROM a');
      void outer.then(() => (outerSettled = true));
      // Several round trips through the worker while the outer query is queued behind this transaction.
      for (let i = 2; i <= 5; i++) await tx.query('INSERT INTO a VALUES ($1)', [i]);
      expect(outerSettled).toBe(false);
    });
    expect(await outer).toEqual([{ n: 5 }]);
  });

  it('a parameter structured clone cannot carry is refused with a clear error; the database stays usable', async () => {
    const db = await worker();
    const err = await rejection(db.query('SELECT $1::text AS t', [() => 'not a value']));
    expect(err.message).toMatch(/^cannot send this query to the PGlite worker: /);
    expect(await db.query('SELECT $1::text AS t', ['fine'])).toEqual([{ t: 'fine' }]);
  });

  it('close() lets pending queries settle first, then refuses new calls', async () => {
    const db = await PgliteWorkerDb.open({ loadDataDir: await pgliteTemplate() });
    const pending = db.query<{ n: number }>('SELECT count(*)::int AS n FROM generate_series(1, 200000)');
    const closed = db.close();
    expect(await pending).toEqual([{ n: 200000 }]);
    await closed;
    expect((await rejection(db.query('SELECT 1'))).message).toBe('the PGlite database is closed');
    await db.close(); // twice is fine
  });

  it('a worker thread that dies rejects the pending call and every later one with a clear error', async () => {
    const db = await worker();
    const pending = db.query('SELECT count(*) FROM generate_series(1, 50000000)');
    await db.terminateWorkerForTests();
    const expected = /^the PGlite worker thread exited unexpectedly \(exit code \d+\); the embedded database is unavailable until a new thread has opened it$/;
    expect((await rejection(pending)).message).toMatch(expected);
    expect((await rejection(db.query('SELECT 1'))).message).toMatch(expected);
    expect((await rejection(db.transaction(async () => 'never'))).message).toMatch(expected);
  });

  it('replaces a worker thread that died: later calls reach a new thread, with the data and the lock kept', async () => {
    const { pgdata, lockFile } = await dataDir();
    const events: string[] = [];
    const db = await PgliteWorkerDb.open(
      { dataDir: pgdata, lockFile },
      { died: (err, delayMs) => events.push(`died after ${delayMs} ms: ${err.message}`), restarted: (attempts) => events.push(`restarted after ${attempts}`) },
    );
    cleanups.push(() => db.close());
    await db.exec('CREATE TABLE kept (x int); INSERT INTO kept VALUES (1), (2)');
    await db.terminateWorkerForTests();
    expect((await rejection(db.query('SELECT 1'))).message).toMatch(/exited unexpectedly/);
    // The new thread opens the same directory (PostgreSQL recovers it as after a crash) within seconds.
    const deadline = Date.now() + 20_000;
    let rows: unknown;
    while (rows === undefined && Date.now() < deadline) {
      rows = await db.query('SELECT x FROM kept ORDER BY x').catch(async () => {
        await new Promise((r) => setTimeout(r, 100));
        return undefined;
      });
    }
    expect(rows).toEqual([{ x: 1 }, { x: 2 }]);
    expect(events).toEqual([expect.stringMatching(/^died after 500 ms: the PGlite worker thread exited unexpectedly/), 'restarted after 1']);
    expect(await db.transaction(async (tx) => (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM kept'))[0]!.n)).toBe(2);
    // The process held the lock throughout, and close() still releases it.
    expect(await lockHolder(lockFile)).toBe(process.pid);
    await db.close();
    expect(await lockHolder(lockFile)).toBeUndefined();
  });

  it('closing while a dead thread waits for its replacement starts none and releases the lock', async () => {
    const { pgdata, lockFile } = await dataDir();
    let restarted = false;
    const db = await PgliteWorkerDb.open({ dataDir: pgdata, lockFile }, { restarted: () => (restarted = true) });
    await db.terminateWorkerForTests();
    await db.close();
    await new Promise((r) => setTimeout(r, 800)); // past the first restart delay
    expect(restarted).toBe(false);
    expect(await lockHolder(lockFile)).toBeUndefined();
  });

  it('holds the data directory lock: a second open fails as with PgliteDb, and close() releases it', async () => {
    const { pgdata, lockFile } = await dataDir();
    const db = await PgliteWorkerDb.open({ dataDir: pgdata, lockFile });
    await db.exec('CREATE TABLE a (x int); INSERT INTO a VALUES (7)');
    expect(await lockHolder(lockFile)).toBe(process.pid);
    for (const second of [() => PgliteWorkerDb.open({ dataDir: pgdata, lockFile }), () => PgliteDb.open({ dataDir: pgdata, lockFile })]) {
      const err = await rejection(second());
      expect(err).toBeInstanceOf(DirectoryLockedError); // hub-admin tells this case apart by class
      expect(err.message).toBe(`the PGlite data directory is in use by process ${process.pid} (lock ${lockFile})`);
    }
    await db.close();
    expect(await lockHolder(lockFile)).toBeUndefined();
    const again = await PgliteWorkerDb.open({ dataDir: pgdata, lockFile });
    expect(await again.query('SELECT x FROM a')).toEqual([{ x: 7 }]);
    await again.close();
  });

  /** Runs a script in a fresh `node --import tsx` process (killed after a generous 25 s: a hang shows as a kill). */
  async function runScript(base: string, source: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const script = join(base, `script-${Date.now()}.mts`); // .mts: an ES module (top-level await) outside the package
    const module = pathToFileURL(resolve('hub/sql/pglite-worker-db.ts')).href;
    await writeFile(script, `import { PgliteWorkerDb } from ${JSON.stringify(module)};\n${source}`);
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: resolve('.'), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((done) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        done(c);
      });
    });
    return { code, stdout, stderr };
  }

  it('a process that opens, queries and closes exits by itself with code 0 (the worker keeps nothing alive)', async () => {
    const { base, pgdata, lockFile } = await dataDir();
    const run = await runScript(
      base,
      `const db = await PgliteWorkerDb.open({ dataDir: ${JSON.stringify(pgdata)}, lockFile: ${JSON.stringify(lockFile)} });
const rows = await db.query('SELECT $1::int + 1 AS n', [41]);
await db.close();
process.stdout.write(JSON.stringify(rows));`,
    );
    // Exit code 13 would mean the process ended while an await on the worker was unsettled.
    expect(run).toEqual({ code: 0, stdout: JSON.stringify([{ n: 42 }]), stderr: '' });
    expect(await lockHolder(lockFile)).toBeUndefined();
  });

  it('a process whose open fails (directory locked) lives to report the error', async () => {
    const { base, pgdata, lockFile } = await dataDir();
    const holder = await PgliteWorkerDb.open({ dataDir: pgdata, lockFile });
    cleanups.push(() => holder.close());
    // No top-level await: nothing but the failing open keeps this process alive (as in rpm-hub admin).
    const run = await runScript(
      base,
      `PgliteWorkerDb.open({ dataDir: ${JSON.stringify(pgdata)}, lockFile: ${JSON.stringify(lockFile)} }).then(
  () => process.stdout.write('opened'),
  (err) => { process.stdout.write(err.name + ': ' + err.message); process.exitCode = 3; },
);`,
    );
    expect(run).toEqual({ code: 3, stdout: `DirectoryLockedError: the PGlite data directory is in use by process ${process.pid} (lock ${lockFile})`, stderr: '' });
  });
});
