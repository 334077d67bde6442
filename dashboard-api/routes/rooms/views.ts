/**
 * What the staff check-in page reads: the rooms (busy or free; the running session named only for
 * the resident's own care teams), one room, and the readings that have arrived in a session.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Principal } from '../../../hub/registry/registry.js';
import type { MeasurementSession } from '../../../hub/rooms/room-sessions.js';
import { requirePrincipal } from '../../auth.js';
import { ApiError } from '../../errors.js';
import { canSee } from '../../patient-access.js';
import { ALL_ROLES } from '../../route-policy.js';
import type { ApiServices } from '../../services.js';
import { sessionOut } from './index.js';
import { RoomList, RoomParams, RoomView, SessionParams, SessionReadings } from './schemas.js';
import { sessionReadingOut, sessionReadings } from './session-readings.js';

export const roomViewRoutes =
  (services: Pick<ApiServices, 'patients' | 'rooms' | 'readings'>): FastifyPluginAsyncZod =>
  async (app) => {
    const rooms = () => {
      if (!services.rooms) throw new ApiError('RPM_ERR_STORAGE_UNAVAILABLE', 'community rooms need the SQL registry');
      return services.rooms;
    };

    /** A room as this principal may see it, and the patient it names (for the audit log). */
    async function view(principal: Principal, room: { gatewayId: string; displayName: string }) {
      const current = await rooms().current(room.gatewayId);
      const patient = current && (await services.patients.getPatient(current.patientId));
      const visible = current && patient && canSee(principal, patient) ? { ...sessionOut(current, rooms().now()), displayName: patient.displayName } : undefined;
      return { out: { ...room, busy: current !== undefined, ...(visible && { session: visible }) }, patientId: visible?.patientId };
    }

    app.get(
      '/rooms',
      {
        config: { roles: ALL_ROLES, audit: { action: 'rooms.read' } },
        schema: { summary: 'Community rooms, free or busy', tags: ['rooms'], response: { 200: RoomList } },
      },
      async (request) => {
        const principal = requirePrincipal(request);
        const views = await Promise.all((await rooms().listRooms()).map((r) => view(principal, r)));
        request.auditPatientIds = views.flatMap((v) => (v.patientId ? [v.patientId] : []));
        return { rooms: views.map((v) => v.out) };
      },
    );

    app.get(
      '/rooms/:gatewayId',
      {
        config: { roles: ALL_ROLES, audit: { action: 'rooms.read' } },
        schema: { summary: 'One community room and its running session', tags: ['rooms'], params: RoomParams, response: { 200: RoomView } },
      },
      async (request) => {
        const principal = requirePrincipal(request);
        const room = await rooms().room(request.params.gatewayId);
        if (!room) throw new ApiError('RPM_ERR_NOT_FOUND', `no community room ${request.params.gatewayId}`);
        const v = await view(principal, room);
        request.auditPatientIds = v.patientId ? [v.patientId] : [];
        return v.out;
      },
    );

    app.get(
      '/rooms/:gatewayId/sessions/:sessionId/readings',
      {
        config: { roles: ALL_ROLES, audit: { action: 'room-session.read' } },
        schema: {
          summary: 'The readings of the room’s shared devices attributed to one measurement session',
          tags: ['rooms'],
          params: SessionParams,
          response: { 200: SessionReadings },
        },
      },
      async (request) => {
        const principal = requirePrincipal(request);
        const missing = () => new ApiError('RPM_ERR_NOT_FOUND', `no session ${request.params.sessionId} in room ${request.params.gatewayId}`);
        const session: MeasurementSession | undefined = await rooms().session(request.params.gatewayId, request.params.sessionId);
        if (!session) throw missing();
        const patient = await services.patients.getPatient(session.patientId);
        if (!patient || !canSee(principal, patient)) throw missing();
        request.auditPatientIds = [session.patientId];
        const now = rooms().now();
        return { session: sessionOut(session, now), readings: (await sessionReadings(services.readings, session, now)).map(sessionReadingOut) };
      },
    );
  };
