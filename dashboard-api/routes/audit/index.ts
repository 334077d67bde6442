/**
 * GET /api/v1/audit — the access log of patient data, newest first (admin). Read-only: the API has
 * no route that changes or deletes entries. Reading the log is itself logged.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { encodeCursor, decodeCursor } from '../../pagination.js';
import type { ApiServices } from '../../services.js';
import { AuditQuery, AuditResponse } from './schemas.js';

export const auditRoutes =
  (services: Pick<ApiServices, 'audit'>): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/audit',
      {
        config: { roles: ['admin'], audit: { action: 'audit.read' } },
        schema: {
          summary: 'Who read or changed which patient data, when, from where (admin)',
          tags: ['audit'],
          querystring: AuditQuery,
          response: { 200: AuditResponse },
        },
      },
      async (request) => {
        const q = request.query;
        const after = q.cursor ? decodeCursor(q.cursor) : undefined;
        request.auditPatientIds = q.patientId ? [q.patientId] : [];
        const rows = await services.audit.store.query({
          ...(q.patientId !== undefined && { patientId: q.patientId }),
          ...(q.userId !== undefined && { userId: q.userId }),
          ...(q.from !== undefined && { from: new Date(q.from) }),
          ...(q.to !== undefined && { to: new Date(q.to) }),
          ...(after && { after: { at: after.t, id: after.id } }),
          limit: q.limit + 1,
        });
        const entries = rows.slice(0, q.limit);
        const last = entries[entries.length - 1];
        return { entries, nextCursor: rows.length > q.limit && last ? encodeCursor({ t: Date.parse(last.at), id: last.id }) : null };
      },
    );
  };
