/**
 * Dates, numbers and ages in the user's language, times in the patient's zone (a nurse in
 * Stockholm reading a Copenhagen resident's morning reading sees the resident's clock). Pure,
 * Intl-based, cached formatters.
 */
const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>();

function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}

export function formatDateTime(iso: string | number | Date, locale: string, timeZone?: string): string {
  const f = cached(`dt|${locale}|${timeZone ?? ''}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short', ...(timeZone && { timeZone }) }));
  return f.format(new Date(iso));
}

export function formatDate(iso: string | number | Date, locale: string, timeZone?: string): string {
  const f = cached(`d|${locale}|${timeZone ?? ''}`, () => new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', ...(timeZone && { timeZone }) }));
  return f.format(new Date(iso));
}

export function formatNumber(value: number, locale: string, decimals: number): string {
  const f = cached(`n|${locale}|${decimals}`, () => new Intl.NumberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals }));
  return f.format(value);
}

/** "5 min ago", "3 days ago": the age of a reading, coarse enough to read at a glance. */
export function formatAge(iso: string, now: number, locale: string): string {
  const f = cached<Intl.RelativeTimeFormat>(`r|${locale}`, () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' }));
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return f.format(seconds, 'second');
  if (abs < 3600) return f.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return f.format(Math.round(seconds / 3600), 'hour');
  return f.format(Math.round(seconds / 86_400), 'day');
}

/** Names sorted as the user's language sorts them (Danish: æ, ø, å after z; Swedish: å, ä, ö). */
export function collatorFor(locale: string): Intl.Collator {
  return new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
}
