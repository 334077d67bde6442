/**
 * Readings as FHIR R4 vital-signs Observations in a Bundle (type collection), for electronic
 * patient records. Codes and units follow the FHIR R4 Vital Signs profiles (hl7.org/fhir/R4/
 * observation-vitalsigns.html): category vital-signs, LOINC codes, UCUM units, blood pressure as
 * the 85354-9 panel with systolic/diastolic components, SpO2 coded with both 59408-5 and 2708-6.
 * Each Observation carries the reading id as a stable identifier, so a receiver that imports the
 * same period twice can de-duplicate.
 */
import { createHash } from 'node:crypto';
import { CATALOGUE, type ComponentValue, type VitalKind } from '../../../contract/index.js';
import type { ReadingRow } from '../../../hub/storage/readings-repository.js';

export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
export const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
export const IDENTIFIER_SYSTEMS = {
  reading: 'urn:rpm-hub:reading-id',
  patient: 'urn:rpm-hub:patient-id',
  device: 'urn:rpm-hub:device-id',
  /** Registry user ids: who entered an observation (pseudonymous, never a name). */
  user: 'urn:rpm-hub:user-id',
} as const;

const VITALSIGNS = 'http://hl7.org/fhir/StructureDefinition/vitalsigns';
/** FHIR R4 §observation-vitalsigns: the profile of each kind (glucose is not a vital sign there). */
const PROFILE: Readonly<Partial<Record<VitalKind, string>>> = {
  blood_pressure: 'http://hl7.org/fhir/StructureDefinition/bp',
  heart_rate: 'http://hl7.org/fhir/StructureDefinition/heartrate',
  spo2: 'http://hl7.org/fhir/StructureDefinition/oxygensat',
  body_temperature: 'http://hl7.org/fhir/StructureDefinition/bodytemp',
  body_weight: 'http://hl7.org/fhir/StructureDefinition/bodyweight',
  respiratory_rate: 'http://hl7.org/fhir/StructureDefinition/resprate',
};

/** Human-readable unit beside the UCUM code (Quantity.unit). */
const UNIT_TEXT: Readonly<Record<string, string>> = { 'mm[Hg]': 'mmHg', Cel: '°C', '%': '%', kg: 'kg', 'mmol/L': 'mmol/L' };

/** LOINC long common names of the extra codings in the catalogue's `alsoLoinc`. */
const OTHER_LOINC_DISPLAY: Readonly<Record<string, string>> = { '2708-6': 'Oxygen saturation in Arterial blood' };

interface Coding {
  system: string;
  code: string;
  display: string;
}

/** FHIR id datatype: [A-Za-z0-9\-.]{1,64}. */
export function isFhirId(value: string): boolean {
  return /^[A-Za-z0-9\-.]{1,64}$/.test(value);
}

/** A FHIR id for a reading: the reading id itself where it fits, else a hash of it (stable either way). */
export function observationId(readingId: string): string {
  return isFhirId(readingId) ? readingId : `r-${createHash('sha256').update(readingId).digest('hex').slice(0, 40)}`;
}

/** A name-based UUID (RFC 9562 §5.5 layout, SHA-256 instead of SHA-1) for Bundle.entry.fullUrl. */
export function stableUuid(name: string): string {
  const h = createHash('sha256').update(`rpm-hub:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function reference(type: 'Patient' | 'Device', id: string, system: string) {
  return { ...(isFhirId(id) && { reference: `${type}/${id}` }), identifier: { system, value: id } };
}

function quantity(c: ComponentValue, kind: VitalKind) {
  const text = c.unit === '/min' ? (kind === 'respiratory_rate' ? 'breaths/minute' : 'beats/minute') : (UNIT_TEXT[c.unit] ?? c.unit);
  return { value: c.value, unit: text, system: UCUM, code: c.unit };
}

function componentCodings(kind: VitalKind, name: string): Coding[] {
  const spec = CATALOGUE[kind].components.find((c) => c.name === name);
  if (!spec) return [];
  return [spec.loinc, ...(spec.alsoLoinc ?? [])].map((code) => ({ system: LOINC, code, display: code === spec.loinc ? spec.display : (OTHER_LOINC_DISPLAY[code] ?? spec.display) }));
}

export function observationFromReading(row: ReadingRow, patientId: string) {
  const spec = CATALOGUE[row.kind];
  const vital = row.kind !== 'blood_glucose';
  const panel = spec.components.length > 1;
  const code = panel ? [{ system: LOINC, code: spec.loinc, display: spec.display }] : componentCodings(row.kind, spec.components[0]!.name);
  const notes = [
    ...(row.late ? ['Downloaded from the device memory long after it was measured.'] : []),
    ...(row.clockSuspect ? ["The device's clock was far off; the measurement time is uncertain."] : []),
    ...(row.implausible ? ['Outside the physiologically plausible range: a data-quality flag, check the device.'] : []),
    ...(row.source === 'manual' ? [`Entered by a person (${row.enteredRole ?? 'staff'}), not sent by a device.`] : []),
    ...(row.supersededBy ? [`Corrected by the observation with identifier ${row.supersededBy}.`] : []),
  ];
  const manual = row.source === 'manual';
  const profile = PROFILE[row.kind];
  return {
    resourceType: 'Observation' as const,
    id: observationId(row.id),
    meta: { profile: vital ? [VITALSIGNS, ...(profile ? [profile] : [])] : [] },
    identifier: [{ use: 'official' as const, system: IDENTIFIER_SYSTEMS.reading, value: row.id }],
    // A corrected entry stays, as FHIR keeps a value charted by mistake: entered-in-error.
    status: row.supersededBy ? ('entered-in-error' as const) : ('final' as const),
    category: [
      vital
        ? { coding: [{ system: OBSERVATION_CATEGORY, code: 'vital-signs', display: 'Vital Signs' }], text: 'Vital Signs' }
        : { coding: [{ system: OBSERVATION_CATEGORY, code: 'laboratory', display: 'Laboratory' }], text: 'Laboratory' },
    ],
    code: { coding: code, text: spec.display },
    subject: reference('Patient', patientId, IDENTIFIER_SYSTEMS.patient),
    effectiveDateTime: row.measuredAt,
    ...(row.receivedAt && { issued: row.receivedAt }),
    ...(manual
      ? row.enteredBy && { performer: [{ identifier: { system: IDENTIFIER_SYSTEMS.user, value: row.enteredBy } }] }
      : { device: reference('Device', row.deviceId, IDENTIFIER_SYSTEMS.device) }),
    ...(panel
      ? { component: row.components.map((c) => ({ code: { coding: componentCodings(row.kind, c.name), text: c.name }, valueQuantity: quantity(c, row.kind) })) }
      : row.components[0] && { valueQuantity: quantity(row.components[0], row.kind) }),
    ...(notes.length > 0 && { note: notes.map((text) => ({ text })) }),
  };
}

export type FhirObservation = ReturnType<typeof observationFromReading>;

export function observationBundle(rows: readonly ReadingRow[], patientId: string, now = new Date()) {
  return {
    resourceType: 'Bundle' as const,
    type: 'collection' as const,
    timestamp: now.toISOString(),
    entry: rows.map((row) => ({ fullUrl: `urn:uuid:${stableUuid(row.id)}`, resource: observationFromReading(row, patientId) })),
  };
}
