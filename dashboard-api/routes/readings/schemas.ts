import { z } from 'zod';
import { VITAL_KINDS } from '../../../contract/index.js';

export const ReadingsParams = z.object({
  patientId: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'expected a patient id (lowercase letters, digits, - and _)'),
});

const Instant = z.iso.datetime({ offset: true });

export const ReadingsQuery = z
  .object({
    kind: z.enum(VITAL_KINDS),
    from: Instant.optional().describe('ISO 8601 start (inclusive); default: 7 days before `to`'),
    to: Instant.optional().describe('ISO 8601 end (exclusive); default: now'),
    limit: z.coerce.number().int().min(1).max(10_000).default(1000),
    order: z.enum(['asc', 'desc']).default('asc').describe('asc: oldest first; desc: newest first (latest readings)'),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: 'from must be before to', path: ['from'] });

export const ReadingComponentOut = z.object({
  name: z.string(),
  code: z.string().describe('LOINC'),
  value: z.number(),
  unit: z.string().describe('UCUM'),
});

export const ReadingOut = z.object({
  id: z.string(),
  kind: z.enum(VITAL_KINDS),
  measuredAt: z.string(),
  receivedAt: z.string().optional(),
  deviceId: z.string(),
  gatewayId: z.string(),
  userIndex: z.number().int().optional(),
  components: z.array(ReadingComponentOut),
  flags: z.object({ late: z.boolean(), clockSuspect: z.boolean(), implausible: z.boolean() }),
});

export const ReadingsResponse = z.object({
  patientId: z.string(),
  kind: z.enum(VITAL_KINDS),
  from: z.string(),
  to: z.string(),
  readings: z.array(ReadingOut),
});
