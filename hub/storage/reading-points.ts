/**
 * How a reading becomes an InfluxDB point: one measurement per kind, tags patient / device / gateway
 * (and user_index for a multi-user device), one float field per component, timestamp = measurement
 * time (ms). The same reading always yields the same series key and timestamp, so writing it twice
 * overwrites it: replays are idempotent. user_index is a tag, not a field, so that two users of one
 * device measuring in the same millisecond are two points rather than one overwriting the other.
 */
import { Point } from '@influxdata/influxdb-client';
import type { Attribution } from '../../contract/attribution.js';
import { CATALOGUE, type Reading } from '../../contract/index.js';

/** Tag value for readings whose device is not assigned to any patient (patient ids cannot start with '_'). */
export const UNASSIGNED_PATIENT = '_unassigned';

export interface StoredReading {
  readonly reading: Reading;
  readonly gatewayId: string;
  /** undefined: the device (and user index) is not assigned to a patient at the measurement time. */
  readonly patientId: string | undefined;
  /** At least one component lies outside the catalogue's plausible range (data quality, not clinical). */
  readonly implausible: boolean;
  /** How patientId was determined (contract/attribution.ts); absent for unassigned readings. */
  readonly attribution?: Attribution;
}

/**
 * Tag of a multi-user device's user index; absent when the reading has none. Points written before
 * it became a tag carry a field of this name instead (docs/ingestion.md): readers accept both.
 */
export const USER_INDEX_TAG = 'user_index';

/** Field names besides the components; they never collide with component names (camelCase). */
export const META_FIELDS = {
  id: 'reading_id',
  receivedAt: 'received_at',
  late: 'late',
  clockSuspect: 'clock_suspect',
  implausible: 'implausible',
  timeSource: 'time_source',
  /** Written only when the reading has a patient. */
  attribution: 'attribution',
} as const;

export function toPoint(stored: StoredReading): Point {
  const { reading } = stored;
  const point = new Point(CATALOGUE[reading.kind].measurement)
    .tag('patient', stored.patientId ?? UNASSIGNED_PATIENT)
    .tag('device', reading.device.id)
    .tag('gateway', stored.gatewayId)
    .stringField(META_FIELDS.id, reading.id)
    .intField(META_FIELDS.receivedAt, Date.parse(reading.receivedAt))
    .booleanField(META_FIELDS.late, reading.late)
    .booleanField(META_FIELDS.clockSuspect, reading.clockSuspect)
    .booleanField(META_FIELDS.implausible, stored.implausible)
    .stringField(META_FIELDS.timeSource, reading.timeSource)
    .timestamp(String(Date.parse(reading.measuredAt)));
  if (stored.attribution) point.stringField(META_FIELDS.attribution, stored.attribution);
  if (reading.device.userIndex !== undefined) point.tag(USER_INDEX_TAG, String(reading.device.userIndex));
  for (const component of reading.components) point.floatField(component.name, component.value);
  return point;
}

export function toLineProtocol(stored: StoredReading): string {
  const line = toPoint(stored).toLineProtocol();
  // A point always has fields here (reading_id at least), so toLineProtocol cannot return undefined.
  if (line === undefined) throw new Error('reading produced an empty point');
  return line;
}
