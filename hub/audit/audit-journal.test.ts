import { appendFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditEntriesRefusedError, type AuditEntry, type AuditQuery, type AuditStore } from './audit-entry.js';
import { AuditJournal } from './audit-journal.js';
import { AuditTrail } from './audit-trail.js';
import { MemoryAuditStore } from './memory-audit-store.js';
import { auditEntry } from './testing.js';

const entry = auditEntry;

/** A memory store that can be down, or refuse one patient's entries as SQL refuses a batch. */
class SwitchableStore implements AuditStore {
  readonly inner = new MemoryAuditStore();
  down = false;
  refusesPatient: string | undefined;
  appends = 0;

  async append(entries: readonly AuditEntry[]): Promise<void> {
    if (this.down) throw new Error('connect ECONNREFUSED');
    if (entries.some((e) => e.patientId === this.refusesPatient)) throw new AuditEntriesRefusedError('refused (SQLSTATE 22P05)');
    this.appends += 1;
    await this.inner.append(entries);
  }

  query(query: AuditQuery): Promise<AuditEntry[]> {
    return this.inner.query(query);
  }

  requestIds(): string[] {
    return this.inner.all().map((e) => e.requestId);
  }
}

const quiet = { warn: () => undefined, error: () => undefined };

async function waitUntil(what: string, check: () => boolean, ms = 3_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const segments = async (dir: string) => (await readdir(dir)).filter((n) => n.endsWith('.jnl')).sort();

describe('AuditTrail with a journal', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'audit-journal-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('answers reads while the store is down, and a later process writes every entry exactly once', async () => {
    const store = new SwitchableStore();
    store.down = true;
    const trail = new AuditTrail(store, { flushEveryMs: 1, retryMaxMs: 20, journal: await AuditJournal.open(dir), log: quiet });
    const entries = Array.from({ length: 30 }, (_, i) => entry(i));
    await Promise.all(entries.map((e) => trail.commit([e])));
    expect(trail.journalBacklog.entries).toBe(30);
    // The process ends without the store having come back (a clean close here; kill -9 is tested end to end).
    await trail.close();
    expect(store.requestIds()).toEqual([]);
    expect((await segments(dir)).length).toBeGreaterThan(0);

    store.down = false;
    const next = new AuditTrail(store, { flushEveryMs: 1, journal: await AuditJournal.open(dir), log: quiet });
    await waitUntil('the left entries in the store', () => store.requestIds().length === 30);
    await next.commit([entry(99)]);
    await waitUntil('an empty backlog', () => next.journalBacklog.entries === 0);
    await next.close();
    expect(store.requestIds().sort()).toEqual([...entries.map((e) => e.requestId), 'req-99'].sort());
    // Everything settled: the journal's files are gone.
    expect(await segments(dir)).toEqual([]);
  });

  it('replays, without duplicating, entries the store already holds when the process died before truncating', async () => {
    const store = new SwitchableStore();
    const entries = [entry(1), entry(2), entry(3)];
    // A process journals the entries and writes them to the store, then dies before settling them
    // (the journal is never closed: its segment stays as it was).
    const dead = await AuditJournal.open(dir);
    await dead.append(entries);
    await store.append(entries);
    const second = new AuditTrail(store, { flushEveryMs: 1, journal: await AuditJournal.open(dir), log: quiet });
    await waitUntil('the replay written', () => store.appends === 2);
    await waitUntil('the replay settled', () => second.journalBacklog.entries === 0 && second.pending === 0);
    await second.close();
    expect(store.requestIds()).toEqual(['req-1', 'req-2', 'req-3']);
    expect(await segments(dir)).toEqual([]);
  });

  it('reads back the entries before a torn tail (a crash in the middle of a write)', async () => {
    const journal = await AuditJournal.open(dir);
    await journal.append([entry(1)]);
    await journal.append([entry(2)]);
    const [name] = await segments(dir);
    // Half a record's header: what a kill in the middle of a write can leave.
    await appendFile(join(dir, name!), Buffer.from([0x40, 0, 0, 0, 1, 0, 0, 0, 9, 9]));
    const store = new SwitchableStore();
    const trail = new AuditTrail(store, { flushEveryMs: 1, journal: await AuditJournal.open(dir), log: quiet });
    await waitUntil('two entries', () => store.requestIds().length === 2);
    await trail.close();
    expect(store.requestIds()).toEqual(['req-1', 'req-2']);
  });

  it('keeps in the journal what does not fit in memory and writes it once the store is back', async () => {
    const store = new SwitchableStore();
    store.down = true;
    const trail = new AuditTrail(store, { flushEveryMs: 1, retryMaxMs: 10, maxPending: 5, journal: await AuditJournal.open(dir, { segmentBytes: 2_000 }), log: quiet });
    const entries = Array.from({ length: 60 }, (_, i) => entry(i));
    for (const e of entries) await trail.commit([e]);
    expect(trail.pending).toBeLessThanOrEqual(6);
    store.down = false;
    await waitUntil('all 60 in the store', () => store.requestIds().length === 60, 10_000);
    await waitUntil('an empty backlog', () => trail.journalBacklog.entries === 0 && trail.pending === 0);
    await trail.close();
    expect(new Set(store.requestIds()).size).toBe(60);
    expect(await segments(dir)).toEqual([]);
  });

  it('dead-letters a refused entry durably to the file and settles it; unwritable, the entry stays in the journal for the next start', async () => {
    const store = new SwitchableStore();
    store.refusesPatient = 'p-bad';
    const deadLetterPath = join(dir, 'dead.jsonl');
    const trail = new AuditTrail(store, { flushEveryMs: 1, deadLetterPath, journal: await AuditJournal.open(join(dir, 'j1')), log: quiet });
    // With a journal the read is served: the entry is durable before the store sees it.
    await trail.commit([entry(1, 'p-1'), entry(2, 'p-bad')]);
    await waitUntil('the dead letter', () => trail.stats.deadLettered === 1);
    await waitUntil('an empty backlog', () => trail.journalBacklog.entries === 0);
    await trail.close();
    const lines = (await readFile(deadLetterPath, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as AuditEntry);
    expect(lines.map((e) => [e.patientId, e.outcome, e.status])).toEqual([['p-bad', 'allowed', 200]]);
    expect(await segments(join(dir, 'j1'))).toEqual([]);

    // The dead-letter file cannot be written: the entry must not be settled (nor lost).
    const unwritable = join(dir, 'no-such-dir', 'dead.jsonl');
    const t2 = new AuditTrail(store, { flushEveryMs: 1, deadLetterPath: unwritable, journal: await AuditJournal.open(join(dir, 'j2')), log: quiet });
    await t2.commit([entry(3, 'p-bad')]);
    await waitUntil('the dead letter', () => t2.stats.deadLettered === 1);
    await t2.close();
    expect(t2.deadLetters.map((e) => e.requestId)).toEqual(['req-3']);
    expect((await segments(join(dir, 'j2'))).length).toBe(1);
    // Next start, with a writable file: offered again, refused again, now durably dead-lettered.
    const t3 = new AuditTrail(store, { flushEveryMs: 1, deadLetterPath, journal: await AuditJournal.open(join(dir, 'j2')), log: quiet });
    await waitUntil('the dead letter', () => t3.stats.deadLettered === 1);
    await t3.close();
    expect((await readFile(deadLetterPath, 'utf8')).trim().split('\n')).toHaveLength(2);
    expect(await segments(join(dir, 'j2'))).toEqual([]);
  });

  it('refuses reads once the journal holds more than its limit, and still journals the refused attempt', async () => {
    const store = new SwitchableStore();
    store.down = true;
    const trail = new AuditTrail(store, { flushEveryMs: 1, retryMaxMs: 10, maxJournalBytes: 1_000, journal: await AuditJournal.open(dir), log: quiet });
    let refusedAt = -1;
    for (let i = 0; i < 50 && refusedAt < 0; i++) {
      await trail.commit([entry(i)]).catch(() => (refusedAt = i));
    }
    expect(refusedAt).toBeGreaterThan(0);
    store.down = false;
    await waitUntil('every attempt in the store', () => store.requestIds().length === refusedAt + 1, 5_000);
    await trail.close();
    const refused = store.inner.all().find((e) => e.requestId === `req-${refusedAt}`);
    expect([refused?.outcome, refused?.status]).toEqual(['failed', 503]);
  });
});
