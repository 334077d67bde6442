import { describe, expect, it } from 'vitest';
import type { LatestVital, LatestVitalsSource } from './latest-vitals.js';
import { cachedLatestVitals } from './latest-vitals-cache.js';

const MIN = 60_000;

interface Stored {
  patient: string;
  kind: LatestVital['kind'];
  at: number;
  id: string;
}

/** A source over a list of readings that records what it was asked. */
function source(readings: Stored[]) {
  const calls: { ids: string[] | 'all'; since: number }[] = [];
  const answer = (ids: readonly string[], since: number) => {
    const out = new Map<string, LatestVital[]>();
    for (const id of ids) {
      const byKind = new Map<string, LatestVital>();
      for (const r of readings.filter((x) => x.patient === id && x.at >= since).sort((a, b) => a.at - b.at)) {
        byKind.set(r.kind, { kind: r.kind, readingId: r.id, measuredAt: new Date(r.at).toISOString(), components: [], implausible: false });
      }
      if (byKind.size > 0) out.set(id, [...byKind.values()]);
    }
    return out;
  };
  const reader: LatestVitalsSource = {
    async latest(ids, since) {
      calls.push({ ids: [...ids], since: since.getTime() });
      return answer(ids, since.getTime());
    },
    async latestOfAll(since) {
      calls.push({ ids: 'all', since: since.getTime() });
      return answer([...new Set(readings.map((r) => r.patient))], since.getTime());
    },
  };
  return { reader, calls, readings };
}

const ids = (m: Map<string, LatestVital[]>, patient: string) => m.get(patient)?.map((v) => v.readingId);

describe('latest vitals cache', () => {
  it('reads the whole window once, then serves from memory what the background sweep keeps up to date', async () => {
    let t = 1_000 * MIN;
    const src = source([
      { patient: 'p-1', kind: 'spo2', at: t - 100 * MIN, id: 's-old' },
      { patient: 'p-1', kind: 'heart_rate', at: t - 50 * MIN, id: 'hr-1' },
    ]);
    const cache = cachedLatestVitals(src.reader, { now: () => t, overlapMs: 60 * MIN, sweepMs: 10_000 });
    const since = new Date(t - 600 * MIN);
    expect(ids(await cache.latest(['p-1', 'p-2'], since), 'p-1')).toEqual(['hr-1', 's-old']);
    expect(src.calls).toEqual([{ ids: ['p-1', 'p-2'], since: since.getTime() }]);

    await cache.sweep();
    t += 10_000;
    src.readings.push({ patient: 'p-1', kind: 'spo2', at: t - 5_000, id: 's-new' });
    src.readings.push({ patient: 'p-2', kind: 'body_weight', at: t - 5_000, id: 'w-1' });
    await cache.sweep();
    expect(src.calls.slice(1)).toEqual([
      { ids: 'all', since: t - 10_000 - 60 * MIN },
      { ids: 'all', since: t - 10_000 - 60 * MIN },
    ]);
    const calls = src.calls.length;
    const answer = await cache.latest(['p-1', 'p-2'], since);
    expect(ids(answer, 'p-1')).toEqual(['hr-1', 's-new']);
    expect(ids(answer, 'p-2')).toEqual(['w-1']);
    // Served from memory: no query in the request.
    expect(src.calls).toHaveLength(calls);
  });

  it('catches up in the request when the sweep is not running', async () => {
    let t = 1_000 * MIN;
    const src = source([{ patient: 'p-1', kind: 'spo2', at: t - 10 * MIN, id: 's-1' }]);
    const cache = cachedLatestVitals(src.reader, { now: () => t, overlapMs: 15 * MIN });
    const since = new Date(t - 600 * MIN);
    await cache.latest(['p-1'], since);
    t += 2 * MIN;
    src.readings.push({ patient: 'p-1', kind: 'heart_rate', at: t - MIN, id: 'hr-1' });
    expect(ids(await cache.latest(['p-1'], since), 'p-1')).toEqual(['hr-1', 's-1']);
    expect(src.calls[1]).toEqual({ ids: ['p-1'], since: t - 2 * MIN - 15 * MIN });
  });

  it('picks up a reading that arrived too late for the overlap at the next full refresh, and reads fully for a longer window', async () => {
    let t = 1_000 * MIN;
    const src = source([{ patient: 'p-1', kind: 'spo2', at: t - 10 * MIN, id: 's-1' }]);
    const cache = cachedLatestVitals(src.reader, { now: () => t, overlapMs: 15 * MIN, fullRefreshMs: 5 * MIN });
    const since = new Date(t - 600 * MIN);
    await cache.latest(['p-1'], since);
    await cache.sweep();
    // A weight measured two hours ago arrives now (the gateway was offline): older than the overlap.
    src.readings.push({ patient: 'p-1', kind: 'body_weight', at: t - 120 * MIN, id: 'w-late' });
    t += MIN;
    await cache.sweep();
    expect(ids(await cache.latest(['p-1'], since), 'p-1')).toEqual(['s-1']);
    t += 5 * MIN;
    await cache.sweep();
    expect(ids(await cache.latest(['p-1'], since), 'p-1')).toEqual(['s-1', 'w-late']);
    const calls = src.calls.length;
    await cache.latest(['p-1'], new Date(t - 2000 * MIN));
    expect(src.calls[calls]).toEqual({ ids: ['p-1'], since: t - 2000 * MIN });
  });

  it('leaves out cached readings older than the window asked for', async () => {
    const t = 1_000 * MIN;
    const src = source([{ patient: 'p-1', kind: 'spo2', at: t - 100 * MIN, id: 's-1' }]);
    const cache = cachedLatestVitals(src.reader, { now: () => t });
    await cache.latest(['p-1'], new Date(t - 600 * MIN));
    expect((await cache.latest(['p-1'], new Date(t - 50 * MIN))).has('p-1')).toBe(false);
  });

  it('reports a failing sweep and keeps serving, catching up in requests once the sweep is stale', async () => {
    let t = 1_000 * MIN;
    const src = source([{ patient: 'p-1', kind: 'spo2', at: t - 10 * MIN, id: 's-1' }]);
    const errors: string[] = [];
    let failing = false;
    const flaky: LatestVitalsSource = {
      latest: (i, s) => src.reader.latest(i, s),
      latestOfAll: (s) => (failing ? Promise.reject(new Error('influx down')) : src.reader.latestOfAll(s)),
    };
    const cache = cachedLatestVitals(flaky, { now: () => t, sweepMs: 10_000, onError: (e) => errors.push(e.message) });
    const since = new Date(t - 600 * MIN);
    await cache.latest(['p-1'], since);
    await cache.sweep();
    failing = true;
    t += 60_000;
    await cache.sweep();
    expect(errors).toEqual(['influx down']);
    src.readings.push({ patient: 'p-1', kind: 'heart_rate', at: t - 1_000, id: 'hr-1' });
    expect(ids(await cache.latest(['p-1'], since), 'p-1')).toEqual(['hr-1', 's-1']);
  });
});
