import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditEntriesRefusedError, type AuditEntry, type AuditQuery, type AuditStore } from './audit-entry.js';
import { AuditTrail, AuditUnavailableError, newAuditId } from './audit-trail.js';
import { auditEntry } from './testing.js';

const entry = auditEntry;

/** A store whose appends can be made to fail or to hang, recording each batch. */
class ScriptedStore implements AuditStore {
  readonly batches: AuditEntry[][] = [];
  failing = false;
  /** A batch holding an entry of this patient is refused as a whole, like a SQL statement. */
  refusesPatient: string | undefined;
  private gate: Promise<void> | undefined;
  private openGate: (() => void) | undefined;

  hang(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  release(): void {
    this.openGate?.();
    this.gate = undefined;
  }

  async append(entries: readonly AuditEntry[]): Promise<void> {
    if (this.gate) await this.gate;
    if (this.failing) throw new Error('database is down');
    if (entries.some((e) => e.patientId === this.refusesPatient)) throw new AuditEntriesRefusedError('refused (SQLSTATE 22P05)');
    this.batches.push([...entries]);
  }

  async query(_query: AuditQuery): Promise<AuditEntry[]> {
    return this.batches.flat();
  }

  get written(): AuditEntry[] {
    return this.batches.flat();
  }
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('AuditTrail', () => {
  it('resolves a commit only once its entry is in the store, and shares one append among concurrent commits', async () => {
    const store = new ScriptedStore();
    const trail = new AuditTrail(store, { flushEveryMs: 20 });
    let done = false;
    const first = trail.commit([entry(1)]).then(() => (done = true));
    await settle(1);
    expect(done).toBe(false);
    expect(store.written).toHaveLength(0);
    await Promise.all([first, trail.commit([entry(2)]), trail.commit([entry(3), entry(4)])]);
    expect(done).toBe(true);
    expect(store.batches.map((b) => b.length)).toEqual([4]);
    await trail.close();
  });

  it('writes at once when a full batch is waiting and never exceeds the batch size', async () => {
    const store = new ScriptedStore();
    const trail = new AuditTrail(store, { flushEveryMs: 10_000, maxBatch: 3 });
    await trail.commit([entry(1), entry(2), entry(3), entry(4), entry(5), entry(6)]);
    expect(store.batches.map((b) => b.length)).toEqual([3, 3]);
    await trail.close();
  });

  it('refuses commits while the store fails, keeps the attempts marked as unserved, and writes them once it is back', async () => {
    const store = new ScriptedStore();
    store.failing = true;
    const trail = new AuditTrail(store, { flushEveryMs: 1, retryMaxMs: 20 });
    await expect(trail.commit([entry(1, 'p-a')])).rejects.toBeInstanceOf(AuditUnavailableError);
    expect(trail.unhealthy).toBe(true);
    // While unhealthy, further commits fail fast rather than keep a reader waiting.
    await expect(trail.commit([entry(2, 'p-b')])).rejects.toThrow(/failing/);
    expect(trail.enqueue([{ ...entry(3, 'p-c'), outcome: 'not_found', status: 404 }])).toBe(true);
    store.failing = false;
    await settle(100);
    expect(trail.unhealthy).toBe(false);
    expect(store.written.map((e) => [e.patientId, e.outcome, e.status])).toEqual([
      ['p-a', 'failed', 503],
      ['p-b', 'failed', 503],
      ['p-c', 'not_found', 404],
    ]);
    await trail.close();
  });

  it('gives up waiting after the commit timeout; an entry still queued is written later as unserved', async () => {
    const store = new ScriptedStore();
    store.hang();
    const trail = new AuditTrail(store, { flushEveryMs: 1, commitTimeoutMs: 30 });
    const inFlight = trail.commit([entry(1, 'p-a')]);
    await settle(5);
    const queuedBehind = trail.commit([entry(2, 'p-b')]);
    await expect(inFlight).rejects.toThrow(/within 30 ms/);
    await expect(queuedBehind).rejects.toBeInstanceOf(AuditUnavailableError);
    store.release();
    await trail.close();
    // The first was already being written (recorded as served-then-timed-out); the second was still queued.
    expect(store.written.map((e) => [e.patientId, e.outcome])).toEqual([
      ['p-a', 'allowed'],
      ['p-b', 'failed'],
    ]);
  });

  it('refuses new entries when the buffer is full and counts what it dropped', async () => {
    const store = new ScriptedStore();
    store.hang();
    const trail = new AuditTrail(store, { flushEveryMs: 1, maxPending: 2, commitTimeoutMs: 1_000 });
    const first = trail.commit([entry(1), entry(2)]);
    await expect(trail.commit([entry(3), entry(4), entry(5)])).rejects.toThrow(/buffer is full/);
    expect(trail.enqueue([entry(6), entry(7), entry(8)])).toBe(false);
    expect(trail.stats.dropped).toBe(6);
    store.release();
    await first;
    await trail.close();
    expect(store.written).toHaveLength(2);
  });

  it('writes what is still queued on close and refuses entries after it', async () => {
    const store = new ScriptedStore();
    const trail = new AuditTrail(store, { flushEveryMs: 60_000 });
    trail.enqueue([entry(1), entry(2)]);
    await trail.close();
    expect(store.written).toHaveLength(2);
    await expect(trail.commit([entry(3)])).rejects.toThrow(/closed/);
    expect(trail.enqueue([entry(4)])).toBe(false);
  });

  it('writes the rest of a batch the store refuses, dead-letters the refused entry, and keeps going', async () => {
    const store = new ScriptedStore();
    store.refusesPatient = 'p-bad';
    const warnings: object[] = [];
    const log = { warn: (obj: object) => warnings.push(obj), error: () => undefined };
    const trail = new AuditTrail(store, { flushEveryMs: 5, log });
    const good = [entry(1, 'p-1'), entry(2, 'p-2'), entry(4, 'p-4'), entry(5, 'p-5'), entry(6, 'p-6')];
    const refused = { ...entry(3, 'p-bad'), outcome: 'invalid' as const, status: 400 };
    const reader = trail.commit(good.slice(0, 2));
    trail.enqueue([refused]);
    const laterReader = trail.commit(good.slice(2));
    await Promise.all([reader, laterReader]);
    expect(store.written.map((e) => e.patientId).sort()).toEqual(['p-1', 'p-2', 'p-4', 'p-5', 'p-6']);
    expect(trail.stats.deadLettered).toBe(1);
    expect(trail.deadLetters).toEqual([refused]);
    expect(trail.unhealthy).toBe(false);
    expect(JSON.stringify(warnings)).not.toContain('p-bad');
    // The log keeps taking entries afterwards.
    await trail.commit([entry(7, 'p-7')]);
    expect(store.written.map((e) => e.patientId)).toContain('p-7');
    await trail.close();
  });

  it('refuses the reader whose own entry is refused, and appends refused entries to the dead-letter file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'audit-dead-'));
    try {
      const store = new ScriptedStore();
      store.refusesPatient = 'p-bad';
      const path = join(dir, 'audit-dead-letter.jsonl');
      const trail = new AuditTrail(store, { flushEveryMs: 1, deadLetterPath: path });
      await expect(trail.commit([entry(1, 'p-1'), entry(2, 'p-bad')])).rejects.toBeInstanceOf(AuditUnavailableError);
      await trail.close();
      expect(store.written.map((e) => e.patientId)).toEqual(['p-1']);
      const lines = (await readFile(path, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as AuditEntry);
      expect(lines.map((e) => [e.patientId, e.outcome, e.status])).toEqual([['p-bad', 'failed', 503]]);
      expect(trail.deadLetters).toEqual([]);
      expect(trail.stats.deadLettered).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('makes ids that sort in the order they were made', () => {
    const ids = Array.from({ length: 50 }, () => newAuditId(1_000));
    expect([...ids].sort()).toEqual(ids);
  });
});
