/**
 * The vocabulary of trend queries that the dashboard API offers and the hub's trends repository
 * answers (hub/storage/trends-repository.ts maps each name to its InfluxQL): bucket widths,
 * aggregates, and which time-zone names may reach a query.
 */
import { isTimeZone } from './time-zone.js';

/** Bucket widths offered, with their length (a DST day in the patient's zone is 23 or 25 h long; this is the nominal width). */
export const TREND_INTERVAL_MS = { '1h': 3_600_000, '1d': 86_400_000 } as const;
export type TrendInterval = keyof typeof TREND_INTERVAL_MS;

/** Aggregates offered (`last`: the latest value in the bucket). */
export const TREND_AGGREGATE_NAMES = ['mean', 'min', 'max', 'count', 'last'] as const;
export type TrendAggregate = (typeof TREND_AGGREGATE_NAMES)[number];

/** Zone used when the patient record names none. */
export const DEFAULT_TREND_TIME_ZONE = 'Europe/Copenhagen';

/**
 * IANA names only use these characters ("America/Argentina/Buenos_Aires", "Etc/GMT+1"); the zone is
 * written into the query text (InfluxQL binds no parameter inside tz()), so nothing else may pass.
 */
const ZONE_CHARACTERS = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/;

/** True for a zone name that is safe to write into InfluxQL and that Intl knows. */
export function isTrendTimeZone(timeZone: string): boolean {
  return timeZone.length <= 64 && ZONE_CHARACTERS.test(timeZone) && isTimeZone(timeZone);
}
