/**
 * Dates and times typed as people in the user's language write them — Danish 03.12.2026, Swedish
 * 2026-12-03, British 03/12/2026, 24-hour 14:05 — instead of <input type="datetime-local">, whose
 * format follows the browser's own locale (US order on a Danish ward PC with an English browser).
 * The order and separators come from Intl for the page's locale; parsing is strict (every part
 * present, a real calendar day, no trailing text), and the wall-clock time is read in the
 * patient's zone, as every time on the patient page is shown. Pure.
 */

export type DatePart = 'day' | 'month' | 'year';

export interface DateLayout {
  /** The parts in the locale's order. */
  readonly order: readonly DatePart[];
  /** The separator between them, e.g. "." for Danish, "-" for Swedish. */
  readonly separator: string;
}

const layouts = new Map<string, DateLayout>();

export function dateLayout(locale: string): DateLayout {
  let layout = layouts.get(locale);
  if (!layout) {
    const parts = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).formatToParts(Date.UTC(2026, 11, 3));
    const order = parts.filter((p): p is Intl.DateTimeFormatPart & { type: DatePart } => p.type === 'day' || p.type === 'month' || p.type === 'year').map((p) => p.type);
    const separator = parts.find((p) => p.type === 'literal')?.value.trim() || '-';
    layout = { order: order.length === 3 ? order : ['year', 'month', 'day'], separator };
    layouts.set(locale, layout);
  }
  return layout;
}

/** The pattern shown beside the field, with the language's letters: `dd.mm.åååå`, `åååå-mm-dd`, `dd/mm/yyyy`. */
export function datePattern(locale: string, letters: Readonly<Record<DatePart, string>>): string {
  const { order, separator } = dateLayout(locale);
  return order.map((p) => letters[p].repeat(p === 'year' ? 4 : 2)).join(separator);
}

export interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export interface CivilTime {
  readonly hour: number;
  readonly minute: number;
}

const DAY_MS = 86_400_000;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** A date typed in the locale's layout; undefined unless it is exactly that and a real day. */
export function parseDate(text: string, locale: string): CivilDate | undefined {
  const { order, separator } = dateLayout(locale);
  const group = (p: DatePart) => (p === 'year' ? '(\\d{4})' : '(\\d{1,2})');
  const match = new RegExp(`^${order.map(group).join(`\\s*${escape(separator)}\\s*`)}$`).exec(text.trim());
  if (!match) return undefined;
  const value = (p: DatePart) => Number(match[order.indexOf(p) + 1]);
  const date = { year: value('year'), month: value('month'), day: value('day') };
  const check = new Date(Date.UTC(date.year, date.month - 1, date.day));
  if (date.year < 1900 || check.getUTCFullYear() !== date.year || check.getUTCMonth() !== date.month - 1 || check.getUTCDate() !== date.day) return undefined;
  return date;
}

/** 24-hour `hh:mm` (also `hh.mm`, as Danes often write it); undefined for anything else. */
export function parseTime(text: string): CivilTime | undefined {
  const match = /^(\d{1,2})[:.](\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const time = { hour: Number(match[1]), minute: Number(match[2]) };
  return time.hour <= 23 && time.minute <= 59 ? time : undefined;
}

export function formatDateEntry(ms: number, locale: string, timeZone: string): { date: string; time: string } {
  const c = civilAt(ms, timeZone);
  const { order, separator } = dateLayout(locale);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const part = { day: pad(c.day), month: pad(c.month), year: pad(c.year, 4) };
  return { date: order.map((p) => part[p]).join(separator), time: `${pad(c.hour)}:${pad(c.minute)}` };
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall clock in `timeZone` at instant `ms`. */
export function civilAt(ms: number, timeZone: string): CivilDate & CivilTime {
  let f = zoneFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    zoneFormats.set(timeZone, f);
  }
  const get = (type: string) => Number(f.formatToParts(ms).find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
}

/**
 * The instant at which the wall clock in `timeZone` shows date and time. In the autumn's repeated
 * hour the earlier instant; in the spring's missing hour the time as if the clock had not jumped.
 */
export function instantIn(date: CivilDate, time: CivilTime, timeZone: string): number {
  const wanted = Date.UTC(date.year, date.month - 1, date.day, time.hour, time.minute);
  const offsetAt = (ms: number) => {
    const c = civilAt(ms, timeZone);
    return Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute) - Math.floor(ms / 60_000) * 60_000;
  };
  // The zone's offsets a day either side: around a DST change they differ, elsewhere they agree.
  const before = offsetAt(wanted - DAY_MS);
  const after = offsetAt(wanted + DAY_MS);
  const shows = (ms: number) => {
    const c = civilAt(ms, timeZone);
    return c.year === date.year && c.month === date.month && c.day === date.day && c.hour === time.hour && c.minute === time.minute;
  };
  const fits = [wanted - before, wanted - after].filter(shows);
  return fits.length > 0 ? Math.min(...fits) : wanted - before;
}

export type EntryProblem = 'fromDate' | 'fromTime' | 'toDate' | 'toTime' | 'order';

/** The custom period typed in the four fields, or which field is wrong. */
export function parsePeriod(
  fields: { readonly fromDate: string; readonly fromTime: string; readonly toDate: string; readonly toTime: string },
  locale: string,
  timeZone: string,
): { ok: true; from: number; to: number } | { ok: false; problem: EntryProblem } {
  const fromDate = parseDate(fields.fromDate, locale);
  if (!fromDate) return { ok: false, problem: 'fromDate' };
  const fromTime = parseTime(fields.fromTime);
  if (!fromTime) return { ok: false, problem: 'fromTime' };
  const toDate = parseDate(fields.toDate, locale);
  if (!toDate) return { ok: false, problem: 'toDate' };
  const toTime = parseTime(fields.toTime);
  if (!toTime) return { ok: false, problem: 'toTime' };
  const from = instantIn(fromDate, fromTime, timeZone);
  const to = instantIn(toDate, toTime, timeZone);
  return from < to ? { ok: true, from, to } : { ok: false, problem: 'order' };
}
