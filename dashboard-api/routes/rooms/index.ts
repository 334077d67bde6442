/**
 * Community rooms: an admin marks a gateway as a shared room; staff check a resident in (a
 * measurement session on that room's gateway: readings of its shared devices in that window are the
 * resident's) and out. Every role may check in: health assistants run the room. Sessions end by
 * check-out or timeout; a closed or timed-out session cannot be closed again or reopened.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { MeasurementSession, RoomSessionError } from '../../../hub/rooms/room-sessions.js';
import { commitAttempt } from '../../audit-hooks.js';
import { requirePrincipal } from '../../auth.js';
import { ApiError } from '../../errors.js';
import { visiblePatient } from '../../patient-access.js';
import { ALL_ROLES } from '../../route-policy.js';
import type { ApiServices } from '../../services.js';
import { OpenSessionBody, RoomBody, RoomOut, RoomParams, SessionOut, SessionParams } from './schemas.js';

export function sessionOut(s: MeasurementSession, now: Date) {
  return {
    id: s.id,
    gatewayId: s.gatewayId,
    patientId: s.patientId,
    openedBy: s.openedBy,
    openedAt: s.openedAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
    ...(s.closedAt && { closedAt: s.closedAt.toISOString() }),
    ...(s.closedBy && { closedBy: s.closedBy }),
    state: s.closedAt ? ('closed' as const) : s.endsAt <= now ? ('timed_out' as const) : ('open' as const),
  };
}

/** The session service's refusals as problems (matched by name: dashboard-api imports hub types only). */
function asProblem(err: unknown): Error {
  if (!(err instanceof Error)) return new Error(String(err));
  if (err.name !== 'RoomSessionError') return err;
  const { reason, message } = err as RoomSessionError;
  switch (reason) {
    case 'busy':
      return new ApiError('RPM_ERR_ROOM_BUSY', message);
    case 'closed':
      return new ApiError('RPM_ERR_SESSION_CLOSED', message);
    case 'no_gateway':
      return new ApiError('RPM_ERR_VALIDATION', message, [{ path: 'body.gatewayId', message: 'no such gateway' }]);
    default:
      return new ApiError('RPM_ERR_NOT_FOUND', message);
  }
}

export const roomsRoutes =
  (services: Pick<ApiServices, 'patients' | 'rooms' | 'audit'>): FastifyPluginAsyncZod =>
  async (app) => {
    const now = () => services.rooms?.now() ?? new Date();
    const rooms = () => {
      if (!services.rooms) throw new ApiError('RPM_ERR_STORAGE_UNAVAILABLE', 'community rooms need the SQL registry');
      return services.rooms;
    };

    app.post(
      '/rooms',
      {
        config: { roles: ['admin'], audit: { action: 'room.create', change: true } },
        schema: { summary: 'Mark a gateway as a community room with shared devices (admin)', tags: ['rooms'], body: RoomBody, response: { 201: RoomOut } },
      },
      async (request, reply) => {
        await commitAttempt(services.audit.trail, request, []);
        const room = await rooms().createRoom(request.body).catch((err: unknown) => Promise.reject(asProblem(err)));
        void reply.code(201);
        return room;
      },
    );

    app.post(
      '/rooms/:gatewayId/sessions',
      {
        config: { roles: ALL_ROLES, audit: { action: 'room-session.open', change: true } },
        schema: {
          summary: 'Check a resident in: open a measurement session on the room’s shared devices',
          description: 'Readings of the room’s shared devices measured while the session runs are the resident’s. One session per room at a time (409 RPM_ERR_ROOM_BUSY).',
          tags: ['rooms'],
          params: RoomParams,
          body: OpenSessionBody,
          response: { 201: SessionOut },
        },
      },
      async (request, reply) => {
        const principal = requirePrincipal(request);
        const patient = await visiblePatient(services.patients, principal, request.body.patientId);
        if (!(await rooms().room(request.params.gatewayId))) throw new ApiError('RPM_ERR_NOT_FOUND', `no community room ${request.params.gatewayId}`);
        await commitAttempt(services.audit.trail, request, [patient.id]);
        const session = await rooms()
          .open({ gatewayId: request.params.gatewayId, patientId: patient.id, minutes: request.body.minutes, openedBy: principal.userId })
          .catch((err: unknown) => Promise.reject(asProblem(err)));
        void reply.code(201);
        return sessionOut(session, now());
      },
    );

    /** The session, if its resident is one the principal may see (else 404, as for patients). */
    async function visibleSession(request: { params: { gatewayId: string; sessionId: string } }, principal: Parameters<typeof visiblePatient>[1]) {
      const session = await rooms().session(request.params.gatewayId, request.params.sessionId);
      if (!session) throw new ApiError('RPM_ERR_NOT_FOUND', `no session ${request.params.sessionId} in room ${request.params.gatewayId}`);
      await visiblePatient(services.patients, principal, session.patientId).catch(() => Promise.reject(new ApiError('RPM_ERR_NOT_FOUND', `no session ${request.params.sessionId} in room ${request.params.gatewayId}`)));
      return session;
    }

    app.get(
      '/rooms/:gatewayId/sessions/:sessionId',
      {
        config: { roles: ALL_ROLES, audit: { action: 'room-session.read' } },
        schema: { summary: 'One measurement session', tags: ['rooms'], params: SessionParams, response: { 200: SessionOut } },
      },
      async (request) => {
        const session = await visibleSession(request, requirePrincipal(request));
        request.auditPatientIds = [session.patientId];
        return sessionOut(session, now());
      },
    );

    app.post(
      '/rooms/:gatewayId/sessions/:sessionId/close',
      {
        config: { roles: ALL_ROLES, audit: { action: 'room-session.close', change: true } },
        schema: { summary: 'Check the resident out: end the measurement session now', tags: ['rooms'], params: SessionParams, response: { 200: SessionOut } },
      },
      async (request) => {
        const principal = requirePrincipal(request);
        const session = await visibleSession(request, principal);
        await commitAttempt(services.audit.trail, request, [session.patientId]);
        const closed = await rooms()
          .close({ gatewayId: request.params.gatewayId, sessionId: request.params.sessionId, closedBy: principal.userId })
          .catch((err: unknown) => Promise.reject(asProblem(err)));
        return sessionOut(closed, now());
      },
    );
  };
