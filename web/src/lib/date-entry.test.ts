/** Typed dates and times: the locale's layout, strict parsing, and the patient's zone across DST. */
import { describe, expect, it } from 'vitest';
import { datePattern, dateLayout, formatDateEntry, instantIn, parseDate, parsePeriod, parseTime } from './date-entry.js';

const DA = { day: 'd', month: 'm', year: 'å' };
const EN = { day: 'd', month: 'm', year: 'y' };

describe('date layout by locale', () => {
  it.each([
    ['da-DK', ['day', 'month', 'year'], '.', 'dd.mm.åååå'],
    ['sv-SE', ['year', 'month', 'day'], '-', 'åååå-mm-dd'],
    ['en-GB', ['day', 'month', 'year'], '/', 'dd/mm/åååå'],
  ])('%s', (locale, order, separator, pattern) => {
    expect(dateLayout(locale)).toEqual({ order, separator });
    expect(datePattern(locale, DA)).toBe(pattern);
  });
  it('English letters for an English page', () => {
    expect(datePattern('en-GB', EN)).toBe('dd/mm/yyyy');
  });
});

describe('parseDate is strict', () => {
  it.each([
    ['da-DK', '03.12.2026', { year: 2026, month: 12, day: 3 }],
    ['da-DK', '3.12.2026', { year: 2026, month: 12, day: 3 }],
    ['da-DK', ' 03. 12. 2026 ', { year: 2026, month: 12, day: 3 }],
    ['sv-SE', '2026-12-03', { year: 2026, month: 12, day: 3 }],
    ['en-GB', '03/12/2026', { year: 2026, month: 12, day: 3 }],
    ['da-DK', '29.02.2028', { year: 2028, month: 2, day: 29 }],
  ])('%s %s', (locale, text, expected) => {
    expect(parseDate(text, locale)).toEqual(expected);
  });
  it.each([
    ['da-DK', '12/03/2026', 'the US layout in a Danish page'],
    ['da-DK', '2026-12-03', 'the Swedish layout in a Danish page'],
    ['sv-SE', '03.12.2026', 'the Danish layout in a Swedish page'],
    ['da-DK', '31.11.2026', 'no 31 November'],
    ['da-DK', '29.02.2027', 'no 29 February in 2027'],
    ['da-DK', '03.13.2026', 'no month 13'],
    ['da-DK', '03.12.26', 'a two-digit year'],
    ['da-DK', '03.12.2026 14:00', 'trailing text'],
    ['da-DK', '', 'nothing'],
  ])('%s %s is refused: %s', (locale, text) => {
    expect(parseDate(text, locale)).toBeUndefined();
  });
});

describe('parseTime: 24-hour', () => {
  it.each([
    ['14:05', { hour: 14, minute: 5 }],
    ['7:30', { hour: 7, minute: 30 }],
    ['07.30', { hour: 7, minute: 30 }],
    ['00:00', { hour: 0, minute: 0 }],
    ['23:59', { hour: 23, minute: 59 }],
  ])('%s', (text, expected) => expect(parseTime(text)).toEqual(expected));
  it.each(['24:00', '12:60', '2 pm', '1405', '12:5', ''])('%s is refused', (text) => expect(parseTime(text)).toBeUndefined());
});

describe('times in the patient zone', () => {
  it('a Copenhagen winter morning is an hour ahead of UTC, a summer one two', () => {
    expect(new Date(instantIn({ year: 2026, month: 12, day: 3 }, { hour: 8, minute: 0 }, 'Europe/Copenhagen')).toISOString()).toBe('2026-12-03T07:00:00.000Z');
    expect(new Date(instantIn({ year: 2026, month: 7, day: 1 }, { hour: 8, minute: 0 }, 'Europe/Copenhagen')).toISOString()).toBe('2026-07-01T06:00:00.000Z');
  });
  it('the repeated autumn hour means its first pass; the skipped spring hour is read as winter time', () => {
    expect(new Date(instantIn({ year: 2026, month: 10, day: 25 }, { hour: 2, minute: 30 }, 'Europe/Stockholm')).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(new Date(instantIn({ year: 2026, month: 3, day: 29 }, { hour: 2, minute: 30 }, 'Europe/Stockholm')).toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });
  it('formats an instant back into the fields it was typed in', () => {
    const ms = Date.parse('2026-12-03T13:05:00Z');
    expect(formatDateEntry(ms, 'da-DK', 'Europe/Copenhagen')).toEqual({ date: '03.12.2026', time: '14:05' });
    expect(formatDateEntry(ms, 'sv-SE', 'Europe/Stockholm')).toEqual({ date: '2026-12-03', time: '14:05' });
  });
});

describe('parsePeriod', () => {
  it('gives the instants, or names the field that is wrong', () => {
    expect(parsePeriod({ fromDate: '01.12.2026', fromTime: '08:00', toDate: '03.12.2026', toTime: '20:00' }, 'da-DK', 'Europe/Copenhagen')).toEqual({
      ok: true,
      from: Date.parse('2026-12-01T07:00:00Z'),
      to: Date.parse('2026-12-03T19:00:00Z'),
    });
    expect(parsePeriod({ fromDate: '12/01/2026', fromTime: '08:00', toDate: '03.12.2026', toTime: '20:00' }, 'da-DK', 'Europe/Copenhagen')).toEqual({ ok: false, problem: 'fromDate' });
    expect(parsePeriod({ fromDate: '01.12.2026', fromTime: '8 am', toDate: '03.12.2026', toTime: '20:00' }, 'da-DK', 'Europe/Copenhagen')).toEqual({ ok: false, problem: 'fromTime' });
    expect(parsePeriod({ fromDate: '03.12.2026', fromTime: '08:00', toDate: '01.12.2026', toTime: '20:00' }, 'da-DK', 'Europe/Copenhagen')).toEqual({ ok: false, problem: 'order' });
  });
});
