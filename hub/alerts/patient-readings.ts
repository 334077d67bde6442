/**
 * Reads a patient's recent readings of every kind from InfluxDB for the rules: one InfluxQL query
 * over all measurements (one series per measurement comes back), by measurement time, at most the
 * newest MAX_PER_KIND of each kind. A resident takes a few readings a day, so the cap
 * never binds for one; it bounds the cost of evaluating a device that floods (a memory dump, a
 * monitor streaming every second) to what the rules need: the newest values and a large sample for
 * medians and minima. Also the newest measurement time per kind (`last()`), for schedules that
 * reach further back than the history the rules need.
 */
import { CATALOGUE, VITAL_KINDS, type VitalKind } from '../../contract/index.js';
import { quoteIdent, type InfluxSeries, type InfluxV1Client } from '../storage/influx-v1.js';
import { META_FIELDS } from '../storage/reading-points.js';
import { ENTRY } from '../../contract/entered-observations.js';
import { isAcvpu, observationsFromSeries } from '../observations/observation-store.js';
import type { AssistedObservations, ReadingLike } from './rules/index.js';

export interface PatientReading extends ReadingLike {
  readonly measuredAt: Date;
  readonly deviceId: string;
  readonly gatewayId: string;
  readonly late: boolean;
  readonly implausible: boolean;
  readonly source?: 'device' | 'manual';
}

export interface PatientReadingsSource {
  /** Readings measured in [from, to], oldest first. */
  recent(patientId: string, from: Date, to: Date): Promise<PatientReading[]>;
  /** Newest measurement time per kind, for the given kinds. */
  lastTimes(patientId: string, kinds: readonly VitalKind[]): Promise<Partial<Record<VitalKind, Date>>>;
  /**
   * The newest consciousness (ACVPU) and supplemental-oxygen entries measured in [from, to], not
   * corrected by a later entry (hub/observations). Optional: a source without it scores NEWS2 from
   * readings alone.
   */
  assisted?(patientId: string, from: Date, to: Date): Promise<AssistedObservations>;
}

/** Readings of one kind an evaluation reads at most. */
export const MAX_PER_KIND = 500;

const KIND_OF_MEASUREMENT = new Map<string, VitalKind>(VITAL_KINDS.map((k) => [CATALOGUE[k].measurement, k]));

function fromList(kinds: readonly VitalKind[]): string {
  return kinds.map((k) => quoteIdent(CATALOGUE[k].measurement)).join(', ');
}

/**
 * Readings from query results. A point caught mid-write is skipped: InfluxDB 1.x makes a point's
 * fields visible one by one, and a backfilled reading seen before its `late` flag would page as if
 * current. Every stored reading has its id and flags (reading-points.ts); the skipped one is
 * evaluated whole when its own write is confirmed (the engine is told after InfluxDB's 204).
 */
export function readingsFromSeries(series: readonly InfluxSeries[]): PatientReading[] {
  const out: PatientReading[] = [];
  for (const s of series) {
    const kind = KIND_OF_MEASUREMENT.get(s.name);
    if (!kind) continue;
    const col = (name: string) => s.columns.indexOf(name);
    const idx = {
      time: col('time'),
      id: col(META_FIELDS.id),
      device: col('device'),
      gateway: col('gateway'),
      late: col(META_FIELDS.late),
      implausible: col(META_FIELDS.implausible),
      source: col(ENTRY.sourceTag),
      supersededBy: col(ENTRY.supersededBy),
    };
    const components = CATALOGUE[kind].components.map((c) => ({ name: c.name, index: col(c.name) })).filter((c) => c.index >= 0);
    for (const v of s.values) {
      if (typeof v[idx.id] !== 'string' || typeof v[idx.late] !== 'boolean' || typeof v[idx.implausible] !== 'boolean') continue;
      // An entry corrected by a later one is history, not a current value.
      if (idx.supersededBy >= 0 && typeof v[idx.supersededBy] === 'string') continue;
      const manual = idx.source >= 0 && v[idx.source] === ENTRY.manual;
      const values = components.flatMap((c) => (typeof v[c.index] === 'number' ? [{ name: c.name, value: v[c.index] as number }] : []));
      if (values.length === 0) continue;
      out.push({
        id: String(v[idx.id]),
        kind,
        measuredAt: new Date(Number(v[idx.time])),
        deviceId: typeof v[idx.device] === 'string' ? (v[idx.device] as string) : '',
        gatewayId: typeof v[idx.gateway] === 'string' ? (v[idx.gateway] as string) : '',
        components: values,
        late: v[idx.late] === true,
        implausible: v[idx.implausible] === true,
        ...(manual && { source: 'manual' as const }),
      });
    }
  }
  return out.sort((a, b) => a.measuredAt.getTime() - b.measuredAt.getTime());
}

export function influxPatientReadings(influx: InfluxV1Client): PatientReadingsSource {
  return {
    async recent(patientId, from, to) {
      // Without GROUP BY each measurement (kind) is one series, and InfluxQL applies LIMIT per series.
      const series = await influx.query(`SELECT * FROM ${fromList(VITAL_KINDS)} WHERE "patient" = $patient AND time >= $from AND time <= $to ORDER BY time DESC LIMIT ${MAX_PER_KIND}`, {
        patient: patientId,
        from: from.toISOString(),
        to: to.toISOString(),
      });
      return readingsFromSeries(series);
    },
    async lastTimes(patientId, kinds) {
      if (kinds.length === 0) return {};
      const series = await influx.query(`SELECT last(${quoteIdent(META_FIELDS.id)}) FROM ${fromList(kinds)} WHERE "patient" = $patient`, { patient: patientId });
      const out: Partial<Record<VitalKind, Date>> = {};
      for (const s of series) {
        const kind = KIND_OF_MEASUREMENT.get(s.name);
        const t = s.values[0]?.[s.columns.indexOf('time')];
        if (kind && t !== undefined && t !== null) out[kind] = new Date(Number(t));
      }
      return out;
    },
    async assisted(patientId, from, to) {
      const series = await influx.query(
        `SELECT * FROM "consciousness", "supplemental_oxygen" WHERE "patient" = $patient AND ${quoteIdent(ENTRY.sourceTag)} = '${ENTRY.manual}' AND time >= $from AND time <= $to ORDER BY time DESC LIMIT 20`,
        { patient: patientId, from: from.toISOString(), to: to.toISOString() },
      );
      return assistedFromObservations(observationsFromSeries(series));
    },
  };
}

/** The newest uncorrected ACVPU and oxygen entries. */
export function assistedFromObservations(list: ReturnType<typeof observationsFromSeries>): AssistedObservations {
  let consciousness: AssistedObservations['consciousness'];
  let onOxygen: AssistedObservations['onOxygen'];
  for (const o of list) {
    if (o.supersededBy) continue;
    const acvpu = o.values[ENTRY.acvpu];
    const oxygen = o.values[ENTRY.onOxygen];
    if (o.kind === 'consciousness' && isAcvpu(acvpu) && (!consciousness || consciousness.at <= o.observedAt)) consciousness = { value: acvpu, at: o.observedAt, id: o.id };
    if (o.kind === 'supplemental_oxygen' && typeof oxygen === 'boolean' && (!onOxygen || onOxygen.at <= o.observedAt)) onOxygen = { value: oxygen, at: o.observedAt, id: o.id };
  }
  return { ...(consciousness && { consciousness }), ...(onOxygen && { onOxygen }) };
}
