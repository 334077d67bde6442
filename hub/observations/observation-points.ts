/**
 * An entered observation as an InfluxDB point, beside device readings of the same kind: tags patient,
 * source=manual and entered_by, the reading meta fields every reader expects (reading-points.ts), and
 * the entry's own fields (role, entry id, what it corrects). Entries are rare, so this builds Points
 * (the hot path's hand-made lines are for device readings only).
 */
import { Point } from '@influxdata/influxdb-client';
import { ATTRIBUTION_FIELD } from '../../contract/attribution.js';
import type { Role } from '../registry/registry.js';
import { META_FIELDS } from '../storage/reading-points.js';
import { ENTRY, measurementOf, type Acvpu, type ObservationKind } from '../../contract/entered-observations.js';

/** The value of one observation: catalogue components for vitals, or one of the entered-only kinds. */
export type ObservationValue =
  | { readonly kind: 'consciousness'; readonly acvpu: Acvpu }
  | { readonly kind: 'supplemental_oxygen'; readonly onOxygen: boolean; readonly oxygenFlow?: number }
  | { readonly kind: Exclude<ObservationKind, 'consciousness' | 'supplemental_oxygen'>; readonly components: Readonly<Record<string, number>> };

export interface EnteredObservation {
  readonly id: string;
  readonly entryId: string;
  readonly patientId: string;
  readonly value: ObservationValue;
  readonly observedAt: Date;
  /** Server time when it was entered. */
  readonly enteredAt: Date;
  readonly enteredBy: string;
  readonly role: Role;
  readonly supersedes: readonly string[];
  /** 0 for a first entry; one more than the highest revision it corrects (ENTRY.revisionTag). */
  readonly revision: number;
  /** The room's gateway when entered during a measurement session there. */
  readonly gatewayId?: string;
}


export function observationPoint(o: EnteredObservation): Point {
  const point = new Point(measurementOf(o.value.kind))
    .tag('patient', o.patientId)
    .tag(ENTRY.sourceTag, ENTRY.manual)
    .tag(ENTRY.enteredByTag, o.enteredBy)
    .stringField(META_FIELDS.id, o.id)
    .intField(META_FIELDS.receivedAt, o.enteredAt.getTime())
    .booleanField(META_FIELDS.late, false)
    .booleanField(META_FIELDS.clockSuspect, false)
    .booleanField(META_FIELDS.implausible, false)
    .stringField(META_FIELDS.timeSource, 'entered')
    .stringField(ENTRY.role, o.role)
    .stringField(ENTRY.entryId, o.entryId)
    .stringField(ATTRIBUTION_FIELD, 'entered')
    .timestamp(String(o.observedAt.getTime()));
  if (o.gatewayId) point.tag('gateway', o.gatewayId);
  if (o.revision > 0) point.tag(ENTRY.revisionTag, String(o.revision));
  if (o.supersedes.length > 0) point.stringField(ENTRY.supersedes, o.supersedes.join(','));
  const v = o.value;
  if (v.kind === 'consciousness') point.stringField(ENTRY.acvpu, v.acvpu);
  else if (v.kind === 'supplemental_oxygen') {
    point.booleanField(ENTRY.onOxygen, v.onOxygen);
    if (v.oxygenFlow !== undefined) point.floatField(ENTRY.oxygenFlow, v.oxygenFlow);
  } else for (const [name, value] of Object.entries(v.components)) point.floatField(name, value);
  return point;
}

/** The point that marks a stored observation as corrected: its own series and time, one field more. */
export function supersededMarker(target: StoredObservationKey, supersededBy: string): Point {
  const point = new Point(measurementOf(target.kind)).timestamp(String(target.observedAt.getTime())).stringField(ENTRY.supersededBy, supersededBy);
  for (const [key, value] of Object.entries(target.tags)) if (value) point.tag(key, value);
  return point;
}

/** Where a stored observation lives: enough to write onto the same point again. */
export interface StoredObservationKey {
  readonly id: string;
  readonly kind: ObservationKind;
  readonly observedAt: Date;
  /** Every tag of its series, as read back. */
  readonly tags: Readonly<Record<string, string>>;
}

export function lineOf(point: Point): string {
  const line = point.toLineProtocol();
  if (line === undefined) throw new Error('observation produced an empty point');
  return line;
}
