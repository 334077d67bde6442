/**
 * The hub's first contact with InfluxDB: CREATE DATABASE, which InfluxDB 1.x takes (idempotently)
 * and 2.x/3.x refuse — 2.x answers HTTP 200 with `{"results":[{"error":"not implemented: CREATE
 * DATABASE"}]}` (influxdata/influxdb#22255), since its buckets and DBRP mappings are provisioned
 * outside (docs/ingestion.md). Start-up goes on in every case (the spool holds readings until
 * writes succeed); the log must say which of these happened, not "not reachable" for all of them.
 */
import { InfluxError } from './influx-v1.js';

export type StartupOutcome =
  | { readonly kind: 'created' }
  /** 2.x/3.x: no CREATE DATABASE through the v1 API; the bucket must exist already. */
  | { readonly kind: 'not_supported'; readonly status: number }
  /** The token or user may not create databases (HTTP 401/403). */
  | { readonly kind: 'not_authorized'; readonly status: number }
  /** No answer at all (refused connection, DNS, timeout). */
  | { readonly kind: 'unreachable' }
  /** Some other answer (5xx, a query error). */
  | { readonly kind: 'failed'; readonly status: number | undefined };

/** What a failed CREATE DATABASE means (pure). */
export function startupOutcomeOf(err: unknown): StartupOutcome {
  if (!(err instanceof InfluxError)) return { kind: 'failed', status: undefined };
  if (err.status === undefined) return { kind: 'unreachable' };
  if (err.status === 401 || err.status === 403) return { kind: 'not_authorized', status: err.status };
  if (/not implemented: CREATE DATABASE/i.test(err.message) || err.status === 501) return { kind: 'not_supported', status: err.status };
  return { kind: 'failed', status: err.status };
}

interface StartupLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Runs CREATE DATABASE and logs what happened; never throws. */
export async function ensureDatabaseAtStartup(influx: { ensureDatabase(): Promise<void> }, log: StartupLog): Promise<StartupOutcome> {
  try {
    await influx.ensureDatabase();
    return { kind: 'created' };
  } catch (err) {
    const outcome = startupOutcomeOf(err);
    switch (outcome.kind) {
      case 'not_supported':
        log.info(
          { status: outcome.status, reason: (err as Error).message },
          'InfluxDB refused CREATE DATABASE (2.x/3.x do not offer it): the bucket and its DBRP mapping must be provisioned (docs/ingestion.md); continuing',
        );
        break;
      case 'not_authorized':
        log.warn(
          { status: outcome.status, reason: (err as Error).message },
          'InfluxDB refused CREATE DATABASE: not authorized (check INFLUX_TOKEN / the user\'s rights; writes may be refused too); readings are spooled until writes succeed',
        );
        break;
      case 'unreachable':
        log.warn({ err }, 'InfluxDB not reachable at start-up; readings are spooled until it is');
        break;
      case 'failed':
        log.warn({ err, status: outcome.status }, 'InfluxDB answered CREATE DATABASE with an error; readings are spooled until writes succeed');
        break;
    }
    return outcome;
  }
}
