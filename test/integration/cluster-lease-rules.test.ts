/**
 * SqlLease's rules on a real (PGlite) database: one holder at a time; a clean stop hands over at
 * the other's next try with the fencing token + 1; a holder that stops renewing (a dead process)
 * is replaced once its TTL ran out, and not before.
 */
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { SqlLease } from '../../hub/cluster/sql-lease.js';
import { freshPglite } from '../support/sql-fixture.js';

const log = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SqlLease', async () => {
  const db = await freshPglite();
  afterAll(() => db.close());

  it('has one holder at a time and hands over on stop and on expiry, raising the fencing token', { timeout: 20_000 }, async () => {
    const events: string[] = [];
    const a = new SqlLease({ db, name: 'engine', log, ttlMs: 3000, holderId: 'a', onAcquired: (t) => events.push(`a:${t}`), onLost: () => events.push('a:lost') });
    const b = new SqlLease({ db, name: 'engine', log, ttlMs: 3000, holderId: 'b', onAcquired: (t) => events.push(`b:${t}`) });
    await a.start();
    await b.start();
    expect([a.holds(), b.holds()]).toEqual([true, false]);
    await sleep(3500); // a renews every 1 s: still a's
    expect([a.holds(), b.holds()]).toEqual([true, false]);
    await a.stop();
    await sleep(1500); // b's next try (every 1 s) finds it released
    expect(b.holds()).toBe(true);
    expect(b.fencingToken).toBe(2);

    // b dies without a word: a third contender must wait for its TTL, then gets token 3.
    // (Its renewal timer is left to fire at most once more, as a dying process's last write might.)
    (b as unknown as { stopped: boolean }).stopped = true;
    const c = new SqlLease({ db, name: 'engine', log, ttlMs: 3000, holderId: 'c' });
    await c.start();
    expect(c.holds()).toBe(false);
    await sleep(5000);
    expect(c.holds()).toBe(true);
    expect(c.fencingToken).toBe(3);
    expect(b.holds()).toBe(false); // its own validity (0.8 × TTL) ran out before c could start
    await c.stop();
    expect(events).toEqual(['a:1', 'a:lost', 'b:2']);
  });
});
