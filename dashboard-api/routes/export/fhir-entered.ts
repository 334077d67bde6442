/**
 * Entered consciousness (ACVPU) and supplemental-oxygen observations as FHIR R4 Observations, for the
 * patient export beside the vital signs. They have no device: the performer is the user who entered
 * them. Coded in the project's own code system (the LOINC and SNOMED CT codes a region prefers for
 * NEWS2 parameters differ; mapping them is the receiving record's choice), with the oxygen flow as
 * LOINC 3151-8 (Inhaled oxygen flow rate), as US Core's pulse-oximetry examples do.
 */
import type { StoredObservation } from '../../../hub/observations/observation-store.js';
import { IDENTIFIER_SYSTEMS, LOINC, OBSERVATION_CATEGORY, UCUM, observationId, reference } from './fhir.js';

export const OBSERVATION_CODES = 'urn:rpm-hub:observation-code';

const ACVPU_TEXT: Readonly<Record<string, string>> = { A: 'Alert', C: 'New confusion', V: 'Responds to voice', P: 'Responds to pain', U: 'Unresponsive' };

export function enteredObservationResource(o: StoredObservation, patientId: string) {
  const consciousness = o.kind === 'consciousness';
  const acvpu = typeof o.values.acvpu === 'string' ? o.values.acvpu : undefined;
  const flow = typeof o.values.oxygenFlow === 'number' ? o.values.oxygenFlow : undefined;
  const notes = [`Entered by a person (${o.role || 'staff'}), not sent by a device.`, ...(o.supersededBy ? [`Corrected by the observation with identifier ${o.supersededBy}.`] : [])];
  return {
    resourceType: 'Observation' as const,
    id: observationId(o.id),
    meta: { profile: [] as string[] },
    identifier: [{ use: 'official' as const, system: IDENTIFIER_SYSTEMS.reading, value: o.id }],
    status: o.supersededBy ? ('entered-in-error' as const) : ('final' as const),
    category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'survey', display: 'Survey' }], text: 'Survey' }],
    code: consciousness
      ? { coding: [{ system: OBSERVATION_CODES, code: 'consciousness-acvpu', display: 'Level of consciousness (ACVPU, NEWS2)' }], text: 'Consciousness (ACVPU)' }
      : { coding: [{ system: OBSERVATION_CODES, code: 'supplemental-oxygen', display: 'On supplemental oxygen (NEWS2 air or oxygen)' }], text: 'Supplemental oxygen' },
    subject: reference('Patient', patientId, IDENTIFIER_SYSTEMS.patient),
    effectiveDateTime: o.observedAt.toISOString(),
    ...(o.enteredAt && { issued: o.enteredAt.toISOString() }),
    performer: [{ identifier: { system: IDENTIFIER_SYSTEMS.user, value: o.enteredBy } }],
    ...(consciousness && acvpu
      ? { valueCodeableConcept: { coding: [{ system: `${OBSERVATION_CODES}:acvpu`, code: acvpu, display: ACVPU_TEXT[acvpu] ?? acvpu }], text: ACVPU_TEXT[acvpu] ?? acvpu } }
      : {}),
    ...(!consciousness && typeof o.values.onOxygen === 'boolean' ? { valueBoolean: o.values.onOxygen } : {}),
    ...(flow !== undefined && {
      component: [{ code: { coding: [{ system: LOINC, code: '3151-8', display: 'Inhaled oxygen flow rate' }], text: 'oxygenFlow' }, valueQuantity: { value: flow, unit: 'L/min', system: UCUM, code: 'L/min' } }],
    }),
    note: notes.map((text) => ({ text })),
  };
}
