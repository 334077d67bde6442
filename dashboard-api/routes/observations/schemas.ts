import { z } from 'zod';
import type { CATALOGUE} from '../../../contract/index.js';
import { componentSpec } from '../../../contract/index.js';
import { ACVPU, OBSERVATION_KINDS, OXYGEN_FLOW_L_MIN } from '../../../contract/entered-observations.js';
import { fromBeforeTo, Id, InstantIn, InstantOut, PatientParams } from '../../common-schemas.js';

export const ObservationsParams = PatientParams;

/** A typed-in value must lie in the catalogue's plausible range (a device's is flagged; a person's is a typo). */
function vital(kind: keyof typeof CATALOGUE, component: string, unitText: string) {
  const spec = componentSpec(kind, component);
  if (!spec) throw new Error(`no ${kind}.${component} in the catalogue`);
  const { min, max } = spec.plausible;
  return z.number().min(min, `below ${min} ${unitText}: not plausible`).max(max, `above ${max} ${unitText}: not plausible`).describe(`${spec.display}, ${unitText} (${min}-${max})`);
}

export const SupplementalOxygenIn = z
  .object({
    onOxygen: z.boolean().describe('true: on supplemental oxygen; false: on room air'),
    flowLPerMin: z.number().min(OXYGEN_FLOW_L_MIN.min).max(OXYGEN_FLOW_L_MIN.max).optional().describe(`Oxygen flow, L/min (${OXYGEN_FLOW_L_MIN.min}-${OXYGEN_FLOW_L_MIN.max}), when on oxygen`),
  })
  .strict()
  .refine((o) => o.onOxygen || o.flowLPerMin === undefined, { message: 'a flow is given only when on oxygen', path: ['flowLPerMin'] });

export const BloodPressureIn = z
  .object({ systolic: vital('blood_pressure', 'systolic', 'mmHg'), diastolic: vital('blood_pressure', 'diastolic', 'mmHg') })
  .strict()
  .refine((bp) => bp.diastolic < bp.systolic, { message: 'diastolic must be below systolic', path: ['diastolic'] });

const PARAMETERS = ['respiratoryRate', 'consciousness', 'supplementalOxygen', 'temperature', 'spo2', 'bloodPressure', 'pulse', 'weight'] as const;

export const ObservationBody = z
  .object({
    observedAt: InstantIn.describe('When it was observed; not in the future, at most 7 days ago'),
    respiratoryRate: vital('respiratory_rate', 'respiratoryRate', '/min').int('count whole breaths per minute').optional(),
    consciousness: z.enum(ACVPU).optional().describe('ACVPU: Alert, new Confusion, Voice, Pain, Unresponsive'),
    supplementalOxygen: SupplementalOxygenIn.optional(),
    temperature: vital('body_temperature', 'temperature', '°C').optional(),
    spo2: vital('spo2', 'spo2', '%').optional(),
    bloodPressure: BloodPressureIn.optional(),
    pulse: vital('heart_rate', 'heartRate', '/min').int('count whole beats per minute').optional(),
    weight: vital('body_weight', 'weight', 'kg').optional(),
    supersedes: z.array(Id).min(1).max(8).optional().describe('Ids of earlier observations this entry corrects; each must be of a kind this entry contains'),
  })
  .strict()
  .refine((b) => PARAMETERS.some((p) => b[p] !== undefined), { message: `give at least one of ${PARAMETERS.join(', ')}`, path: [] });
export type ObservationBody = z.infer<typeof ObservationBody>;

export const ObservationOut = z.object({
  id: z.string().describe('Reading id of this observation'),
  entryId: z.string().optional(),
  kind: z.enum(OBSERVATION_KINDS as [string, ...string[]]),
  observedAt: InstantOut,
  enteredAt: InstantOut.optional(),
  enteredBy: z.string().describe('User id of whoever entered it (pseudonymous)'),
  role: z.string(),
  source: z.literal('manual'),
  values: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  supersedes: z.array(z.string()),
  supersededBy: z.string().optional(),
  superseded: z.boolean(),
});

export const ObservationEntryResponse = z.object({
  patientId: z.string(),
  entryId: z.string(),
  enteredAt: InstantOut,
  observations: z.array(ObservationOut),
});

export const ObservationsQuery = z
  .object({
    from: InstantIn.optional().describe('ISO 8601 start (inclusive); default: 7 days before `to`'),
    to: InstantIn.optional().describe('ISO 8601 end (exclusive); default: now'),
  })
  .refine(...fromBeforeTo);

export const ObservationsResponse = z.object({
  patientId: z.string(),
  from: InstantOut,
  to: InstantOut,
  observations: z.array(ObservationOut),
});
