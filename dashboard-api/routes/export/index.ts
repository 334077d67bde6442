/** Export of one patient's readings for a period: CSV for spreadsheets, FHIR R4 for patient records. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VITAL_KINDS, type VitalKind } from '../../../contract/index.js';
import type { ReadingRow, ReadingsRepository } from '../../../hub/storage/readings-repository.js';
import { requirePrincipal } from '../../auth.js';
import { DAY_MS, timeRange } from '../../common-schemas.js';
import { ApiError } from '../../errors.js';
import { visiblePatient } from '../../patient-access.js';
import type { ApiServices } from '../../services.js';
import { toCsv } from './csv.js';
import { enteredObservationResource } from './fhir-entered.js';
import { observationBundle, stableUuid } from './fhir.js';
import { ExportQuery, FhirBundle, MAX_EXPORT_DAYS, PatientParams } from './schemas.js';

/** Readings per export at most (a year of six readings a day of every kind is about 15,000). */
const MAX_ROWS = 100_000;
const PAGE = 10_000;

async function readingsOf(readings: ReadingsRepository, patientId: string, kinds: readonly VitalKind[], from: Date, to: Date): Promise<ReadingRow[]> {
  const rows: ReadingRow[] = [];
  for (const kind of kinds) {
    let after: { t: number; id: string } | undefined;
    do {
      const page = await readings.page({ patientId, kind, from, to, limit: PAGE, order: 'asc', ...(after && { after }) });
      rows.push(...page.rows);
      after = page.next;
      if (rows.length > MAX_ROWS) throw new ApiError('RPM_ERR_VALIDATION', `more than ${MAX_ROWS} readings in the period; export a shorter one`, [{ path: 'querystring.from', message: 'period too long' }]);
    } while (after);
  }
  return rows.sort((a, b) => Date.parse(a.measuredAt) - Date.parse(b.measuredAt) || (a.id < b.id ? -1 : 1));
}

function range(query: { from?: string | undefined; to?: string | undefined }) {
  const { from, to } = timeRange(query, 30 * DAY_MS);
  if (to.getTime() - from.getTime() > MAX_EXPORT_DAYS * DAY_MS) {
    const message = `at most ${MAX_EXPORT_DAYS} days per export`;
    throw new ApiError('RPM_ERR_VALIDATION', `querystring.from: ${message}`, [{ path: 'querystring.from', message }]);
  }
  return { from, to };
}

export const exportRoutes =
  (services: Pick<ApiServices, 'patients' | 'readings' | 'observations'>): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/patients/:patientId/export.csv',
      {
        config: { roles: ['admin', 'clinician'], audit: { action: 'export.csv' } },
        schema: {
          summary: "A patient's readings as CSV, one line per component",
          tags: ['export'],
          params: PatientParams,
          querystring: ExportQuery,
          response: { 200: { description: 'RFC 4180 CSV with a header line', content: { 'text/csv': { schema: z.string() } } } },
        },
      },
      async (request, reply) => {
        const principal = requirePrincipal(request);
        const { from, to } = range(request.query);
        const patient = await visiblePatient(services.patients, principal, request.params.patientId);
        const rows = await readingsOf(services.readings, patient.id, request.query.kinds, from, to);
        void reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${patient.id}-readings.csv"`);
        return toCsv(rows);
      },
    );

    app.get(
      '/patients/:patientId/fhir',
      {
        config: { roles: ['admin', 'clinician'], audit: { action: 'export.fhir' } },
        schema: {
          summary: "A patient's readings as a FHIR R4 Bundle of vital-signs Observations",
          description: 'Bundle type collection; each Observation has the reading id as identifier (system urn:rpm-hub:reading-id) for de-duplication.',
          tags: ['export'],
          params: PatientParams,
          querystring: ExportQuery,
          response: { 200: { description: 'FHIR R4 Bundle', content: { 'application/fhir+json': { schema: FhirBundle } } } },
        },
      },
      async (request, reply) => {
        const principal = requirePrincipal(request);
        const { from, to } = range(request.query);
        const patient = await visiblePatient(services.patients, principal, request.params.patientId);
        const rows = await readingsOf(services.readings, patient.id, request.query.kinds, from, to);
        void reply.type('application/fhir+json; charset=utf-8');
        const bundle = observationBundle(rows, patient.id);
        // With every kind (the default) the entered ACVPU and oxygen observations come along.
        if (request.query.kinds.length < VITAL_KINDS.length || !services.observations) return bundle;
        const entered = (await services.observations.list(patient.id, from, to)).filter((o) => o.kind === 'consciousness' || o.kind === 'supplemental_oxygen');
        return { ...bundle, entry: [...bundle.entry, ...entered.map((o) => ({ fullUrl: `urn:uuid:${stableUuid(o.id)}`, resource: enteredObservationResource(o, patient.id) }))] };
      },
    );
  };
