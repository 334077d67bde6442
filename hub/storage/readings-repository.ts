/** Reads stored readings back out of InfluxDB for the API. */
import { CATALOGUE, type ComponentValue, type VitalKind } from '../../contract/index.js';
import { ENTRY } from '../../contract/entered-observations.js';
import { ATTRIBUTION_FIELD, isAttribution, type Attribution } from '../../contract/attribution.js';
import { META_FIELDS } from './reading-points.js';
import { USER_INDEX_SELECT, userIndexOfRow } from './user-index-columns.js';
import { quoteIdent, type InfluxSeries, type InfluxV1Client } from './influx-v1.js';

export interface ReadingRow {
  readonly id: string;
  readonly kind: VitalKind;
  readonly measuredAt: string;
  readonly receivedAt: string | undefined;
  readonly deviceId: string;
  readonly gatewayId: string;
  readonly userIndex: number | undefined;
  readonly components: ComponentValue[];
  readonly late: boolean;
  readonly clockSuspect: boolean;
  readonly implausible: boolean;
  /** 'manual': entered by a person (hub/observations), never a device's reading. */
  readonly source: 'device' | 'manual';
  /** Manual entries: the registry user id of whoever entered it, and their role. */
  readonly enteredBy?: string;
  readonly enteredRole?: string;
  /** Manual entries: the id of the entry that corrected this one. */
  readonly supersededBy?: string;
  /** How the reading's patient was decided (device_assignment, user_index, session, manual_assignment, entered); absent on older points. */
  readonly attribution?: Attribution;
}

export interface ListReadingsQuery {
  readonly patientId: string;
  readonly kind: VitalKind;
  readonly from: Date;
  readonly to: Date;
  readonly limit: number;
  readonly order?: 'asc' | 'desc';
}

/** A position in a stream of readings ordered by (measurement time, reading id). */
export interface ReadingPosition {
  /** Epoch milliseconds. */
  readonly t: number;
  readonly id: string;
}

export interface ReadingsPageQuery extends ListReadingsQuery {
  /** Continue after this reading (in the page order). */
  readonly after?: ReadingPosition;
}

export interface ReadingsPage {
  readonly rows: ReadingRow[];
  /** The last reading of this page when more follow, else undefined. */
  readonly next: ReadingPosition | undefined;
}

export interface ReadingsRepository {
  list(query: ListReadingsQuery): Promise<ReadingRow[]>;
  /**
   * One page in a stable order: measurement time, then reading id (InfluxDB orders by time only,
   * and two devices can measure in the same millisecond). Keyset pagination: `after` names the
   * last reading of the previous page, so pages neither skip nor repeat while new data arrives.
   */
  page(query: ReadingsPageQuery): Promise<ReadingsPage>;
}

/**
 * Readings from query results. A point whose meta fields are not all there is skipped: InfluxDB 1.x
 * makes a point's fields visible one by one while the write is applied, so a query at that instant
 * can see part of a reading (seen in the e2e tests). Every stored reading has all six meta fields
 * (reading-points.ts); a reading caught without them is shown on the next query, whole.
 */
