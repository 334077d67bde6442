/** GET /api/v1/patients/{patientId}/readings — raw readings of one kind in a time range, in pages. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ReadingRow } from '../../../hub/storage/readings-repository.js';
import { requirePrincipal } from '../../auth.js';
import { DAY_MS, timeRange } from '../../common-schemas.js';
import { decodeCursor, encodeCursor } from '../../pagination.js';
import { visiblePatient } from '../../patient-access.js';
import { ALL_ROLES } from '../../route-policy.js';
import type { ApiServices } from '../../services.js';
import { ReadingsParams, ReadingsQuery, ReadingsResponse } from './schemas.js';

export function readingOut(r: ReadingRow) {
  return {
    id: r.id,
    kind: r.kind,
    measuredAt: r.measuredAt,
    ...(r.receivedAt && { receivedAt: r.receivedAt }),
    deviceId: r.deviceId,
    gatewayId: r.gatewayId,
    ...(r.userIndex !== undefined && { userIndex: r.userIndex }),
    components: r.components,
    flags: { late: r.late, clockSuspect: r.clockSuspect, implausible: r.implausible, superseded: r.supersededBy !== undefined },
    source: r.source,
    ...(r.enteredBy && { enteredBy: r.enteredBy }),
    ...(r.enteredRole && { enteredRole: r.enteredRole }),
    ...(r.supersededBy && { supersededBy: r.supersededBy }),
    ...(r.attribution && { attribution: r.attribution }),
  };
}

export const readingsRoutes =
  (services: Pick<ApiServices, 'patients' | 'readings'>): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/patients/:patientId/readings',
      {
        config: { roles: ALL_ROLES, audit: { action: 'readings.read' } },
        schema: {
          summary: "A patient's readings of one kind in a time range",
          description: 'Ordered by measurement time, then reading id. Pages with `limit` and the opaque `nextCursor`.',
          tags: ['readings'],
          params: ReadingsParams,
          querystring: ReadingsQuery,
          response: { 200: ReadingsResponse },
        },
      },
      async (request) => {
        const principal = requirePrincipal(request);
        const after = request.query.cursor ? decodeCursor(request.query.cursor) : undefined;
        const patient = await visiblePatient(services.patients, principal, request.params.patientId);
        const { from, to } = timeRange(request.query, 7 * DAY_MS);
        const page = await services.readings.page({
          patientId: patient.id,
          kind: request.query.kind,
          from,
          to,
          limit: request.query.limit,
          order: request.query.order,
          ...(after && { after }),
        });
        return {
          patientId: patient.id,
          kind: request.query.kind,
          from: from.toISOString(),
          to: to.toISOString(),
          readings: page.rows.map(readingOut),
          nextCursor: page.next ? encodeCursor(page.next) : null,
        };
      },
    );
  };
