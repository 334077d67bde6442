import { spawn } from 'node:child_process';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testReading } from '../../test/support/readings.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { FileOutbox, type OutboxDrop } from './outbox.js';

const dirs: { remove: () => Promise<void> }[] = [];
async function freshDir(): Promise<string> {
  const d = await tempDir('outbox');
  dirs.push(d);
  return d.path;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await d.remove();
});

const ids = (outbox: FileOutbox) => outbox.peek(1_000_000).map((e) => e.reading.id);

describe('FileOutbox', () => {
  it('appends, peeks oldest first, acks, and keeps exactly the unacknowledged entries across a reopen', async () => {
    const dir = await freshDir();
    const outbox = await FileOutbox.open({ dir });
    await outbox.append([testReading('a'), testReading('b')]);
    await outbox.append([testReading('c')]);
    expect(outbox.depth).toBe(3);
    const head = outbox.peek(2);
    expect(head.map((e) => e.reading.id)).toEqual(['a', 'b']);
    expect(head[0]!.reading).toEqual(testReading('a'));
    await outbox.ack([head[0]!.seq]);
    await outbox.ack([head[0]!.seq]); // a second PUBACK for the same entry changes nothing
    expect(ids(outbox)).toEqual(['b', 'c']);
    await outbox.close();

    const reopened = await FileOutbox.open({ dir });
    expect(ids(reopened)).toEqual(['b', 'c']);
    expect(reopened.oldestMeasuredAt()).toBe(testReading('b').measuredAt);
    // New sequence numbers never collide with the ones still pending.
    await reopened.append([testReading('d')]);
    const seqs = reopened.peek(10).map((e) => e.seq);
    expect(new Set(seqs).size).toBe(3);
    await reopened.close();
    await expect(reopened.append([testReading('e')])).rejects.toThrow('outbox is closed');
  });

  it('ignores a torn last line (power cut mid-write) and keeps everything before it', async () => {
    const dir = await freshDir();
    const outbox = await FileOutbox.open({ dir });
    await outbox.append([testReading('a'), testReading('b')]);
    await outbox.close();
    // Half a record, as a power cut during write(2) leaves it, with no newline.
    await appendFile(join(dir, 'outbox.log'), '{"t":"r","s":3,"r":{"id":"torn","kind":"blood_pre');

    const reopened = await FileOutbox.open({ dir });
    expect(ids(reopened)).toEqual(['a', 'b']);
    expect(reopened.stats.skippedLinesOnOpen).toBe(1);
    // The next append is not glued onto the torn line: it survives another reopen.
    await reopened.append([testReading('c')]);
    await reopened.close();
    const again = await FileOutbox.open({ dir });
    expect(ids(again)).toEqual(['a', 'b', 'c']);
    expect(again.stats.skippedLinesOnOpen).toBe(0);
    await again.close();
  });

  it('skips a damaged line in the middle of the log without losing the lines around it', async () => {
    const dir = await freshDir();
    const file = join(dir, 'outbox.log');
    const line = (seq: number, id: string) => JSON.stringify({ t: 'r', s: seq, r: testReading(id) });
    await writeFile(file, `${line(1, 'a')}\n{"t":"r","s":2,garbage\n${line(3, 'c')}\n{"t":"a","s":[1]}\n`);
    const outbox = await FileOutbox.open({ dir });
    expect(ids(outbox)).toEqual(['c']);
    expect(outbox.stats.skippedLinesOnOpen).toBe(1);
    await outbox.close();
  });

  it('compacts while appends and acks are in flight without losing or resurrecting an entry', async () => {
    const dir = await freshDir();
    const outbox = await FileOutbox.open({ dir, compactAfter: 20 });
    const expected = new Set<string>();
    const work: Promise<void>[] = [];
    for (let i = 0; i < 400; i++) {
      const id = `r${i}`;
      expected.add(id);
      work.push(outbox.append([testReading(id)]));
      if (i % 3 === 0) {
        // Ack the oldest pending entries while later appends are still queued.
        const head = outbox.peek(2);
        for (const e of head) expected.delete(e.reading.id);
        work.push(outbox.ack(head.map((e) => e.seq)));
      }
      // Let the writer run now and then, so compactions happen between groups still in flight.
      if (i % 10 === 9) await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all(work);
    expect(outbox.stats.compactions).toBeGreaterThan(3);
    expect(new Set(ids(outbox))).toEqual(expected);
    await outbox.close();

    const reopened = await FileOutbox.open({ dir });
    expect(new Set(ids(reopened))).toEqual(expected);
    // Compaction keeps the file small: only pending entries remain after a reopen.
    const lines = (await readFile(join(dir, 'outbox.log'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(expected.size);
    await reopened.close();
  });

  it('drops the oldest entries beyond its bound, reports what it dropped, and remembers the drop', async () => {
    const dir = await freshDir();
    const drops: OutboxDrop[] = [];
    const outbox = await FileOutbox.open({ dir, maxEntries: 3, onDrop: (d) => drops.push(d) });
    const at = (day: number) => new Date(Date.UTC(2026, 2, day, 8));
    await outbox.append([testReading('d1', at(1)), testReading('d2', at(2)), testReading('d3', at(3))]);
    expect(drops).toEqual([]);
    await outbox.append([testReading('d4', at(4)), testReading('d5', at(5))]);
    expect(drops).toEqual([{ count: 2, oldestMeasuredAt: at(1).toISOString(), newestMeasuredAt: at(2).toISOString() }]);
    expect(ids(outbox)).toEqual(['d3', 'd4', 'd5']);
    await outbox.close();
    const reopened = await FileOutbox.open({ dir, maxEntries: 3 });
    expect(ids(reopened)).toEqual(['d3', 'd4', 'd5']);
    await reopened.close();
  });

  it('keeps every append whose promise resolved when the process is killed with SIGKILL mid-stream', async () => {
    const dir = await freshDir();
    const logPath = join(dir, 'child.log');
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/outbox-append-child.ts', join(dir, 'outbox'), logPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const readLog = async () => (await readFile(logPath, 'utf8').catch(() => '')).split('\n');
    // Kill once plenty of appends and some compactions happened.
    for (let lines = await readLog(); lines.length < 1500; lines = await readLog()) {
      if (child.exitCode !== null) throw new Error(`child exited early: ${err}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const lines = (await readLog()).filter(Boolean);
    const acking = new Set(lines.filter((l) => l.startsWith('acking ')).map((l) => l.slice(7)));
    const stored = lines.filter((l) => l.startsWith('stored ')).map((l) => l.slice(7));
    expect(stored.length).toBeGreaterThan(1000);

    const reopened = await FileOutbox.open({ dir: join(dir, 'outbox') });
    const present = new Set(ids(reopened));
    // Acks are not fsynced: an acked entry may come back (a harmless re-send); an unacked one must be there.
    const missing = stored.filter((id) => !present.has(id) && !acking.has(id));
    expect(missing).toEqual([]);
    // Nothing appears that was never appended.
    const made = new Set(stored);
    expect([...present].filter((id) => !made.has(id)).length).toBeLessThanOrEqual(8); // appends in flight at the kill
    await reopened.close();
  });
});
