/**
 * resolvePatient runs for every reading on the ingest hot path. The cache keeps each device's
 * assignment periods (a handful of rows) for a short time, so a batch of 1,000 readings from one
 * cuff costs one query, not 1,000. Freshness: this process's own writes clear the cache at once;
 * writes by another process (the admin CLI against PostgreSQL, another hub) are seen after at most
 * `ttlMs`. Concurrent misses for the same device share one load.
 */
import type { AssignmentPeriod } from './resolve-assignment.js';

export interface AssignmentCacheOptions {
  readonly ttlMs: number;
  /** Devices kept at most; the oldest entry goes first. */
  readonly maxDevices: number;
  readonly now?: () => number;
}

interface Entry {
  readonly loadedAt: number;
  readonly periods: Promise<readonly AssignmentPeriod[]>;
  /** Set once `periods` resolved: lets ingest resolve a whole message without a promise per reading. */
  loaded?: readonly AssignmentPeriod[];
}

export class AssignmentCache {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(
    private readonly load: (deviceId: string) => Promise<readonly AssignmentPeriod[]>,
    private readonly options: AssignmentCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  get(deviceId: string): Promise<readonly AssignmentPeriod[]> {
    const now = this.now();
    const hit = this.entries.get(deviceId);
    if (hit && now - hit.loadedAt < this.options.ttlMs) return hit.periods;
    if (hit) this.entries.delete(deviceId);
    const periods = this.load(deviceId);
    const entry: Entry = { loadedAt: now, periods };
    this.entries.set(deviceId, entry);
    periods.then((p) => (entry.loaded = p), () => undefined);
    // A failed load is not cached. (A load that raced with clear() is already gone from the map.)
    periods.catch(() => {
      if (this.entries.get(deviceId) === entry) this.entries.delete(deviceId);
    });
    while (this.entries.size > this.options.maxDevices) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return periods;
  }

  /** The device's periods when loaded and fresh, without waiting; undefined means "ask get()". */
  peek(deviceId: string): readonly AssignmentPeriod[] | undefined {
    const hit = this.entries.get(deviceId);
    return hit?.loaded && this.now() - hit.loadedAt < this.options.ttlMs ? hit.loaded : undefined;
  }

  /** After an assignment changed in this process. */
  clear(): void {
    this.entries.clear();
  }
}
