/**
 * Wall-clock time in an IANA time zone (Europe/Copenhagen, Europe/Stockholm), DST included, with
 * nothing but Intl. Pure: shared by the gateway (device clocks keep local time without a zone) and
 * the hub's alert rules (a patient's schedule is "weight daily by 10:00" in their zone).
 */

export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws RangeError for an unknown zone: call at config time, not per reading. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

/** True for a zone Intl knows (for validation: one answer, no exception). */
export function isTimeZone(timeZone: string): boolean {
  try {
    assertTimeZone(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock parts Intl gives for an instant (the reference; slow: a formatToParts call). */
function intlWallClock(instant: Date, timeZone: string): WallClock {
  const parts = new Map<string, number>();
  for (const p of formatterFor(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') parts.set(p.type, Number(p.value));
  }
  const get = (name: string) => parts.get(name) ?? 0;
  return { year: get('year'), month: get('month'), day: get('day'), hours: get('hour'), minutes: get('minute'), seconds: get('second') };
}

function intlOffsetMs(instantMs: number, timeZone: string): number {
  const t = intlWallClock(new Date(instantMs), timeZone);
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hours, t.minutes, t.seconds);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/**
 * Zone offsets per UTC hour, asked of Intl once. The alert rules convert the same few days' instants
 * at every evaluation (schedules scan 3 weeks of slots, summaries print local times), and one
 * formatToParts costs microseconds: the back-test of a month spent most of its time here. An hour
 * whose first and last second have the same offset has it throughout (no zone changes its offset
 * twice within an hour); an hour with a change inside (the DST night, a zone's odd historic change)
 * is marked NaN and its instants are asked of Intl one by one. Bounded: cleared when it grows past
 * MAX_CACHED_HOURS (a year of hours for some twenty zones).
 */
const HOUR_MS = 3_600_000;
const MAX_CACHED_HOURS = 200_000;
const offsetsByHour = new Map<string, Map<number, number>>();
let cachedHours = 0;

/** Offset of the zone from UTC at the instant, in ms (local = utc + offset; Copenhagen: +1 h winter, +2 h summer). */
export function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const hour = Math.floor(instantMs / HOUR_MS);
  let zone = offsetsByHour.get(timeZone);
  if (!zone) {
    formatterFor(timeZone); // throws RangeError for an unknown zone before anything is cached
    zone = new Map();
    offsetsByHour.set(timeZone, zone);
  }
  let offset = zone.get(hour);
  if (offset === undefined) {
    const start = hour * HOUR_MS;
    const first = intlOffsetMs(start, timeZone);
    offset = intlOffsetMs(start + HOUR_MS - 1000, timeZone) === first ? first : Number.NaN;
    if (++cachedHours > MAX_CACHED_HOURS) {
      for (const z of offsetsByHour.values()) z.clear();
      cachedHours = 1;
    }
    zone.set(hour, offset);
  }
  return Number.isNaN(offset) ? intlOffsetMs(instantMs, timeZone) : offset;
}

const EARLIEST_DERIVED_MS = Date.UTC(1900, 0, 1);

/** The wall-clock time in the zone at an instant (whole seconds, as Intl prints it). */
export function wallClock(instant: Date, timeZone: string): WallClock {
  const ms = instant.getTime();
  // Intl's RangeError for an invalid date, as before; and Date.UTC reads years below 100 as 19xx.
  if (!Number.isFinite(ms) || ms < EARLIEST_DERIVED_MS) return intlWallClock(instant, timeZone);
  const secondMs = Math.floor(ms / 1000) * 1000;
  // By the offset's definition (Intl's wall-clock fields read as UTC, minus the instant), the UTC
  // fields of instant + offset are Intl's wall-clock fields.
  const w = new Date(secondMs + zoneOffsetMs(ms, timeZone));
  return { year: w.getUTCFullYear(), month: w.getUTCMonth() + 1, day: w.getUTCDate(), hours: w.getUTCHours(), minutes: w.getUTCMinutes(), seconds: w.getUTCSeconds() };
}

/**
 * Converts a wall-clock time in the zone to a UTC instant. In the autumn DST overlap the earlier
 * instant is chosen; a time in the spring gap is moved forward by the gap (as clocks do).
 */
export function wallClockToUtc(local: WallClock, timeZone: string): Date {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hours, local.minutes, local.seconds);
  // The zone's offsets half a day before and after bracket any DST transition near this wall time.
  const withOffsetBefore = wall - zoneOffsetMs(wall - 12 * 3_600_000, timeZone);
  const withOffsetAfter = wall - zoneOffsetMs(wall + 12 * 3_600_000, timeZone);
  const valid = [withOffsetBefore, withOffsetAfter].filter((t) => t + zoneOffsetMs(t, timeZone) === wall);
  // Overlap: both are valid, take the earlier. Gap: neither is; the pre-transition offset moves the
  // time forward by the gap (02:30 in a skipped hour becomes 03:30).
  return new Date(valid.length > 0 ? Math.min(...valid) : withOffsetBefore);
}
