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
import { CATALOGUE, type VitalKind } from '../../contract/index.js';
import { instantMs } from './instant-ms.js';
import { META_FIELDS, UNASSIGNED_PATIENT, USER_INDEX_TAG, type StoredReading } from './reading-points.js';

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

/** The meta fields, as small integers so the hot loop switches on a number. */
const META = { id: 1, receivedAt: 2, late: 3, clockSuspect: 4, implausible: 5, timeSource: 6, attribution: 7 } as const;
const META_CODE: Readonly<Record<string, number>> = Object.fromEntries(Object.entries(META_FIELDS).map(([key, name]) => [name, META[key as keyof typeof META]]));

/**
 * Per kind, every field a reading may have — the meta fields and the catalogue's components — in
 * Point's order (sorted by name), with the text that precedes each value, so that the common case
 * needs no sort, no escaping and no array per reading.
 */
interface KindPlan {
  /** `,name=` per slot in field order, and `name=` for the first field written. */
  readonly prefix: readonly string[];
  readonly bare: readonly string[];
  readonly meta: readonly number[];
  /** Slot of each catalogue component of the kind. */
  readonly componentSlot: ReadonlyMap<string, number>;
}

const PLANS: Readonly<Record<string, KindPlan>> = Object.fromEntries(
  Object.values(CATALOGUE).map((spec) => {
    const names = [...Object.values(META_FIELDS), ...spec.components.map((c) => c.name)].sort();
    return [
      spec.kind,
      {
        prefix: names.map((n) => `,${n}=`),
        bare: names.map((n) => `${n}=`),
        meta: names.map((n) => META_CODE[n] ?? 0),
        componentSlot: new Map(names.flatMap((n, i) => (META_CODE[n] === undefined ? [[n, i] as const] : []))),
      },
    ];
  }),
);
const NEEDS_NO_ESCAPE = Object.values(PLANS).every((plan) => plan.prefix.every((p) => p.length > 2 && !TAG_SPECIAL.test(p.slice(1, -1))));

function metaValue(stored: StoredReading, code: number): string | undefined {
  const { reading } = stored;
  switch (code) {
    case META.id:
      return quoted(reading.id);
    case META.receivedAt:
      return integer(META_FIELDS.receivedAt, instantMs(reading.receivedAt));
    case META.late:
      return reading.late ? 'T' : 'F';
    case META.clockSuspect:
      return reading.clockSuspect ? 'T' : 'F';
    case META.implausible:
      return stored.implausible ? 'T' : 'F';
    case META.timeSource:
      return quoted(reading.timeSource);
    case META.attribution:
      return stored.attribution ? quoted(stored.attribution) : undefined;
    default:
      return undefined;
  }
}

/** Component values by slot, reused across calls (ingest is single-threaded and this is not re-entrant). */
const scratch: (string | undefined)[] = [];

/** Fields in catalogue order when every component is a distinct catalogue component of the kind; else undefined. */
function knownFields(stored: StoredReading): string | undefined {
  const plan = PLANS[stored.reading.kind];
  if (!plan || !NEEDS_NO_ESCAPE) return undefined;
  const components = stored.reading.components;
  let known = true;
  for (const c of components) {
    const slot = plan.componentSlot.get(c.name);
    // Unknown or duplicate names take the general path (which keeps the last, like Point).
    if (slot === undefined || scratch[slot] !== undefined) {
      known = false;
      break;
    }
    if (!Number.isFinite(c.value)) {
      scratch.fill(undefined);
      throw new Error(`invalid float value for field '${c.name}': ${c.value}`);
    }
    scratch[slot] = String(c.value);
  }
  if (!known) {
    scratch.fill(undefined);
    return undefined;
  }
  let text = '';
  const { prefix, bare, meta } = plan;
  for (let i = 0; i < prefix.length; i++) {
    let value: string | undefined;
    if (meta[i] !== 0) value = metaValue(stored, meta[i]!);
    else {
      value = scratch[i];
      scratch[i] = undefined;
    }
    if (value !== undefined) text += text ? prefix[i]! + value : bare[i]! + value;
  }
  return text;
}

/** One reading as one line of InfluxDB line protocol (ms timestamps); equal to toLineProtocol(stored). */
export function readingLine(stored: StoredReading): string {
  const { reading } = stored;
  const fieldText = knownFields(stored) ?? generalFields(stored);
  // user_index sorts after patient, the last of the other tags, so it is appended to the cached key;
  // a number's text (String, as Point writes a tag) never holds a character line protocol escapes.
  const userTag = reading.device.userIndex === undefined ? '' : `,${USER_INDEX_TAG}=${reading.device.userIndex}`;
  return `${seriesKey(reading.kind, reading.device.id, stored.gatewayId, stored.patientId ?? UNASSIGNED_PATIENT)}${userTag} ${fieldText} ${instantMs(reading.measuredAt)}`;
}

/** The last series key built, but for user_index: a message's readings mostly share kind, device, gateway and patient. */
const lastKey = { kind: '', device: '', gateway: '', patient: '', text: '' };

/** Measurement and tags but user_index, in key order; like Point, a tag with an empty value is left out. */
function seriesKey(kind: VitalKind, device: string, gateway: string, patient: string): string {
  const k = lastKey;
  if (k.kind === kind && k.device === device && k.gateway === gateway && k.patient === patient && k.text) return k.text;
  let text = escapeMeasurement(CATALOGUE[kind].measurement);
  if (device) text += `,device=${escapeTag(device)}`;
  if (gateway) text += `,gateway=${escapeTag(gateway)}`;
  if (patient) text += `,patient=${escapeTag(patient)}`;
  k.kind = kind;
  k.device = device;
  k.gateway = gateway;
  k.patient = patient;
  k.text = text;
  return text;
}

/** Any fields, sorted as Point sorts them: the path for readings outside the catalogue's shape. */
function generalFields(stored: StoredReading): string {
  const fields: [string, string][] = [];
  // In Point's order of setting them (toPoint): the meta fields first, as metaValue renders them.
  for (const [key, name] of Object.entries(META_FIELDS)) {
    const value = metaValue(stored, META[key as keyof typeof META]);
    if (value !== undefined) fields.push([name, value]);
  }
  for (const component of stored.reading.components) {
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
