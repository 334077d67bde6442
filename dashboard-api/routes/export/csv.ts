/**
 * Readings as CSV (RFC 4180), one line per component so that a spreadsheet can filter and pivot.
 * Text cells that a spreadsheet would run as a formula (= + - @ tab CR) are prefixed with a quote
 * (OWASP CSV injection); numbers are written as numbers.
 */
import type { ReadingRow } from '../../../hub/storage/readings-repository.js';

export const CSV_HEADER = [
  'reading_id',
  'kind',
  'measured_at',
  'received_at',
  'device_id',
  'gateway_id',
  'user_index',
  'component',
  'loinc',
  'value',
  'unit',
  'late',
  'clock_suspect',
  'implausible',
  // Appended, so that spreadsheets reading columns by position keep working.
  'source',
  'entered_by',
  'superseded_by',
  'attribution',
] as const;

export function csvCell(value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLines(rows: readonly ReadingRow[]): string[] {
  const lines: string[] = [];
  for (const r of rows) {
    for (const c of r.components) {
      lines.push(
        [r.id, r.kind, r.measuredAt, r.receivedAt, r.deviceId, r.gatewayId, r.userIndex, c.name, c.code, c.value, c.unit, r.late, r.clockSuspect, r.implausible, r.source, r.enteredBy, r.supersededBy, r.attribution]
          .map(csvCell)
          .join(','),
      );
    }
  }
  return lines;
}

export function toCsv(rows: readonly ReadingRow[]): string {
  return `${[CSV_HEADER.join(','), ...csvLines(rows)].join('\r\n')}\r\n`;
}
