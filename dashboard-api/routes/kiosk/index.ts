/**
 * The kiosk page's API: a community room's screen that residents use without staff and without a
 * user sign-in (docs/community-room.md, "Kiosk"). It answers only to a valid, unrevoked kiosk link
 * token and then only for that link's room; the resident checks in with the personal code on their
 * card (wrong codes rate-limited); the session token it hands out reads that one session and checks
 * it out, and is refused once the session has ended, so a replayed page shows and stores nothing.
 * Every answer is Cache-Control: no-store (as all of /api/v1). Each request is audited under the
 * kiosk link (`kiosk:<link id>`), as staff check-ins are under the user.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../../hub/registry/registry.js';
import type { KioskLink } from '../../../hub/rooms/kiosk.js';
import { commitAttempt } from '../../audit-hooks.js';
import { ApiError } from '../../errors.js';
import type { ApiServices } from '../../services.js';
import { sessionOut } from '../rooms/index.js';
import { sessionReadings } from '../rooms/session-readings.js';
import { CodeAttempts } from './code-attempts.js';
import { firstNameOf } from './first-name.js';
import { KIOSK_LINK_HEADER, KIOSK_SESSION_HEADER, KioskCheckInBody, KioskCheckInOut, KioskClosedOut, KioskHeaders, KioskRoomOut, KioskSessionHeaders, KioskSessionOut } from './schemas.js';

export interface KioskRouteOptions {
  readonly attempts?: CodeAttempts;
}

type Services = Pick<ApiServices, 'patients' | 'rooms' | 'kiosk' | 'readings' | 'audit' | 'kioskQuestionnaireLink'>;

export const kioskRoutes =
  (services: Services, options: KioskRouteOptions = {}): FastifyPluginAsyncZod =>
  async (app) => {
    const attempts = options.attempts ?? new CodeAttempts();
    const parts = () => {
      if (!services.kiosk || !services.rooms) throw new ApiError('RPM_ERR_STORAGE_UNAVAILABLE', 'kiosks need the SQL registry');
      return { kiosk: services.kiosk, rooms: services.rooms };
    };

    /** The link of the request's token; from here on the request is audited as that kiosk. */
    async function kioskOf(request: FastifyRequest): Promise<KioskLink> {
      const token = (request.headers as Record<string, string | undefined>)[KIOSK_LINK_HEADER] ?? '';
      const link = await parts().kiosk.linkOfToken(token);
      if (!link) throw new ApiError('RPM_ERR_UNAUTHENTICATED', 'this kiosk link is not valid; ask staff for the room’s kiosk address');
      // A principal of its own kind: only the audit log reads it (these routes are public, no role applies).
      request.principal = { userId: `kiosk:${link.id}`, role: 'kiosk', careTeamIds: [] } as unknown as Principal;
      if (link.revokedAt) throw new ApiError('RPM_ERR_FORBIDDEN', 'this kiosk link was revoked; ask staff for the room’s new kiosk address');
      return link;
    }

    /** The running session this kiosk page holds; an ended one is refused, whoever replays it. */
    async function heldSession(request: FastifyRequest, link: KioskLink) {
      const token = (request.headers as Record<string, string | undefined>)[KIOSK_SESSION_HEADER] ?? '';
      const hold = await parts().kiosk.held(token);
      if (!hold || hold.linkId !== link.id) throw new ApiError('RPM_ERR_UNAUTHENTICATED', 'this kiosk session is not valid; check in again');
      const session = await parts().rooms.session(link.gatewayId, hold.sessionId);
      if (!session) throw new ApiError('RPM_ERR_UNAUTHENTICATED', 'this kiosk session is not valid; check in again');
      request.auditPatientIds = [session.patientId];
      const out = sessionOut(session, parts().rooms.now());
      if (out.state !== 'open') throw new ApiError('RPM_ERR_SESSION_CLOSED', out.state === 'closed' ? 'this session was checked out: nothing more is shown or stored' : 'this session timed out: nothing more is shown or stored');
      return session;
    }

    async function sessionView(session: Awaited<ReturnType<typeof heldSession>>) {
      const patient = await services.patients.getPatient(session.patientId);
      const now = parts().rooms.now();
      const readings = await sessionReadings(services.readings, session, now);
      const questionnaireUrl = await services.kioskQuestionnaireLink?.({ patientId: session.patientId, sessionId: session.id });
      const out = sessionOut(session, now);
      return {
        firstName: firstNameOf(patient?.displayName ?? ''),
        openedAt: out.openedAt,
        endsAt: out.endsAt,
        state: out.state,
        readings: readings.map((r) => ({ kind: r.kind, measuredAt: r.measuredAt, components: r.components.map((c) => ({ name: c.name, value: c.value, unit: c.unit })) })),
        ...(questionnaireUrl && { questionnaireUrl }),
      };
    }

    app.get(
      '/kiosk',
      {
        config: { public: true },
        schema: { summary: 'The kiosk’s room (kiosk link token)', tags: ['kiosk'], headers: KioskHeaders, response: { 200: KioskRoomOut } },
      },
      async (request) => {
        const link = await kioskOf(request);
        const room = await parts().rooms.room(link.gatewayId);
        if (!room) throw new ApiError('RPM_ERR_NOT_FOUND', 'this kiosk’s room no longer exists');
        return { room: room.displayName, busy: (await parts().rooms.current(link.gatewayId)) !== undefined };
      },
    );

    app.post(
      '/kiosk/sessions',
      {
        config: { public: true, audit: { action: 'room-session.open', change: true } },
        schema: {
          summary: 'Check in at the kiosk with a personal check-in code',
          description: 'Opens a measurement session in the kiosk’s room, as long as the kiosk link says, for the resident whose card carries the code. Wrong codes are counted per kiosk and address: 429 after 5 in 10 minutes.',
          tags: ['kiosk'],
          headers: KioskHeaders,
          body: KioskCheckInBody,
          response: { 201: KioskCheckInOut },
        },
      },
      async (request, reply) => {
        const link = await kioskOf(request);
        const keys = [`link:${link.id}`, `ip:${request.ip}`];
        const wait = attempts.blockedFor(keys);
        if (wait > 0) {
          void reply.header('retry-after', String(Math.ceil(wait / 1000)));
          throw new ApiError('RPM_ERR_RATE_LIMITED', 'too many wrong check-in codes at this kiosk; wait a few minutes or ask staff');
        }
        const patientId = await parts().kiosk.patientOfCode(request.body.code);
        const patient = patientId && (await services.patients.getPatient(patientId));
        if (!patient) {
          attempts.fail(keys);
          throw new ApiError('RPM_ERR_VALIDATION', 'that is not a valid check-in code', [{ path: 'body.code', message: 'not a valid check-in code' }]);
        }
        await commitAttempt(services.audit.trail, request, [patient.id]);
        const { rooms, kiosk } = parts();
        const session = await rooms.open({ gatewayId: link.gatewayId, patientId: patient.id, minutes: link.sessionMinutes, openedBy: `kiosk:${link.id}` }).catch((err: unknown) => {
          if (err instanceof Error && err.name === 'RoomSessionError' && (err as Error & { reason?: string }).reason === 'busy') {
            return Promise.reject(new ApiError('RPM_ERR_ROOM_BUSY', 'someone else is being measured in this room; wait until they have checked out'));
          }
          return Promise.reject(err instanceof Error ? err : new Error(String(err)));
        });
        const sessionToken = await kiosk.hold({ linkId: link.id, sessionId: session.id });
        void reply.code(201);
        return { ...(await sessionView(session)), sessionToken };
      },
    );

    app.get(
      '/kiosk/session',
      {
        config: { public: true, audit: { action: 'room-session.read' } },
        schema: { summary: 'The kiosk’s running session: first name and readings so far', tags: ['kiosk'], headers: KioskSessionHeaders, response: { 200: KioskSessionOut } },
      },
      async (request) => {
        const link = await kioskOf(request);
        return sessionView(await heldSession(request, link));
      },
    );

    app.post(
      '/kiosk/session/close',
      {
        config: { public: true, audit: { action: 'room-session.close', change: true } },
        schema: { summary: 'Check out at the kiosk', tags: ['kiosk'], headers: KioskSessionHeaders, response: { 200: KioskClosedOut } },
      },
      async (request) => {
        const link = await kioskOf(request);
        const session = await heldSession(request, link);
        await commitAttempt(services.audit.trail, request, [session.patientId]);
        await parts()
          .rooms.close({ gatewayId: link.gatewayId, sessionId: session.id, closedBy: `kiosk:${link.id}` })
          .catch((err: unknown) => {
            if (err instanceof Error && err.name === 'RoomSessionError') return Promise.reject(new ApiError('RPM_ERR_SESSION_CLOSED', err.message));
            return Promise.reject(err instanceof Error ? err : new Error(String(err)));
          });
        return { state: 'closed' as const };
      },
    );
  };
