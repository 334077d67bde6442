/** Reads stored readings back out of InfluxDB for the API. */
import { CATALOGUE, type ComponentValue, type VitalKind } from '../../contract/index.js';
import { META_FIELDS } from './reading-points.js';
import { quoteIdent, type InfluxV1Client } from './influx-v1.js';

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
}

export interface ListReadingsQuery {
  readonly patientId: string;
  readonly kind: VitalKind;
  readonly from: Date;
  readonly to: Date;
  readonly limit: number;
  readonly order?: 'asc' | 'desc';
}

export interface ReadingsRepository {
  list(query: ListReadingsQuery): Promise<ReadingRow[]>;
}

export function createReadingsRepository(influx: InfluxV1Client): ReadingsRepository {
  return {
    async list(query) {
      const spec = CATALOGUE[query.kind];
      const series = await influx.query(
        `SELECT * FROM ${quoteIdent(spec.measurement)} WHERE "patient" = $patient AND time >= $from AND time < $to ORDER BY time ${query.order === 'desc' ? 'DESC' : 'ASC'} LIMIT ${Math.trunc(query.limit)}`,
        { patient: query.patientId, from: query.from.toISOString(), to: query.to.toISOString() },
      );
      const rows: ReadingRow[] = [];
      for (const s of series) {
        const col = (name: string) => s.columns.indexOf(name);
        const idx = {
          time: col('time'),
          id: col(META_FIELDS.id),
          receivedAt: col(META_FIELDS.receivedAt),
          device: col('device'),
          gateway: col('gateway'),
          userIndex: col(META_FIELDS.userIndex),
          late: col(META_FIELDS.late),
          clockSuspect: col(META_FIELDS.clockSuspect),
          implausible: col(META_FIELDS.implausible),
        };
        for (const v of s.values) {
          const components: ComponentValue[] = [];
          for (const c of spec.components) {
            const i = col(c.name);
            const value = i >= 0 ? v[i] : null;
            if (typeof value === 'number') components.push({ name: c.name, code: c.loinc, value, unit: c.unit });
          }
          const receivedAt = v[idx.receivedAt];
          const userIndex = v[idx.userIndex];
          rows.push({
            id: String(v[idx.id]),
            kind: query.kind,
            measuredAt: new Date(Number(v[idx.time])).toISOString(),
            receivedAt: typeof receivedAt === 'number' ? new Date(receivedAt).toISOString() : undefined,
            deviceId: String(v[idx.device]),
            gatewayId: String(v[idx.gateway]),
            userIndex: typeof userIndex === 'number' ? userIndex : undefined,
            components,
            late: v[idx.late] === true,
            clockSuspect: v[idx.clockSuspect] === true,
            implausible: v[idx.implausible] === true,
          });
        }
      }
      return rows;
    },
  };
}
