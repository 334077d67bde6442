import { z } from 'zod';
import { VITAL_KINDS } from '../../../contract/index.js';
import { ATTRIBUTIONS } from '../../../contract/attribution.js';
import { fromBeforeTo, InstantIn, InstantOut, PatientParams } from '../../common-schemas.js';
import { CursorParam } from '../../pagination.js';

export const ReadingsParams = PatientParams;

export const ReadingsQuery = z
  .object({
    kind: z.enum(VITAL_KINDS),
    from: InstantIn.optional().describe('ISO 8601 start (inclusive); default: 7 days before `to`'),
    to: InstantIn.optional().describe('ISO 8601 end (exclusive); default: now'),
    limit: z.coerce.number().int().min(1).max(10_000).default(1000),
    order: z.enum(['asc', 'desc']).default('asc').describe('asc: oldest first; desc: newest first (latest readings)'),
    cursor: CursorParam.optional(),
  })
  .refine(...fromBeforeTo);

export const ReadingComponentOut = z.object({
  name: z.string(),
  code: z.string().describe('LOINC'),
  value: z.number(),
  unit: z.string().describe('UCUM'),
});

export const ReadingOut = z.object({
  id: z.string().describe('Stable reading id: the same measurement always has the same id'),
  kind: z.enum(VITAL_KINDS),
  measuredAt: InstantOut,
  receivedAt: InstantOut.optional(),
  deviceId: z.string(),
  gatewayId: z.string(),
  userIndex: z.number().int().optional(),
  components: z.array(ReadingComponentOut),
  flags: z.object({ late: z.boolean(), clockSuspect: z.boolean(), implausible: z.boolean(), superseded: z.boolean().describe('An entered observation corrected by a later entry') }),
  source: z.enum(['device', 'manual']).describe('manual: entered by a person (deviceId is then empty), never a device reading'),
  enteredBy: z.string().optional().describe('Manual entries: user id of whoever entered it (pseudonymous)'),
  enteredRole: z.string().optional(),
  supersededBy: z.string().optional().describe('Manual entries: id of the correction'),
  attribution: z.enum(ATTRIBUTIONS).optional().describe('How the patient of the reading was determined; absent on readings stored before this was recorded'),
});

export const ReadingsResponse = z.object({
  patientId: z.string(),
  kind: z.enum(VITAL_KINDS),
  from: InstantOut,
  to: InstantOut,
  readings: z.array(ReadingOut),
  nextCursor: z.string().nullable().describe('Pass as `cursor` (with the same query) for the next page; null on the last page'),
});
