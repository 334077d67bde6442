import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { InfluxError } from '../storage/influx-v1.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { waitFor } from '../../test/support/wait-for.js';
import { Drainer, type DrainObserver } from './drainer.js';
import { writeIsolatingRejected, type RejectedPoint } from './isolate-rejected.js';
import { Spool } from './spool.js';
import type { WriteErrorKind } from './write-errors.js';

const log = pino({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const line = (i: number) => `m,device=d v=${i} ${1_700_000_000_000 + i}`;
const badRequest = (why = 'unable to parse') => new InfluxError(`InfluxDB write failed with HTTP 400: ${why}`, 400, false);

/** A stand-in for InfluxDB: stores lines, refuses bodies with a "bad" point (400), or is "down". */
class FakeInflux {
  readonly stored = new Set<string>();
  readonly bodies: string[] = [];
  down: InfluxError | undefined;
  write = async (sent: string | Buffer): Promise<void> => {
    const body = sent.toString();
    this.bodies.push(body);
    await new Promise((r) => setImmediate(r));
    if (this.down) throw this.down;
    const lines = body.split('\n');
    for (const l of lines) if (!l.includes('bad')) this.stored.add(l);
    if (lines.some((l) => l.includes('bad'))) throw badRequest(`unable to parse '${lines.find((l) => l.includes('bad'))}': invalid field format`);
  };
}

async function setup(fake: FakeInflux, deadLetters: RejectedPoint[] = [], errors: WriteErrorKind[] = []) {
  const dir = await tempDir('drainer');
  const spool = await Spool.open({ dir: dir.path, log });
  const observer: DrainObserver = { written: (_s, _p, e) => void (e && errors.push(e)), batchDone: () => undefined };
  const drainer = new Drainer({
    spool,
    write: fake.write,
    deadLetter: async (points) => void deadLetters.push(...points),
    log,
    observer,
    maxBatchPoints: 50,
    backoff: { baseMs: 5, maxMs: 20 },
  });
  cleanups.push(async () => {
    await drainer.stop(0);
    await spool.close();
    await dir.remove();
  });
  return { spool, drainer };
}

describe('writeIsolatingRejected (bisection)', () => {
  it('finds the one bad point among many and writes all the others', async () => {
    const fake = new FakeInflux();
    const lines = Array.from({ length: 64 }, (_, i) => (i === 37 ? `bad point ${i}` : line(i)));
    const rejected = await writeIsolatingRejected(lines, fake.write);
    expect(rejected.map((r) => r.line)).toEqual(['bad point 37']);
    expect(rejected[0]).toMatchObject({ status: 400 });
    // The reason must not quote the point (it carries the patient tag).
    expect(rejected[0]!.reason).not.toContain('bad point');
    expect(rejected[0]!.reason).toContain('invalid field format');
    expect(fake.stored.size).toBe(63);
    // 1 + 2 per level of a 64-point bisection (log2 64 = 6).
    expect(fake.bodies.length).toBe(1 + 2 * 6);
  });

  it('finds several bad points', async () => {
    const fake = new FakeInflux();
    const lines = Array.from({ length: 10 }, (_, i) => (i % 4 === 0 ? `bad ${i}` : line(i)));
    const rejected = await writeIsolatingRejected(lines, fake.write);
    expect(rejected.map((r) => r.line)).toEqual(['bad 0', 'bad 4', 'bad 8']);
    expect(fake.stored.size).toBe(7);
  });

  it('gives up on the batch (throws) when InfluxDB goes down midway, so it is retried whole', async () => {
    const fake = new FakeInflux();
    let calls = 0;
    const write = async (body: string) => {
      if (++calls > 1) throw new InfluxError('InfluxDB unreachable', undefined, true);
      await fake.write(body);
    };
    await expect(writeIsolatingRejected([line(1), 'bad', line(2)], write)).rejects.toThrow(/unreachable/);
  });
});

describe('drainer', () => {
  it('drains appended points to InfluxDB in order and confirms them', async () => {
    const fake = new FakeInflux();
    const { spool } = await setup(fake);
    for (let i = 0; i < 200; i++) await spool.append([line(i)]);
    await waitFor('spool drained', () => (spool.drained ? true : undefined));
    expect(fake.stored.size).toBe(200);
    expect(spool.stats().pendingPoints).toBe(0);
    // Batches respect the size limit.
    expect(Math.max(...fake.bodies.map((b) => b.split('\n').length))).toBeLessThanOrEqual(50);
  });

  it('keeps points while InfluxDB is down, retries with backoff, and drains when it returns', async () => {
    const fake = new FakeInflux();
    const errors: WriteErrorKind[] = [];
    const { spool, drainer } = await setup(fake, [], errors);
    fake.down = new InfluxError('InfluxDB unreachable at http://127.0.0.1:1 (ECONNREFUSED)', undefined, true);
    for (let i = 0; i < 30; i++) await spool.append([line(i)]);
    await waitFor('a few failed attempts', () => (errors.length >= 3 ? true : undefined));
    expect(drainer.state()).toMatchObject({ influxReachable: false, lastError: 'unreachable' });
    expect(spool.stats().pendingPoints).toBe(30);
    expect(fake.stored.size).toBe(0);

    fake.down = undefined;
    await waitFor('spool drained', () => (spool.drained ? true : undefined));
    expect(fake.stored.size).toBe(30);
    expect(drainer.state().influxReachable).toBe(true);
  });

  it('moves a point InfluxDB refuses (400) to the dead letters and goes on with the rest', async () => {
    const fake = new FakeInflux();
    const deadLetters: RejectedPoint[] = [];
    const { spool } = await setup(fake, deadLetters);
    await spool.append([line(1), line(2)]);
    await spool.append(['bad,device=d v=oops 1']);
    await spool.append([line(3)]);
    await waitFor('spool drained', () => (spool.drained ? true : undefined));
    expect(deadLetters.map((d) => d.line)).toEqual(['bad,device=d v=oops 1']);
    expect([...fake.stored].sort()).toEqual([line(1), line(2), line(3)].sort());
    expect(spool.stats().pendingPoints).toBe(0);
  });

  it('does not dead-letter anything on errors that are not the points\' fault (401, 404, 5xx)', async () => {
    const fake = new FakeInflux();
    const deadLetters: RejectedPoint[] = [];
    const { spool } = await setup(fake, deadLetters);
    fake.down = new InfluxError('InfluxDB write failed with HTTP 401: authorization failed', 401, false);
    await spool.append([line(1)]);
    await waitFor('attempts', () => (fake.bodies.length >= 3 ? true : undefined));
    fake.down = new InfluxError('InfluxDB write failed with HTTP 404: database not found', 404, false);
    await waitFor('attempts', () => (fake.bodies.length >= 5 ? true : undefined));
    fake.down = undefined;
    await waitFor('spool drained', () => (spool.drained ? true : undefined));
    expect(deadLetters).toEqual([]);
    expect(fake.stored.has(line(1))).toBe(true);
  });
});
