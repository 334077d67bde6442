/**
 * Health devices keep local wall-clock time without a zone. The box knows its IANA zone
 * (e.g. Europe/Copenhagen), so it converts device times to UTC here, DST included.
 */
import type { LocalDateTime } from '../profiles/date-time.js';

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

function wallClockParts(instant: Date, timeZone: string): LocalDateTime {
  const parts = new Map<string, number>();
  for (const p of formatterFor(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') parts.set(p.type, Number(p.value));
  }
  const get = (name: string) => parts.get(name) ?? 0;
  return { year: get('year'), month: get('month'), day: get('day'), hours: get('hour'), minutes: get('minute'), seconds: get('second') };
}

/** Offset of the zone from UTC at the instant, in ms (local = utc + offset). */
export function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const t = wallClockParts(new Date(instantMs), timeZone);
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hours, t.minutes, t.seconds);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/**
 * Converts a local wall-clock time in the zone to a UTC instant. In the autumn DST overlap the
 * earlier instant is chosen; a time in the spring gap is moved forward by the gap (as clocks do).
 */
export function localToUtc(local: LocalDateTime, timeZone: string): Date {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hours, local.minutes, local.seconds);
  // Two passes settle the offset on both sides of a DST transition.
  const first = wall - zoneOffsetMs(wall, timeZone);
  const second = wall - zoneOffsetMs(first, timeZone);
  const earlier = Math.min(first, second);
  // Prefer the earlier candidate when it maps back to the same wall time (autumn overlap).
  if (earlier + zoneOffsetMs(earlier, timeZone) === wall) return new Date(earlier);
  return new Date(Math.max(first, second));
}

/** The local wall-clock time in the zone at an instant (what a device clock set by us would show). */
export function utcToLocal(instant: Date, timeZone: string): LocalDateTime {
  return wallClockParts(instant, timeZone);
}
