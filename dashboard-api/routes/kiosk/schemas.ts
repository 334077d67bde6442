import { z } from 'zod';
import { InstantOut } from '../../common-schemas.js';
import { SessionReadingOut } from '../rooms/schemas.js';

/** The kiosk page proves itself with its link token, and a checked-in resident's page also with the session token. */
export const KIOSK_LINK_HEADER = 'x-kiosk-link';
export const KIOSK_SESSION_HEADER = 'x-kiosk-session';

const Token = z.string().min(1).max(200);
export const KioskHeaders = z.object({ [KIOSK_LINK_HEADER]: Token.describe('The kiosk link token (from /app/kiosk/<token>)') });
export const KioskSessionHeaders = KioskHeaders.extend({ [KIOSK_SESSION_HEADER]: Token.describe('The session token handed out at check-in') });

export const KioskRoomOut = z.object({ room: z.string().describe('The room’s display name'), busy: z.boolean() });

export const KioskCheckInBody = z
  .object({
    code: z.string().min(1).max(40).describe('The resident’s personal check-in code from their card (XXXX-XXXX-XXXX; case, spaces and hyphens do not matter)'),
  })
  .strict();

export const KioskSessionOut = z.object({
  firstName: z.string().describe('The resident’s first name only: a shared screen shows no more'),
  openedAt: InstantOut,
  endsAt: InstantOut,
  state: z.enum(['open', 'closed', 'timed_out']),
  readings: z.array(SessionReadingOut.omit({ id: true, deviceId: true })),
  questionnaireUrl: z.string().optional().describe('A questionnaire answer page (/app/q/<token>) for the resident, where one is due'),
});

export const KioskCheckInOut = KioskSessionOut.extend({ sessionToken: z.string().describe('Send as x-kiosk-session; worth nothing once the session ends') });

export const KioskClosedOut = z.object({ state: z.enum(['closed']) });
