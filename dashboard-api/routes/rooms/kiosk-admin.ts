/**
 * What staff set up for a room's kiosk: kiosk links (admins; one room each, revocable) and
 * residents' personal check-in codes for their cards (any role of the resident's team: health
 * assistants hand out the cards). Tokens and codes are shown once and stored only hashed.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { KioskLink } from '../../../hub/rooms/kiosk.js';
import { commitAttempt } from '../../audit-hooks.js';
import { requirePrincipal } from '../../auth.js';
import { PatientParams } from '../../common-schemas.js';
import { ApiError } from '../../errors.js';
import { visiblePatient } from '../../patient-access.js';
import { ALL_ROLES } from '../../route-policy.js';
import type { ApiServices } from '../../services.js';
import { CheckinCodeOut, KioskLinkBody, KioskLinkList, KioskLinkOut, KioskLinkParams, NewKioskLinkOut, RoomParams } from './schemas.js';

export const KIOSK_PAGE = '/app/kiosk/';

function linkOut(l: KioskLink) {
  return {
    id: l.id,
    gatewayId: l.gatewayId,
    label: l.label,
    sessionMinutes: l.sessionMinutes,
    createdBy: l.createdBy,
    createdAt: l.createdAt.toISOString(),
    ...(l.revokedAt && { revokedAt: l.revokedAt.toISOString() }),
    ...(l.revokedBy && { revokedBy: l.revokedBy }),
  };
}

export const kioskAdminRoutes =
  (services: Pick<ApiServices, 'patients' | 'rooms' | 'kiosk' | 'audit'>): FastifyPluginAsyncZod =>
  async (app) => {
    const kiosk = () => {
      if (!services.kiosk || !services.rooms) throw new ApiError('RPM_ERR_STORAGE_UNAVAILABLE', 'kiosks need the SQL registry');
      return { kiosk: services.kiosk, rooms: services.rooms };
    };
    const knownRoom = async (gatewayId: string) => {
      if (!(await kiosk().rooms.room(gatewayId))) throw new ApiError('RPM_ERR_NOT_FOUND', `no community room ${gatewayId}`);
    };

    app.post(
      '/rooms/:gatewayId/kiosk-links',
      {
        config: { roles: ['admin'], audit: { action: 'kiosk-link.create', change: true } },
        schema: { summary: 'Make a kiosk link for a room (admin); the token is shown once', tags: ['rooms'], params: RoomParams, body: KioskLinkBody, response: { 201: NewKioskLinkOut } },
      },
      async (request, reply) => {
        const principal = requirePrincipal(request);
        await knownRoom(request.params.gatewayId);
        await commitAttempt(services.audit.trail, request, []);
        const link = await kiosk().kiosk.createLink({ gatewayId: request.params.gatewayId, label: request.body.label, sessionMinutes: request.body.sessionMinutes, createdBy: principal.userId });
        void reply.code(201);
        return { ...linkOut(link), token: link.token, path: `${KIOSK_PAGE}${link.token}` };
      },
    );

    app.get(
      '/rooms/:gatewayId/kiosk-links',
      {
        config: { roles: ['admin'] },
        schema: { summary: 'A room’s kiosk links, revoked ones included (admin; no tokens)', tags: ['rooms'], params: RoomParams, response: { 200: KioskLinkList } },
      },
      async (request) => {
        await knownRoom(request.params.gatewayId);
        return { links: (await kiosk().kiosk.listLinks(request.params.gatewayId)).map(linkOut) };
      },
    );

    app.post(
      '/rooms/:gatewayId/kiosk-links/:linkId/revoke',
      {
        config: { roles: ['admin'], audit: { action: 'kiosk-link.revoke', change: true } },
        schema: { summary: 'Revoke a kiosk link at once (admin)', tags: ['rooms'], params: KioskLinkParams, response: { 200: KioskLinkOut } },
      },
      async (request) => {
        const principal = requirePrincipal(request);
        await commitAttempt(services.audit.trail, request, []);
        const link = await kiosk().kiosk.revokeLink({ gatewayId: request.params.gatewayId, linkId: request.params.linkId, revokedBy: principal.userId });
        if (!link) throw new ApiError('RPM_ERR_NOT_FOUND', `no kiosk link ${request.params.linkId} in room ${request.params.gatewayId}`);
        return linkOut(link);
      },
    );

    app.post(
      '/patients/:patientId/checkin-code',
      {
        config: { roles: ALL_ROLES, audit: { action: 'checkin-code.issue', change: true } },
        schema: {
          summary: 'A new personal check-in code for the resident’s card (kiosk check-in)',
          description: 'Shown once; replaces any earlier card of the resident (the old code stops working).',
          tags: ['rooms'],
          params: PatientParams,
          response: { 201: CheckinCodeOut },
        },
      },
      async (request, reply) => {
        const principal = requirePrincipal(request);
        const patient = await visiblePatient(services.patients, principal, request.params.patientId);
        await commitAttempt(services.audit.trail, request, [patient.id]);
        const issued = await kiosk().kiosk.issueCode({ patientId: patient.id, createdBy: principal.userId });
        void reply.code(201);
        return { patientId: patient.id, code: issued.code.match(/.{4}/g)!.join('-'), createdAt: issued.createdAt.toISOString() };
      },
    );
  };
