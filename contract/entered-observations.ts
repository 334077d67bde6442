/**
 * Observations that people enter rather than devices send: what they are, how they are stored in
 * InfluxDB and which values are believable when typed in.
 *
 * Two kinds exist only as entries, never as device readings: consciousness on the ACVPU scale and
 * supplemental oxygen (yes/no, optionally the flow). The others are the catalogue's vital kinds
 * (respiratory rate, and temperature, SpO2, blood pressure, pulse, weight typed in from a device that
 * cannot connect); they go to the same measurement as device readings, marked `source=manual`.
 */
import { CATALOGUE, type VitalKind } from './catalogue.js';

/** RCP NEWS2 (2017), Chart 1: Alert, new Confusion, responds to Voice, to Pain, Unresponsive. */
export const ACVPU = ['A', 'C', 'V', 'P', 'U'] as const;
export type Acvpu = (typeof ACVPU)[number];

export const ENTERED_ONLY_KINDS = ['consciousness', 'supplemental_oxygen'] as const;
export type EnteredOnlyKind = (typeof ENTERED_ONLY_KINDS)[number];

/** Vital kinds a person may type in. Blood glucose is left out: no NEWS2 use, and glucometers connect. */
export const ENTERABLE_VITAL_KINDS = ['respiratory_rate', 'body_temperature', 'spo2', 'blood_pressure', 'heart_rate', 'body_weight'] as const satisfies readonly VitalKind[];
export type EnterableVitalKind = (typeof ENTERABLE_VITAL_KINDS)[number];

export type ObservationKind = EnterableVitalKind | EnteredOnlyKind;
export const OBSERVATION_KINDS: readonly ObservationKind[] = [...ENTERABLE_VITAL_KINDS, ...ENTERED_ONLY_KINDS];

/** InfluxDB measurement per observation kind: the catalogue's for vitals, the kind's own name for the others. */
export function measurementOf(kind: ObservationKind): string {
  return kind === 'consciousness' || kind === 'supplemental_oxygen' ? kind : CATALOGUE[kind].measurement;
}

const KIND_OF_MEASUREMENT = new Map<string, ObservationKind>(OBSERVATION_KINDS.map((k) => [measurementOf(k), k]));

export function observationKindOf(measurement: string): ObservationKind | undefined {
  return KIND_OF_MEASUREMENT.get(measurement);
}

/** Tag and field names of entered observations (beside reading-points.ts' META_FIELDS). */
export const ENTRY = {
  /** Tag: absent on device readings, `manual` on entries. A tag, so device series are untouched. */
  sourceTag: 'source',
  manual: 'manual',
  /** Tag: the registry user id of whoever entered it (pseudonymous; never a name). */
  enteredByTag: 'entered_by',
  /**
   * Tag on corrections: 1 for a correction, 2 for a correction of a correction, ... A correction is
   * usually entered for the same observation time by the same person, which without this tag would
   * be the same InfluxDB point and overwrite the value it corrects. Depth stays small, so series too.
   */
  revisionTag: 'revision',
  /** Field: their role when they entered it. */
  role: 'entered_role',
  /** Field: the entry (one POST) the observation belongs to. */
  entryId: 'entry_id',
  /** Field: comma-separated ids of the observations this one corrects. */
  supersedes: 'supersedes',
  /** Field, written onto a corrected observation's own point: the id of its correction. */
  supersededBy: 'superseded_by',
  /** Field values of the entered-only kinds. */
  acvpu: 'acvpu',
  onOxygen: 'onOxygen',
  oxygenFlow: 'oxygenFlow',
} as const;

/**
 * Ranges refused at entry. For the vitals they are the catalogue's plausible ranges (a device value
 * outside them is kept and flagged; a typed one is a typo and is refused). Oxygen flow: home
 * concentrators deliver up to 10 L/min, masks up to 15 (BTS oxygen guideline, 2017).
 */
export const OXYGEN_FLOW_L_MIN = { min: 0.1, max: 15 } as const;
