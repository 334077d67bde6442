/**
 * The hot-path twin of reading-points.ts' toLineProtocol: the same line, byte for byte, built without
 * a Point object per reading (which cost about a third of ingest's CPU in a profile of the ingest
 * benchmark). Byte-identical output matters beyond tidiness: a reading spooled by one version and
 * replayed by another must be the same point. reading-line.test.ts checks equality with Point on
 * random readings, including every character line protocol escapes.
 *
 * Rules, as @influxdata/influxdb-client's Point applies them (InfluxDB line protocol reference):
 * measurement escapes `,` space \n \r \t; tag keys, tag values and field keys escape `,` `=` space
 * \n \r \t; string field values are quoted, escaping `"` and `\`; tags and fields sorted by key.
 */
import { CATALOGUE } from '../../contract/index.js';
import { META_FIELDS, UNASSIGNED_PATIENT, type StoredReading } from './reading-points.js';

const TAG_SPECIAL = /[, =\n\r\t]/;
const TAG_ESCAPES: Readonly<Record<string, string>> = { ',': '\\,', ' ': '\\ ', '=': '\\=', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const MEASUREMENT_SPECIAL = /[, \n\r\t]/;
const QUOTED_SPECIAL = /["\\]/;

export function escapeTag(value: string): string {
  return TAG_SPECIAL.test(value) ? value.replace(/[, =\n\r\t]/g, (c) => TAG_ESCAPES[c]!) : value;
}

function escapeMeasurement(value: string): string {
  return MEASUREMENT_SPECIAL.test(value) ? value.replace(/[, \n\r\t]/g, (c) => TAG_ESCAPES[c]!) : value;
}

function quoted(value: string): string {
  return QUOTED_SPECIAL.test(value) ? `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"` : `"${value}"`;
}

function integer(name: string, value: number): string {
  // Point.intField's range check: beyond int64 InfluxDB would refuse the point.
  if (Number.isNaN(value) || value <= -9223372036854776e3 || value >= 9223372036854776e3) throw new Error(`invalid integer value for field '${name}': '${value}'!`);
  return `${Math.floor(value)}i`;
}

const byKey = (a: readonly [string, string], b: readonly [string, string]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/**
 * Per kind, every field a reading may have — the meta fields and the catalogue's components — in
 * Point's order (sorted by name), so the common case needs no sort and no array per reading.
 */
const FIELD_ORDER: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.values(CATALOGUE).map((spec) => [spec.kind, [...Object.values(META_FIELDS), ...spec.components.map((c) => c.name)].sort()]),
);
const NEEDS_NO_ESCAPE = Object.values(FIELD_ORDER).every((names) => names.every((n) => n.length > 0 && !TAG_SPECIAL.test(n)));

function metaValue(stored: StoredReading, name: string): string | undefined {
  const { reading } = stored;
  switch (name) {
    case META_FIELDS.id:
      return quoted(reading.id);
    case META_FIELDS.receivedAt:
      return integer(name, Date.parse(reading.receivedAt));
    case META_FIELDS.late:
      return reading.late ? 'T' : 'F';
    case META_FIELDS.clockSuspect:
      return reading.clockSuspect ? 'T' : 'F';
    case META_FIELDS.implausible:
      return stored.implausible ? 'T' : 'F';
    case META_FIELDS.timeSource:
      return quoted(reading.timeSource);
    case META_FIELDS.userIndex:
      return reading.device.userIndex === undefined ? undefined : integer(name, reading.device.userIndex);
    default:
      return undefined;
  }
}

const META_NAMES = new Set<string>(Object.values(META_FIELDS));

/** Fields in catalogue order when every component is a distinct catalogue component of the kind; else undefined. */
function knownFields(stored: StoredReading): string | undefined {
  const order = FIELD_ORDER[stored.reading.kind];
  if (!order || !NEEDS_NO_ESCAPE) return undefined;
  const components = stored.reading.components;
  let text = '';
  let used = 0;
  for (const name of order) {
    let value: string | undefined;
    if (META_NAMES.has(name)) value = metaValue(stored, name);
    else {
      for (const c of components) {
        if (c.name !== name) continue;
        if (value !== undefined) return undefined; // a duplicate: the general path keeps the last, like Point
        if (!Number.isFinite(c.value)) throw new Error(`invalid float value for field '${c.name}': ${c.value}`);
        value = String(c.value);
        used++;
      }
    }
    if (value !== undefined) text += text ? `,${name}=${value}` : `${name}=${value}`;
  }
  return used === components.length ? text : undefined;
}

/** One reading as one line of InfluxDB line protocol (ms timestamps); equal to toLineProtocol(stored). */
export function readingLine(stored: StoredReading): string {
  const { reading } = stored;
  const fieldText = knownFields(stored) ?? generalFields(stored);
  // Tags in key order; like Point, a tag with an empty value is left out.
  const patient = stored.patientId ?? UNASSIGNED_PATIENT;
  let tagText = '';
  if (reading.device.id) tagText += `,device=${escapeTag(reading.device.id)}`;
  if (stored.gatewayId) tagText += `,gateway=${escapeTag(stored.gatewayId)}`;
  if (patient) tagText += `,patient=${escapeTag(patient)}`;
  return `${escapeMeasurement(CATALOGUE[reading.kind].measurement)}${tagText} ${fieldText} ${Date.parse(reading.measuredAt)}`;
}

/** Any fields, sorted as Point sorts them: the path for readings outside the catalogue's shape. */
function generalFields(stored: StoredReading): string {
  const { reading } = stored;
  const fields: [string, string][] = [
    [META_FIELDS.id, quoted(reading.id)],
    [META_FIELDS.receivedAt, integer(META_FIELDS.receivedAt, Date.parse(reading.receivedAt))],
    [META_FIELDS.late, reading.late ? 'T' : 'F'],
    [META_FIELDS.clockSuspect, reading.clockSuspect ? 'T' : 'F'],
    [META_FIELDS.implausible, stored.implausible ? 'T' : 'F'],
    [META_FIELDS.timeSource, quoted(reading.timeSource)],
  ];
  if (reading.device.userIndex !== undefined) fields.push([META_FIELDS.userIndex, integer(META_FIELDS.userIndex, reading.device.userIndex)]);
  for (const component of reading.components) {
    if (!Number.isFinite(component.value)) throw new Error(`invalid float value for field '${component.name}': ${component.value}`);
    fields.push([component.name, String(component.value)]);
  }
  fields.sort(byKey); // stable: of equal names, the one set last comes last
  let fieldText = '';
  for (let i = 0; i < fields.length; i++) {
    const [name, value] = fields[i]!;
    // Like Point: a name set twice keeps its last value; an empty name is dropped.
    if (!name || fields[i + 1]?.[0] === name) continue;
    fieldText += `${fieldText ? ',' : ''}${escapeTag(name)}=${value}`;
  }
  return fieldText;
}
