/** Reads back what the hub wrote to InfluxDB, as plain rows (time in ms, tags and fields by name). */
import { quoteIdent, type InfluxV1Client } from '../../hub/storage/influx-v1.js';

export type PointRow = Record<string, unknown> & { time: number };

export async function pointsOf(influx: InfluxV1Client, measurement: string): Promise<PointRow[]> {
  const series = await influx.query(`SELECT * FROM ${quoteIdent(measurement)}`);
  const rows: PointRow[] = [];
  for (const s of series) {
    for (const values of s.values) {
      const row: Record<string, unknown> = { ...s.tags };
      s.columns.forEach((column, i) => (row[column] = values[i]));
      rows.push(row as PointRow);
    }
  }
  return rows;
}

/** Every reading id stored in the given measurements. */
export async function storedIds(influx: InfluxV1Client, measurements: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const m of measurements) for (const row of await pointsOf(influx, m)) ids.push(String(row.reading_id));
  return ids;
}
