/**
 * Date.parse for the instants the contract admits (YYYY-MM-DDTHH:mm:ss[.fff…]Z) in about half its
 * time: ingest reads three instants per reading (patient resolution, the line's timestamp and its
 * received_at field), and Date.parse took 200 ns each on the 2-core box. Anything not in exactly that
 * shape, or with a field out of range, goes to Date.parse itself, so the answer is always Date.parse's
 * (instant-ms.test.ts checks that on random valid and malformed text).
 */

const ZERO = 0x30;
const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Two decimal digits at `at`, or -1. */
function twoDigits(text: string, at: number): number {
  const a = text.charCodeAt(at) - ZERO;
  const b = text.charCodeAt(at + 1) - ZERO;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Milliseconds since the epoch of an ISO instant, equal to Date.parse(text). */
export function instantMs(text: string): number {
  const length = text.length;
  // The separators of YYYY-MM-DDTHH:mm:ss, then Z or a fraction ending in Z.
  if (
    length < 20 ||
    text.charCodeAt(4) !== 0x2d ||
    text.charCodeAt(7) !== 0x2d ||
    text.charCodeAt(10) !== 0x54 ||
    text.charCodeAt(13) !== 0x3a ||
    text.charCodeAt(16) !== 0x3a ||
    text.charCodeAt(length - 1) !== 0x5a ||
    (length > 20 && (length < 22 || text.charCodeAt(19) !== 0x2e))
  ) {
    return Date.parse(text);
  }
  const century = twoDigits(text, 0);
  const yearOfCentury = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  const year = century * 100 + yearOfCentury;
  if (century < 0 || yearOfCentury < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return Date.parse(text);
  }
  if (day > (month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month]!)) return Date.parse(text);
  let millis = 0;
  // Date.parse keeps the first three digits of a fraction (truncating, not rounding).
  for (let i = 20, scale = 100; i < length - 1; i++, scale = Math.floor(scale / 10)) {
    const digit = text.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return Date.parse(text);
    millis += digit * scale;
  }
  return daysFromCivil(year, month, day) * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + millis;
}
