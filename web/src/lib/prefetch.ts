/**
 * Requests started before the component that needs them exists. Loading the start page used to
 * be a chain — session, then the worklist, then (once the live stream was open) the alert list —
 * each waiting for the one before; started together at load, they overlap. Each prefetched answer
 * is taken once, and only while fresh: an old one (the user sat on the sign-in page) is ignored.
 */
interface Pending {
  readonly at: number;
  readonly promise: Promise<unknown>;
}

export class Prefetcher {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly maxAgeMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  start<T>(key: string, load: () => Promise<T>): Promise<T> {
    const promise = load();
    // Nobody may ever take it (the user is signed out): no unhandled rejection.
    promise.catch(() => undefined);
    this.pending.set(key, { at: this.now(), promise });
    return promise;
  }

  /** The prefetched answer if there is a fresh one, else a new request; a failed prefetch is retried once. */
  take<T>(key: string, load: () => Promise<T>): Promise<T> {
    const p = this.pending.get(key);
    this.pending.delete(key);
    if (!p || this.now() - p.at > this.maxAgeMs) return load();
    return (p.promise as Promise<T>).catch(() => load());
  }
}

export const prefetched = new Prefetcher();
