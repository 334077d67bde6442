/**
 * The unassigned-readings inbox (admin): readings from devices not assigned to anyone when they
 * measured, kept rather than dropped; and assigning such a device to a patient, which moves its
 * waiting readings of that period to the patient.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { commitAttempt } from '../../audit-hooks.js';
import { ApiError } from '../../errors.js';
import type { ApiServices } from '../../services.js';
import { AssignmentBody, AssignmentResponse, UnassignedResponse } from './schemas.js';

export const unassignedRoutes =
  (services: Pick<ApiServices, 'unassigned' | 'assigner' | 'patients' | 'audit'>): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/unassigned',
      {
        // Readings of devices nobody is assigned to are still health data: the read is logged (patient: none).
        config: { roles: ['admin'], audit: { action: 'unassigned.list' } },
        schema: { summary: 'Devices with readings waiting for an assignment (admin)', tags: ['gateways'], response: { 200: UnassignedResponse } },
      },
      async () => ({ devices: (await services.unassigned.devices()).map((d) => ({ ...d, kinds: [...d.kinds] })) }),
    );

    app.post(
      '/unassigned/assignments',
      {
        config: { roles: ['admin'], audit: { action: 'device.assign', change: true } },
        schema: {
          summary: 'Assign a device to a patient and move its waiting readings (admin)',
          tags: ['gateways'],
          body: AssignmentBody,
          response: { 201: AssignmentResponse },
        },
      },
      async (request, reply) => {
        const body = request.body;
        if (!(await services.patients.getPatient(body.patientId))) {
          throw new ApiError('RPM_ERR_VALIDATION', `body.patientId: no patient ${body.patientId}`, [{ path: 'body.patientId', message: 'no such patient' }]);
        }
        await commitAttempt(services.audit.trail, request, [body.patientId]);
        const result = await services.assigner.assign({
          deviceId: body.deviceId,
          ...(body.userIndex !== undefined && { userIndex: body.userIndex }),
          patientId: body.patientId,
          ...(body.from && { from: new Date(body.from) }),
          ...(body.to && { to: new Date(body.to) }),
        });
        void reply.code(201);
        return {
          deviceId: body.deviceId,
          ...(body.userIndex !== undefined && { userIndex: body.userIndex }),
          patientId: body.patientId,
          from: result.from.toISOString(),
          ...(result.to && { to: result.to.toISOString() }),
          readingsMoved: result.readingsMoved,
        };
      },
    );
  };
