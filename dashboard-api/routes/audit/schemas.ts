import { z } from 'zod';
import { AUDIT_OUTCOMES } from '../../../contract/audit.js';
import { fromBeforeTo, Id, InstantIn, InstantOut, PatientId } from '../../common-schemas.js';
import { CursorParam } from '../../pagination.js';

export const AuditQuery = z
  .object({
    patientId: PatientId.optional(),
    userId: Id.optional(),
    from: InstantIn.optional().describe('ISO 8601 start (inclusive)'),
    to: InstantIn.optional().describe('ISO 8601 end (exclusive)'),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    cursor: CursorParam.optional(),
  })
  .refine(...fromBeforeTo);

export const AuditResponse = z.object({
  entries: z.array(
    z.object({
      id: z.string(),
      at: InstantOut,
      userId: z.string(),
      role: z.string(),
      action: z.string(),
      route: z.string(),
      patientId: z.string().nullable(),
      address: z.string(),
      outcome: z.enum(AUDIT_OUTCOMES),
      status: z.number().int(),
      requestId: z.string(),
    }),
  ),
  nextCursor: z.string().nullable(),
});