export function rowsFromSeries(kind: VitalKind, series: readonly InfluxSeries[]): ReadingRow[] {
  const spec = CATALOGUE[kind];
  const rows: ReadingRow[] = [];
  for (const s of series) {
    const col = (name: string) => s.columns.indexOf(name);
    const idx = {
      time: col('time'),
      id: col(META_FIELDS.id),
      receivedAt: col(META_FIELDS.receivedAt),
      device: col('device'),
      gateway: col('gateway'),
      late: col(META_FIELDS.late),
      clockSuspect: col(META_FIELDS.clockSuspect),
      implausible: col(META_FIELDS.implausible),
      timeSource: col(META_FIELDS.timeSource),
      source: col(ENTRY.sourceTag),
      enteredBy: col(ENTRY.enteredByTag),
      role: col(ENTRY.role),
      supersededBy: col(ENTRY.supersededBy),
      attribution: col(ATTRIBUTION_FIELD),
    };
    const text = (v: readonly unknown[], i: number) => (i >= 0 && typeof v[i] === 'string' && v[i] !== '' ? (v[i]) : undefined);
    const componentIdx = spec.components.map((c) => ({ c, i: col(c.name) }));
    for (const v of s.values) {
      const whole =
        typeof v[idx.id] === 'string' &&
        typeof v[idx.receivedAt] === 'number' &&
        typeof v[idx.late] === 'boolean' &&
        typeof v[idx.clockSuspect] === 'boolean' &&
        typeof v[idx.implausible] === 'boolean' &&
        typeof v[idx.timeSource] === 'string';
      if (!whole) continue;
      const components: ComponentValue[] = [];
      for (const { c, i } of componentIdx) {
        const value = i >= 0 ? v[i] : null;
        if (typeof value === 'number') components.push({ name: c.name, code: c.loinc, value, unit: c.unit });
      }
      if (components.length === 0) continue;
      const receivedAt = v[idx.receivedAt];
      const manual = v[idx.source] === ENTRY.manual;
      const enteredBy = manual ? text(v, idx.enteredBy) : undefined;
      const enteredRole = manual ? text(v, idx.role) : undefined;
      const supersededBy = manual ? text(v, idx.supersededBy) : undefined;
      const attribution = isAttribution(v[idx.attribution]) ? v[idx.attribution] as Attribution : undefined;
      rows.push({
        id: String(v[idx.id]),
        kind,
        measuredAt: new Date(Number(v[idx.time])).toISOString(),
        receivedAt: typeof receivedAt === 'number' ? new Date(receivedAt).toISOString() : undefined,
        deviceId: text(v, idx.device) ?? '',
        gatewayId: text(v, idx.gateway) ?? '',
        userIndex: userIndexOfRow(s.columns, v),
        components,
        late: v[idx.late] === true,
        clockSuspect: v[idx.clockSuspect] === true,
        implausible: v[idx.implausible] === true,
        source: manual ? 'manual' : 'device',
        ...(enteredBy && { enteredBy }),
        ...(enteredRole && { enteredRole }),
        ...(supersededBy && { supersededBy }),
        ...(attribution && { attribution }),
      });
    }
  }
  return rows;
}

const timeOf = (r: ReadingRow) => Date.parse(r.measuredAt);

/** (time, id) order, ascending or descending. */
function comparator(order: 'asc' | 'desc') {
  const sign = order === 'desc' ? -1 : 1;
  return (a: ReadingRow, b: ReadingRow) => sign * (timeOf(a) - timeOf(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function createReadingsRepository(influx: InfluxV1Client): ReadingsRepository {
  async function select(kind: VitalKind, where: string, params: Record<string, string>, order: 'asc' | 'desc', limit?: number): Promise<ReadingRow[]> {
    const measurement = quoteIdent(CATALOGUE[kind].measurement);
    const limitClause = limit === undefined ? '' : ` LIMIT ${Math.trunc(limit)}`;
    const series = await influx.query(`SELECT *, ${USER_INDEX_SELECT} FROM ${measurement} WHERE "patient" = $patient AND ${where} ORDER BY time ${order === 'desc' ? 'DESC' : 'ASC'}${limitClause}`, params);
    return rowsFromSeries(kind, series);
  }

  return {
    async list(query) {
      return select(query.kind, 'time >= $from AND time < $to', { patient: query.patientId, from: query.from.toISOString(), to: query.to.toISOString() }, query.order ?? 'asc', query.limit);
    },

    async page(query) {
      const order = query.order ?? 'asc';
      const asc = order === 'asc';
      const limit = Math.trunc(query.limit);
      const base = { patient: query.patientId, from: query.from.toISOString(), to: query.to.toISOString() };
      const at = (t: number) => select(query.kind, 'time = $at', { patient: query.patientId, at: new Date(t).toISOString() }, order);
      const after = query.after;

      // Readings at the cursor's own time that come after it by id (ties across devices).
      let ties: ReadingRow[] = [];
      let where = 'time >= $from AND time < $to';
      const params: Record<string, string> = { ...base };
      if (after) {
        const inRange = after.t >= query.from.getTime() && after.t < query.to.getTime();
        if (inRange) ties = (await at(after.t)).filter((r) => (asc ? r.id > after.id : r.id < after.id));
        params.cursor = new Date(after.t).toISOString();
        where += asc ? ' AND time > $cursor' : ' AND time < $cursor';
      }
      let rest = await select(query.kind, where, params, order, limit + 1);
      // InfluxDB's LIMIT may cut the last timestamp's group short; fetch that group whole so the
      // (time, id) order is exact up to the end of what we hold.
      const truncated = rest.length > limit;
      const last = rest[rest.length - 1];
      if (truncated && last) {
        const lastT = timeOf(last);
        rest = [...rest.filter((r) => timeOf(r) !== lastT), ...(await at(lastT))];
      }
      const all = [...ties.sort(comparator(order)), ...rest.sort(comparator(order))];
      const rows = all.slice(0, limit);
      const end = rows[rows.length - 1];
      const more = all.length > limit || truncated;
      return { rows, next: more && end ? { t: timeOf(end), id: end.id } : undefined };
    },
  };
}
