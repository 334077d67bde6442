import { z } from 'zod';
import { VITAL_KINDS } from '../../../contract/index.js';
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

/** A session as the room list and room page show it: the resident's name only to their own care teams. */
export const RoomSessionOut = SessionOut.extend({ displayName: z.string().describe("The resident's name (the caller may see them)") });

export const RoomView = z.object({
  gatewayId: z.string(),
  displayName: z.string(),
  busy: z.boolean().describe('A session runs now (perhaps of a resident the caller may not see)'),
  session: RoomSessionOut.optional().describe('The running session, if its resident is one of the caller’s'),
});
export const RoomList = z.object({ rooms: z.array(RoomView) });

export const SessionReadingOut = z.object({
  id: z.string(),
  kind: z.enum(VITAL_KINDS),
  measuredAt: InstantOut,
  deviceId: z.string(),
  components: z.array(z.object({ name: z.string(), value: z.number(), unit: z.string() })),
});
export const SessionReadings = z.object({ session: SessionOut, readings: z.array(SessionReadingOut) });

export const KioskLinkParams = z.object({ gatewayId: GatewayId, linkId: Id });
export const KioskLinkBody = z
  .object({
    label: z.string().trim().min(1).max(100).describe('Where the kiosk stands, e.g. "tablet by the door"'),
    sessionMinutes: z.number().int().min(1).max(30).default(10).describe('How long a check-in at this kiosk lasts (1-30 minutes, default 10)'),
  })
  .strict();
export const KioskLinkOut = z.object({
  id: z.string(),
  gatewayId: z.string(),
  label: z.string(),
  sessionMinutes: z.number().int(),
  createdBy: z.string(),
  createdAt: InstantOut,
  revokedAt: InstantOut.optional(),
  revokedBy: z.string().optional(),
});
export const NewKioskLinkOut = KioskLinkOut.extend({
  token: z.string().describe('Shown once: the kiosk page is /app/kiosk/<token>'),
  path: z.string().describe('/app/kiosk/<token>'),
});
export const KioskLinkList = z.object({ links: z.array(KioskLinkOut) });

export const CheckinCodeOut = z.object({
  patientId: z.string(),
  code: z.string().describe('Shown once, for the resident’s card (XXXX-XXXX-XXXX); replaces any earlier card'),
  createdAt: InstantOut,
});
