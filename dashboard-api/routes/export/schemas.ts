import { z } from 'zod';
import { VITAL_KINDS, type VitalKind } from '../../../contract/index.js';
import { fromBeforeTo, InstantIn, PatientParams } from '../../common-schemas.js';

export { PatientParams };

/** Longest period one export may cover. */
export const MAX_EXPORT_DAYS = 366;

const Kinds = z
  .string()
  .default(VITAL_KINDS.join(','))
  .transform((s) => s.split(',').map((k) => k.trim()).filter(Boolean))
  .pipe(z.array(z.enum(VITAL_KINDS)).min(1))
  .describe('Comma-separated kinds; default: all');

export const ExportQuery = z
  .object({
    from: InstantIn.optional().describe('ISO 8601 start (inclusive); default: 30 days before `to`'),
    to: InstantIn.optional().describe('ISO 8601 end (exclusive); default: now'),
    kinds: Kinds,
  })
  .refine(...fromBeforeTo);

export type ExportKinds = readonly VitalKind[];

const Coding = z.object({ system: z.string(), code: z.string(), display: z.string() });
const CodeableConcept = z.object({ coding: z.array(Coding), text: z.string() });
const Quantity = z.object({ value: z.number(), unit: z.string(), system: z.string(), code: z.string() });
const Identifier = z.object({ system: z.string(), value: z.string() });
const Reference = z.object({ reference: z.string().optional(), identifier: Identifier });

export const FhirObservation = z.object({
  resourceType: z.literal('Observation'),
  id: z.string(),
  meta: z.object({ profile: z.array(z.string()) }),
  identifier: z.array(Identifier.extend({ use: z.literal('official') })),
  status: z.enum(['final', 'entered-in-error']).describe('entered-in-error: an entered observation corrected by a later one'),
  category: z.array(CodeableConcept),
  code: CodeableConcept,
  subject: Reference,
  effectiveDateTime: z.string(),
  issued: z.string().optional(),
  device: Reference.optional().describe('Device readings; entered observations name their performer instead'),
  performer: z.array(z.object({ identifier: z.object({ system: z.string(), value: z.string() }) })).optional(),
  valueQuantity: Quantity.optional(),
  valueCodeableConcept: CodeableConcept.optional().describe('Entered consciousness: the ACVPU level'),
  valueBoolean: z.boolean().optional().describe('Entered supplemental oxygen: true = on oxygen, false = room air'),
  component: z.array(z.object({ code: CodeableConcept, valueQuantity: Quantity })).optional(),
  note: z.array(z.object({ text: z.string() })).optional(),
});

export const FhirBundle = z
  .object({
    resourceType: z.literal('Bundle'),
    type: z.literal('collection'),
    timestamp: z.string(),
    entry: z.array(z.object({ fullUrl: z.string(), resource: FhirObservation })),
  })
  .describe('FHIR R4 Bundle of vital-signs Observations, and with all kinds the entered ACVPU and oxygen observations');
