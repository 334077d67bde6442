/**
 * Entered observations in InfluxDB: written straight to InfluxDB (durable at its 204; an entry is a
 * person waiting at a screen, who sees an error and can retry, unlike a gateway's batch that goes
 * through the spool), looked up by id for corrections, listed per patient.
 */
import { META_FIELDS } from '../storage/reading-points.js';
import { quoteIdent, type InfluxSeries, type InfluxV1Client } from '../storage/influx-v1.js';
import { ENTRY, ACVPU, OBSERVATION_KINDS, measurementOf, observationKindOf, type Acvpu, type ObservationKind } from '../../contract/entered-observations.js';
import { lineOf, observationPoint, supersededMarker, type EnteredObservation, type StoredObservationKey } from './observation-points.js';

/** Tags an observation's series may carry (observation-points.ts). */
const TAGS = ['patient', ENTRY.sourceTag, ENTRY.enteredByTag, 'gateway', ENTRY.revisionTag] as const;

export interface StoredObservation extends StoredObservationKey {
  readonly entryId: string | undefined;
  readonly enteredBy: string;
  readonly role: string;
  readonly enteredAt: Date | undefined;
  readonly supersedes: readonly string[];
  readonly supersededBy: string | undefined;
  readonly revision: number;
  /** Vital components, or acvpu / onOxygen / oxygenFlow. */
  readonly values: Readonly<Record<string, number | string | boolean>>;
}

export interface ObservationStore {
  /** Writes the new observations and marks the corrected ones, in one InfluxDB write. */
  record(observations: readonly EnteredObservation[], corrected: readonly { target: StoredObservationKey; by: string }[]): Promise<void>;
  /** The patient's entered observations with these ids (any that are absent are left out). */
  find(patientId: string, ids: readonly string[]): Promise<StoredObservation[]>;
  /** The patient's entered observations measured at exactly this instant (ms). */
  at(patientId: string, observedAt: Date): Promise<StoredObservation[]>;
  /** The patient's entered observations measured in [from, to), oldest first. */
  list(patientId: string, from: Date, to: Date): Promise<StoredObservation[]>;
}

const ALL = OBSERVATION_KINDS.map((k) => quoteIdent(measurementOf(k))).join(', ');
const VALUE_FIELDS = new Set<string>([ENTRY.acvpu, ENTRY.onOxygen, ENTRY.oxygenFlow]);
const NOT_VALUES = new Set<string>(['time', ...TAGS, 'device', 'user_index', ...Object.values(META_FIELDS), ENTRY.role, ENTRY.entryId, ENTRY.supersedes, ENTRY.supersededBy, 'attribution']);

/** Observations from query results; a point caught mid-write (no id or no author yet) is skipped. */
export function observationsFromSeries(series: readonly InfluxSeries[]): StoredObservation[] {
  const out: StoredObservation[] = [];
  for (const s of series) {
    const kind = observationKindOf(s.name);
    if (!kind) continue;
    const col = (name: string) => s.columns.indexOf(name);
    for (const v of s.values) {
      const get = (name: string) => v[col(name)];
      const id = get(META_FIELDS.id);
      const enteredBy = get(ENTRY.enteredByTag);
      if (typeof id !== 'string' || typeof enteredBy !== 'string' || get(ENTRY.sourceTag) !== ENTRY.manual) continue;
      const tags: Record<string, string> = {};
      for (const t of TAGS) {
        const value = get(t);
        if (typeof value === 'string' && value) tags[t] = value;
      }
      const values: Record<string, number | string | boolean> = {};
      s.columns.forEach((c, i) => {
        const value = v[i];
        if (NOT_VALUES.has(c) || value === null || value === undefined) return;
        if (typeof value === 'number' || (VALUE_FIELDS.has(c) && (typeof value === 'string' || typeof value === 'boolean'))) values[c] = value;
      });
      if (Object.keys(values).length === 0) continue;
      const str = (name: string) => (typeof get(name) === 'string' ? (get(name) as string) : undefined);
      const enteredAt = get(META_FIELDS.receivedAt);
      out.push({
        id,
        kind,
        observedAt: new Date(Number(get('time'))),
        tags,
        entryId: str(ENTRY.entryId),
        enteredBy,
        role: str(ENTRY.role) ?? '',
        enteredAt: typeof enteredAt === 'number' ? new Date(enteredAt) : undefined,
        supersedes: str(ENTRY.supersedes)?.split(',').filter(Boolean) ?? [],
        supersededBy: str(ENTRY.supersededBy),
        revision: /^\d+$/.test(tags[ENTRY.revisionTag] ?? '') ? Number(tags[ENTRY.revisionTag]) : 0,
        values,
      });
    }
  }
  return out.sort((a, b) => a.observedAt.getTime() - b.observedAt.getTime() || (a.id < b.id ? -1 : 1));
}

export function isAcvpu(value: unknown): value is Acvpu {
  return typeof value === 'string' && (ACVPU as readonly string[]).includes(value);
}

export function influxObservationStore(influx: InfluxV1Client): ObservationStore {
  const manual = `${quoteIdent(ENTRY.sourceTag)} = '${ENTRY.manual}'`;
  return {
    async record(observations, corrected) {
      const lines = [...observations.map((o) => lineOf(observationPoint(o))), ...corrected.map((c) => lineOf(supersededMarker(c.target, c.by)))];
      if (lines.length > 0) await influx.write(lines);
    },
    async find(patientId, ids) {
      if (ids.length === 0) return [];
      const params: Record<string, string> = { patient: patientId };
      const byId = ids.map((id, i) => {
        params[`id${i}`] = id;
        return `${quoteIdent(META_FIELDS.id)} = $id${i}`;
      });
      const series = await influx.query(`SELECT * FROM ${ALL} WHERE "patient" = $patient AND ${manual} AND (${byId.join(' OR ')})`, params);
      return observationsFromSeries(series);
    },
    async at(patientId, observedAt) {
      const series = await influx.query(`SELECT * FROM ${ALL} WHERE "patient" = $patient AND ${manual} AND time = $at`, { patient: patientId, at: observedAt.toISOString() });
      return observationsFromSeries(series);
    },
    async list(patientId, from, to) {
      const series = await influx.query(`SELECT * FROM ${ALL} WHERE "patient" = $patient AND ${manual} AND time >= $from AND time < $to`, {
        patient: patientId,
        from: from.toISOString(),
        to: to.toISOString(),
      });
      return observationsFromSeries(series);
    },
  };
}

export type { ObservationKind };
