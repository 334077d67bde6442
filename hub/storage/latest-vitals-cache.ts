/**
 * Latest vitals per patient, kept in memory so that a worklist costs no InfluxDB query at all once
 * warm. Measured: even over an empty window, the grouped `last()` query for a 200-patient team
 * costs 15-30 ms in InfluxDB 1.6 (series planning), which alone would eat the worklist's budget.
 *
 *  - A patient asked about for the first time (or for a longer look-back than cached) gets a full
 *    query over the look-back window, in the request.
 *  - A background sweep every `sweepMs` (default 10 s) asks once for every patient's readings
 *    measured since the previous sweep minus `overlapMs` (default 1 h, for readings that reach
 *    InfluxDB after they were measured) and merges what is newer. A new reading therefore shows
 *    within about `sweepMs`.
 *  - Each sweep also re-reads the full window of up to `fullBatch` patients whose full read is
 *    older than `fullRefreshMs` (default 10 min): a reading that arrived more than `overlapMs`
 *    late (a gateway offline for hours, an unassigned reading moved to the patient) shows then.
 *  - When the sweep is not running or falls behind (`maxStalenessMs`), requests bring their patients
 *    up to date themselves with an incremental query, so answers are never staler than that.
 */
import { VITAL_KINDS, type VitalKind } from '../../contract/index.js';
import type { LatestVital, LatestVitalsReader, LatestVitalsSource } from './latest-vitals.js';

export interface LatestVitalsCacheOptions {
  readonly sweepMs?: number;
  readonly overlapMs?: number;
  readonly fullRefreshMs?: number;
  readonly fullBatch?: number;
  readonly maxStalenessMs?: number;
  readonly now?: () => number;
  readonly onError?: (err: Error) => void;
}

export interface LatestVitalsCache extends LatestVitalsReader {
  /** Starts the background sweep (timer unref'd: it never keeps the process alive). */
  start(): void;
  /** One sweep now (also what the timer runs). */
  sweep(): Promise<void>;
  close(): Promise<void>;
}

interface Entry {
  fullAt: number;
  coveredFrom: number;
  /** Everything measured since `checkedAt - overlapMs` has been merged. */
  checkedAt: number;
  byKind: Map<VitalKind, LatestVital>;
}

const EMPTY = Promise.resolve(new Map<string, LatestVital[]>());

export function cachedLatestVitals(source: LatestVitalsSource, options: LatestVitalsCacheOptions = {}): LatestVitalsCache {
  const sweepMs = options.sweepMs ?? 10_000;
  const overlapMs = options.overlapMs ?? 3_600_000;
  const fullRefreshMs = options.fullRefreshMs ?? 10 * 60_000;
  const fullBatch = options.fullBatch ?? 250;
  const maxStalenessMs = options.maxStalenessMs ?? 3 * sweepMs;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  let lastSweepAt: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> | undefined;

  const merge = (entry: Entry, found: readonly LatestVital[] | undefined) => {
    for (const v of found ?? []) {
      const current = entry.byKind.get(v.kind);
      if (!current || Date.parse(v.measuredAt) >= Date.parse(current.measuredAt)) entry.byKind.set(v.kind, v);
    }
  };

  const fullRead = async (ids: readonly string[], since: number, t: number) => {
    const found = await source.latest(ids, new Date(since));
    for (const id of ids) {
      const entry: Entry = { fullAt: t, coveredFrom: since, checkedAt: t, byKind: new Map() };
      merge(entry, found.get(id));
      entries.set(id, entry);
    }
  };

  async function sweepOnce(): Promise<void> {
    const t = now();
    const from = (lastSweepAt ?? t) - overlapMs;
    const found = await source.latestOfAll(new Date(from));
    for (const [id, entry] of entries) {
      merge(entry, found.get(id));
      entry.checkedAt = Math.max(entry.checkedAt, t);
    }
    lastSweepAt = t;
    const due = [...entries].filter(([, e]) => t - e.fullAt > fullRefreshMs).sort(([, a], [, b]) => a.fullAt - b.fullAt);
    const batch = due.slice(0, fullBatch);
    // Group by look-back so each full read is one query.
    const byFrom = new Map<number, string[]>();
    for (const [id, e] of batch) byFrom.set(e.coveredFrom, [...(byFrom.get(e.coveredFrom) ?? []), id]);
    for (const [coveredFrom, ids] of byFrom) await fullRead(ids, coveredFrom, t);
  }

  const cache: LatestVitalsCache = {
    async latest(patientIds, since) {
      const t = now();
      const full: string[] = [];
      const behind: string[] = [];
      const sweepFresh = lastSweepAt !== undefined && t - lastSweepAt <= maxStalenessMs;
      let windowStart = t;
      for (const id of patientIds) {
        const e = entries.get(id);
        if (!e || since.getTime() < e.coveredFrom) full.push(id);
        else if (!sweepFresh && t - e.checkedAt > 0) {
          behind.push(id);
          windowStart = Math.min(windowStart, e.checkedAt - overlapMs);
        }
      }
      const [, caughtUp] = await Promise.all([
        full.length > 0 ? fullRead(full, since.getTime(), t) : undefined,
        behind.length > 0 ? source.latest(behind, new Date(Math.max(windowStart, since.getTime()))) : EMPTY,
      ]);
      for (const id of behind) {
        const entry = entries.get(id);
        if (!entry) continue;
        merge(entry, caughtUp.get(id));
        entry.checkedAt = t;
      }
      const out = new Map<string, LatestVital[]>();
      for (const id of patientIds) {
        const list = [...(entries.get(id)?.byKind.values() ?? [])]
          .filter((v) => Date.parse(v.measuredAt) >= since.getTime())
          .sort((a, b) => VITAL_KINDS.indexOf(a.kind) - VITAL_KINDS.indexOf(b.kind));
        if (list.length > 0) out.set(id, list);
      }
      return out;
    },

    sweep() {
      sweeping ??= sweepOnce()
        .catch((err: Error) => options.onError?.(err))
        .finally(() => (sweeping = undefined));
      return sweeping;
    },

    start() {
      if (timer) return;
      timer = setInterval(() => void cache.sweep(), sweepMs);
      timer.unref();
    },

    async close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await sweeping;
    },
  };
  return cache;
}
