/**
 * Quarantine: readings of devices that were not assigned to a patient at their measurement time.
 * Ingest writes them durably with the patient tag `_unassigned` (reading-points.ts); they are listed
 * by unassigned-inbox.ts, and after an admin assigned the device they are moved here into the
 * patient's series:
 *   1. SELECT the device's `_unassigned` points, page by page, per measurement;
 *   2. decide each point's patient with the registry's rule (resolveAssignment) at its time;
 *   3. write it again with that patient tag (same measurement, timestamp and fields: idempotent);
 *   4. only then DELETE the `_unassigned` copy — by its exact timestamp and series, so a point
 *      that arrived meanwhile and was not copied is never deleted.
 * A crash between 3 and 4 leaves a point in both series; running the move again finishes it.
 * InfluxDB 1.x DELETE filters on tags and time only (not fields), which is why each point is
 * deleted by its own `time = …` rather than by a range.
 */
import { Point } from '@influxdata/influxdb-client';
import { CATALOGUE, VITAL_KINDS } from '../../contract/index.js';
import { quoteIdent, type InfluxV1Client } from './influx-v1.js';
import { META_FIELDS, UNASSIGNED_PATIENT, USER_INDEX_TAG } from './reading-points.js';
import { USER_INDEX_AS_TAG, USER_INDEX_SELECT, isUserIndexColumn, userIndexCondition, userIndexOfRow, userIndexTagCondition } from './user-index-columns.js';

const PAGE = 5_000;
const DELETES_PER_QUERY = 200;
const TAGS = new Set(['patient', 'device', 'gateway']);

/** Who a quarantined point belongs to now, or undefined to leave it where it is. */
export type ResolveAt = (userIndex: number | undefined, at: Date) => string | undefined;

export interface RetagResult {
  readonly moved: number;
  /** Points of the device still unassigned (no assignment covers them). */
  readonly stillUnassigned: number;
}

async function fieldTypes(influx: InfluxV1Client, measurement: string): Promise<Map<string, string>> {
  const series = await influx.query(`SHOW FIELD KEYS FROM ${quoteIdent(measurement)}`);
  const types = new Map<string, string>();
  for (const s of series) for (const [key, type] of s.values) types.set(String(key), String(type));
  return types;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** The point again under `patientId`; the user index becomes a tag even where it was an old field. */
function rebuild(measurement: string, columns: readonly string[], row: readonly unknown[], patientId: string, userIndex: number | undefined, types: Map<string, string>): Point {
  const point = new Point(measurement).tag('patient', patientId);
  if (userIndex !== undefined) point.tag(USER_INDEX_TAG, String(userIndex));
  columns.forEach((column, i) => {
    const value = row[i];
    if (column === 'time' || column === 'patient' || column === META_FIELDS.attribution || isUserIndexColumn(column) || value === null || value === undefined) return;
    if (TAGS.has(column)) point.tag(column, text(value));
    else if (types.get(column) === 'integer') point.intField(column, Number(value));
    else if (types.get(column) === 'boolean') point.booleanField(column, value === true);
    else if (types.get(column) === 'string') point.stringField(column, text(value));
    else point.floatField(column, Number(value));
  });
  // Its patient was decided by a person assigning it from the inbox (contract/attribution.ts).
  point.stringField(META_FIELDS.attribution, 'manual_assignment');
  return point.timestamp(String(row[columns.indexOf('time')]));
}

/** Moves a device's quarantined points to the patients `resolve` names for them. */
export async function retagUnassigned(influx: InfluxV1Client, deviceId: string, resolve: ResolveAt): Promise<RetagResult> {
  let moved = 0;
  let stillUnassigned = 0;
  for (const measurement of new Set(VITAL_KINDS.map((k) => CATALOGUE[k].measurement))) {
    let types: Map<string, string> | undefined;
    let after = -1;
    for (;;) {
      const series = await influx.query(
        `SELECT *, ${USER_INDEX_SELECT} FROM ${quoteIdent(measurement)} WHERE "patient" = $patient AND "device" = $device AND time > ${after}ms ORDER BY time ASC LIMIT ${PAGE}`,
        { patient: UNASSIGNED_PATIENT, device: deviceId },
      );
      const s = series[0];
      if (!s || s.values.length === 0) break;
      types ??= await fieldTypes(influx, measurement);
      const col = (name: string) => s.columns.indexOf(name);
      const lines: string[] = [];
      // Per series (gateway and user_index tag, '' for none or an old field): the timestamps to delete.
      const deletes = new Map<string, { gateway: string; tag: number | undefined; times: number[] }>();
      for (const row of s.values) {
        const time = Number(row[col('time')]);
        after = Math.max(after, time);
        const userIndex = userIndexOfRow(s.columns, row);
        const patientId = resolve(userIndex, new Date(time));
        if (!patientId) {
          stillUnassigned++;
          continue;
        }
        const line = rebuild(measurement, s.columns, row, patientId, userIndex, types).toLineProtocol();
        if (!line) continue; // no fields: nothing to copy, so nothing may be deleted either
        lines.push(line);
        const gateway = String(row[col('gateway')]);
        const tagged = row[col(USER_INDEX_AS_TAG)];
        const tag = typeof tagged === 'string' && tagged !== '' ? userIndex : undefined;
        const key = `${gateway}\u0000${tag ?? ''}`;
        const series = deletes.get(key) ?? { gateway, tag, times: [] };
        series.times.push(time);
        deletes.set(key, series);
      }
      await influx.write(lines); // 3. durable in the patient's series first …
      for (const { gateway, tag, times } of deletes.values()) {
        // The user_index tag too: another user's point at the same instant is another series, maybe still unassigned.
        const byUser = userIndexTagCondition(tag);
        for (let i = 0; i < times.length; i += DELETES_PER_QUERY) {
          const statements = times
            .slice(i, i + DELETES_PER_QUERY)
            .map((t) => `DELETE FROM ${quoteIdent(measurement)} WHERE "patient" = $patient AND "device" = $device AND "gateway" = $gateway AND ${byUser} AND time = ${t}ms`);
          await influx.query(statements.join('; '), { patient: UNASSIGNED_PATIENT, device: deviceId, gateway }); // 4. … then out of quarantine
        }
      }
      moved += lines.length;
      if (s.values.length < PAGE) break;
    }
  }
  return { moved, stillUnassigned };
}

/** The earliest quarantined reading of a device (and user index), e.g. as the start of its assignment. */
export async function earliestUnassigned(influx: InfluxV1Client, deviceId: string, userIndex?: number): Promise<Date | undefined> {
  const byUser = userIndex === undefined ? '' : ` AND ${userIndexCondition(userIndex)}`;
  const series = await influx.query(`SELECT first(${quoteIdent(META_FIELDS.id)}) FROM /.*/ WHERE "patient" = $patient AND "device" = $device${byUser}`, {
    patient: UNASSIGNED_PATIENT,
    device: deviceId,
  });
  const times = series.map((s) => Number(s.values[0]?.[0])).filter((t) => Number.isFinite(t));
  return times.length > 0 ? new Date(Math.min(...times)) : undefined;
}
