/** GET /api/v1/patients/{patientId}/trends — readings of one kind aggregated per hour or day, inside InfluxDB. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CATALOGUE } from '../../../contract/index.js';
import { DEFAULT_TREND_TIME_ZONE, isTrendTimeZone, TREND_INTERVAL_MS } from '../../../contract/trends.js';
import { requirePrincipal } from '../../auth.js';
import { DAY_MS, timeRange } from '../../common-schemas.js';
import { ApiError } from '../../errors.js';
import { visiblePatient } from '../../patient-access.js';
import { ALL_ROLES } from '../../route-policy.js';
import type { ApiServices } from '../../services.js';
import { MAX_BUCKETS, TrendsParams, TrendsQuery, TrendsResponse } from './schemas.js';

export const trendsRoutes =
  (services: Pick<ApiServices, 'patients' | 'trends'>): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/patients/:patientId/trends',
      {
        config: { roles: ALL_ROLES, audit: { action: 'trends.read' } },
        schema: {
          summary: "A patient's readings of one kind, aggregated per hour or day",
          description: `Aggregated inside InfluxDB (GROUP BY time, buckets without readings left out), in the patient's time zone (or \`tz\`): daily buckets start at local midnight, DST days last 23 or 25 h. At most ${MAX_BUCKETS} buckets per request.`,
          tags: ['readings'],
          params: TrendsParams,
          querystring: TrendsQuery,
          response: { 200: TrendsResponse },
        },
      },
      async (request) => {
        const principal = requirePrincipal(request);
        const { kind, every, agg, includeImplausible, tz } = request.query;
        const { from, to } = timeRange(request.query, 30 * DAY_MS);
        const buckets = Math.ceil((to.getTime() - from.getTime()) / TREND_INTERVAL_MS[every]);
        if (buckets > MAX_BUCKETS) {
          const message = `the range spans ${buckets} buckets of ${every}; at most ${MAX_BUCKETS} (use every=1d or a shorter range)`;
          throw new ApiError('RPM_ERR_VALIDATION', `querystring.from: ${message}`, [{ path: 'querystring.from', message }]);
        }
        const patient = await visiblePatient(services.patients, principal, request.params.patientId);
        // A clinician reads "daily" as the patient's days. A stored zone that would not pass the query
        // check (a registry without validation) falls back to the default rather than failing the read.
        const stored = patient.timeZone !== undefined && isTrendTimeZone(patient.timeZone) ? patient.timeZone : DEFAULT_TREND_TIME_ZONE;
        const timeZone = tz ?? stored;
        const rows = await services.trends.trend({ patientId: patient.id, kind, from, to, every, agg, includeImplausible, timeZone });
        return {
          patientId: patient.id,
          kind,
          from: from.toISOString(),
          to: to.toISOString(),
          every,
          timeZone,
          agg,
          // UCUM: a count is dimensionless; the annotation says of what.
          components: CATALOGUE[kind].components.map((c) => ({ name: c.name, code: c.loinc, unit: agg === 'count' ? '{readings}' : c.unit })),
          buckets: rows,
        };
      },
    );
  };
