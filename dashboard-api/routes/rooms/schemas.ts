import { z } from 'zod';
import { Id, InstantOut, PatientId } from '../../common-schemas.js';

/** Gateway ids appear in MQTT topics: lower case (contract/topics.ts). */
export const GatewayId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'expected a gateway id (lower case a-z 0-9 _ -)');

export const RoomParams = z.object({ gatewayId: GatewayId });
export const SessionParams = z.object({ gatewayId: GatewayId, sessionId: Id });

export const RoomBody = z.object({ gatewayId: GatewayId, displayName: z.string().min(1).max(200) }).strict();
export const RoomOut = z.object({ gatewayId: z.string(), displayName: z.string() });

/** A measurement round: long enough for a cuff, a scale and an oximeter; bounded so a forgotten check-out cannot attribute the next resident's readings. */
export const OpenSessionBody = z
  .object({
    patientId: PatientId,
    minutes: z.number().int().min(1).max(60).default(15).describe('Session length, minutes (1-60, default 15): it times out then'),
  })
  .strict();

export const SessionOut = z.object({
  id: z.string(),
  gatewayId: z.string(),
  patientId: z.string(),
  openedBy: z.string().describe('User id (pseudonymous) who checked the resident in'),
  openedAt: InstantOut,
  endsAt: InstantOut.describe('Timeout, or the check-out time once closed'),
  closedAt: InstantOut.optional(),
  closedBy: z.string().optional(),
  state: z.enum(['open', 'closed', 'timed_out']),
});
