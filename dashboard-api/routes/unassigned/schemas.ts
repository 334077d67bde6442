import { z } from 'zod';
import { VITAL_KINDS } from '../../../contract/index.js';
import { Id, InstantIn, InstantOut, PatientId } from '../../common-schemas.js';

export const UnassignedResponse = z.object({
  devices: z.array(
    z.object({
      deviceId: z.string(),
      gatewayId: z.string(),
      kinds: z.array(z.enum(VITAL_KINDS)),
      count: z.number().int().describe('Readings waiting'),
      firstMeasuredAt: InstantOut,
      lastMeasuredAt: InstantOut,
    }),
  ),
});

export const AssignmentBody = z
  .object({
    deviceId: Id,
    userIndex: z.number().int().min(0).max(255).optional().describe('For multi-user devices (a cuff with user buttons)'),
    patientId: PatientId,
    from: InstantIn.optional().describe(
      'The device belongs to the patient from this instant; waiting readings measured since then move to the patient. Default: its earliest waiting reading',
    ),
    to: InstantIn.optional().describe('Until this instant (exclusive); open-ended when absent'),
  })
  .strict()
  .refine((b) => !b.to || !b.from || Date.parse(b.from) < Date.parse(b.to), { message: 'from must be before to', path: ['from'] });

export const AssignmentResponse = z.object({
  deviceId: z.string(),
  userIndex: z.number().int().optional(),
  patientId: z.string(),
  from: InstantOut,
  to: InstantOut.optional(),
  readingsMoved: z.number().int().describe('Readings moved from the inbox to the patient'),
});
