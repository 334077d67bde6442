/** GET /api/v1/patients/{patientId}/readings — raw readings of one kind in a time range. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ApiServices } from '../../services.js';
import { requirePrincipal } from '../../auth.js';
import { visiblePatient } from '../../patient-access.js';
import { ReadingsParams, ReadingsQuery, ReadingsResponse } from './schemas.js';

const DEFAULT_WINDOW_MS = 7 * 24 * 3600 * 1000;

export const readingsRoutes =
  (services: Pick<ApiServices, 'patients' | 'readings'>): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/patients/:patientId/readings',
      {
        schema: {
          summary: "A patient's readings of one kind in a time range",
          tags: ['readings'],
          params: ReadingsParams,
          querystring: ReadingsQuery,
          response: { 200: ReadingsResponse },
          security: [{ bearer: [] }],
        },
      },
      async (request) => {
        const principal = requirePrincipal(request);
        const patient = await visiblePatient(services.patients, principal, request.params.patientId);
        const to = request.query.to ? new Date(request.query.to) : new Date();
        const from = request.query.from ? new Date(request.query.from) : new Date(to.getTime() - DEFAULT_WINDOW_MS);
        const rows = await services.readings.list({ patientId: patient.id, kind: request.query.kind, from, to, limit: request.query.limit, order: request.query.order });
        return {
          patientId: patient.id,
          kind: request.query.kind,
          from: from.toISOString(),
          to: to.toISOString(),
          readings: rows.map((r) => ({
            id: r.id,
            kind: r.kind,
            measuredAt: r.measuredAt,
            ...(r.receivedAt && { receivedAt: r.receivedAt }),
            deviceId: r.deviceId,
            gatewayId: r.gatewayId,
            ...(r.userIndex !== undefined && { userIndex: r.userIndex }),
            components: r.components,
            flags: { late: r.late, clockSuspect: r.clockSuspect, implausible: r.implausible },
          })),
        };
      },
    );
  };
