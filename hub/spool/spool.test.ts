import { appendFile, readdir, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-dir.js';
import { encodeRecord } from './record-codec.js';
import { segmentName } from './segment-files.js';
import { Spool, SpoolFullError, type SpoolBatch, type SpoolOptions } from './spool.js';

const log = pino({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function spoolDir(): Promise<string> {
  const dir = await tempDir('spool');
  cleanups.push(dir.remove);
  return dir.path;
}

async function openSpool(dir: string, options: Partial<SpoolOptions> = {}): Promise<Spool> {
  return Spool.open({ dir, log, ...options });
}

/** Hands out and confirms every batch; returns the points in order. */
async function drainAll(spool: Spool, maxPoints = 1000, confirm = true): Promise<string[]> {
  const points: string[] = [];
  let batch: SpoolBatch | undefined;
  while ((batch = await spool.nextBatch(maxPoints))) {
    if (batch.payload.length > 0) points.push(...batch.payload.toString('utf8').split('\n'));
    if (confirm) spool.confirm(batch.end, batch.points);
  }
  return points;
}

const line = (i: number) => `m,device=d${i % 3} v=${i} ${1_700_000_000_000 + i}`;

describe('spool', () => {
  it('keeps appended points across a reopen, in order, until confirmed', async () => {
    const dir = await spoolDir();
    const spool = await openSpool(dir);
    await spool.append([line(1), line(2)]);
    await spool.append([line(3)]);
    expect(spool.stats().pendingPoints).toBe(3);
    await spool.close();

    const reopened = await openSpool(dir);
    expect(reopened.stats().pendingPoints).toBe(3);
    expect(await drainAll(reopened)).toEqual([line(1), line(2), line(3)]);
    expect(reopened.stats().pendingPoints).toBe(0);
    expect(reopened.drained).toBe(true);
    await reopened.close();
  });

  it('cuts a torn tail left by a crash mid-write, and appends after the last complete record', async () => {
    const dir = await spoolDir();
    const spool = await openSpool(dir);
    await spool.append([line(1)]);
    await spool.append([line(2)]);
    // Simulate kill -9 during the next write: half a record reached the file. No close().
    const torn = encodeRecord(line(3), 1, Date.now());
    const segment = join(dir, segmentName(0));
    const goodSize = (await stat(segment)).size;
    await appendFile(segment, torn.subarray(0, torn.length - 7));

    const reopened = await openSpool(dir);
    expect((await stat(segment)).size).toBe(goodSize);
    await reopened.append([line(4)]);
    expect(await drainAll(reopened)).toEqual([line(1), line(2), line(4)]);
    await reopened.close();
    await spool.close();
  });

  it('treats a tail of zeros (file extended but data not written) as torn', async () => {
    const dir = await spoolDir();
    const spool = await openSpool(dir);
    await spool.append([line(1)]);
    const segment = join(dir, segmentName(0));
    const size = (await stat(segment)).size;
    await truncate(segment, size + 4096);

    const reopened = await openSpool(dir);
    expect((await stat(segment)).size).toBe(size);
    expect(await drainAll(reopened)).toEqual([line(1)]);
    await reopened.close();
    await spool.close();
  });

  it('group-commits: appends that arrive during a write + fsync share the next one', async () => {
    const dir = await spoolDir();
    const spool = await openSpool(dir);
    // The first append starts a write at once; the other 99 arrive while it is under way.
    await Promise.all(Array.from({ length: 100 }, (_, i) => spool.append([line(i)])));
    expect(spool.stats().appends).toBe(100);
    expect(spool.stats().commits).toBe(2);
    expect(await drainAll(spool)).toEqual(Array.from({ length: 100 }, (_, i) => line(i)));
    await spool.close();
  });

  it('persists the confirmed offset: after a reopen only unconfirmed points come back', async () => {
    const dir = await spoolDir();
    const spool = await openSpool(dir);
    for (let i = 0; i < 5; i++) await spool.append([line(i)]);
    const first = await spool.nextBatch(3);
    expect(first?.points).toBe(3);
    spool.confirm(first!.end, first!.points);
    await spool.persistCheckpoint();
    // Handed out but never confirmed: must come back after a crash.
    await spool.nextBatch(10);

    const reopened = await openSpool(dir);
    expect(reopened.stats().pendingPoints).toBe(2);
    expect(await drainAll(reopened)).toEqual([line(3), line(4)]);
    await reopened.close();
    await spool.close();
  });

  it('deletes segments once everything in them is confirmed, never the active one', async () => {
    const dir = await spoolDir();
    const spool = await openSpool(dir, { segmentBytes: 256 });
    for (let i = 0; i < 20; i++) await spool.append([line(i)]);
    const segmentsBefore = (await readdir(dir)).filter((n) => n.endsWith('.seg')).length;
    expect(segmentsBefore).toBeGreaterThan(3);
    expect(await drainAll(spool)).toHaveLength(20);
    await spool.persistCheckpoint();
    expect((await readdir(dir)).filter((n) => n.endsWith('.seg'))).toHaveLength(1);
    await spool.append([line(99)]);
    await spool.close();

    const reopened = await openSpool(dir);
    expect(await drainAll(reopened)).toEqual([line(99)]);
    await reopened.close();
  });

  it('reads a backlog larger than its memory budget back from the segments, in order', async () => {
    const dir = await spoolDir();
    const spool = await openSpool(dir, { memoryBytes: 200, segmentBytes: 1000 });
    const expected: string[] = [];
    for (let i = 0; i < 60; i++) {
      const lines = [line(2 * i), line(2 * i + 1)];
      expected.push(...lines);
      await spool.append(lines);
      // Interleave partial drains so memory and disk reads alternate.
      if (i % 17 === 0) {
        const batch = await spool.nextBatch(3);
        if (batch) {
          spool.confirm(batch.end, batch.points);
          expected.splice(0, batch.points);
        }
      }
    }
    expect(await drainAll(spool, 7)).toEqual(expected);
    await spool.close();
  });

  it('reads back from disk a record larger than one read (a 1,000-reading message)', async () => {
    const dir = await spoolDir();
    const spool = await openSpool(dir, { memoryBytes: 0 });
    // 6,000 points of ~230 bytes: 1.4 MB, more than the reader's first 1 MiB read.
    const big = Array.from({ length: 6000 }, (_, i) => `m,device=big,pad=${'x'.repeat(200)} v=${i} ${1_700_000_000_000 + i}`);
    await spool.append([line(-1)]);
    await spool.append(big);
    await spool.close();
    const reopened = await openSpool(dir);
    const batch1 = await reopened.nextBatch(1);
    const batch2 = await reopened.nextBatch(10);
    expect(batch1?.payload.toString('utf8')).toBe(line(-1));
    // Whole records only: a record of 6,000 points comes whole even when asked for 10.
    expect(batch2?.points).toBe(6000);
    expect(batch2?.payload.toString('utf8').split('\n')).toEqual(big);
    await reopened.close();
  });

  it('counts the points not yet handed to the drainer', async () => {
    const spool = await openSpool(await spoolDir());
    await spool.append([line(1), line(2)]);
    await spool.append([line(3)]);
    expect(spool.unsentPoints).toBe(3);
    const batch = await spool.nextBatch(2);
    expect(spool.unsentPoints).toBe(1);
    spool.confirm(batch!.end, batch!.points);
    expect(spool.unsentPoints).toBe(1);
    expect(spool.stats().pendingPoints).toBe(1);
    await spool.close();
  });

  it('refuses appends once the backlog exceeds maxBytes, naming the setting', async () => {
    const dir = await spoolDir();
    const spool = await openSpool(dir, { maxBytes: 100 });
    await spool.append([line(1), line(2), line(3)]);
    await expect(spool.append([line(4)])).rejects.toThrow(SpoolFullError);
    await expect(spool.append([line(4)])).rejects.toThrow(/SPOOL_MAX_BYTES/);
    await drainAll(spool);
    await spool.append([line(5)]);
    await spool.close();
  });

  it('refuses a point that is not one line of line protocol', async () => {
    const spool = await openSpool(await spoolDir());
    await expect(spool.append(['m v=1 1\nm v=2 2'])).rejects.toThrow(/one non-empty line/);
    await spool.close();
  });

  it('reports the age of the oldest unconfirmed entry', async () => {
    let now = 1_000_000;
    const spool = await openSpool(await spoolDir(), { now: () => now });
    expect(spool.stats().oldestAgeSeconds).toBe(0);
    await spool.append([line(1)]);
    now += 4000;
    await spool.append([line(2)]);
    now += 1000;
    expect(spool.stats().oldestAgeSeconds).toBe(5);
    const batch = await spool.nextBatch(1);
    expect(spool.stats().oldestAgeSeconds).toBe(5);
    spool.confirm(batch!.end, batch!.points);
    expect(spool.stats().oldestAgeSeconds).toBe(1);
    await drainAll(spool);
    expect(spool.stats().oldestAgeSeconds).toBe(0);
    await spool.close();
  });
});
