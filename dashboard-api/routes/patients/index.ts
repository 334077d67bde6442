/**
 * Patients: the caller's worklist, a patient's detail, and (admins) creating and updating patients
 * with their rule configuration.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Principal } from '../../../hub/registry/registry.js';
import type { LatestVital } from '../../../hub/storage/latest-vitals.js';
import { commitAttempt } from '../../audit-hooks.js';
import { requirePrincipal } from '../../auth.js';
import { DAY_MS } from '../../common-schemas.js';
import { ApiError } from '../../errors.js';
import { buildWorklist } from '../../patient-overview.js';
import { visiblePatient } from '../../patient-access.js';
import { ALL_ROLES } from '../../route-policy.js';
import { PatientExistsError, type ApiServices, type PatientRecord, type PatientRisk } from '../../services.js';
import { CreatePatientBody, PatientDetail, PatientParams, UpdatePatientBody, WorklistQuery, WorklistResponse } from './schemas.js';

export interface PatientsRouteOptions {
  /** Latest vitals older than this are not shown on the worklist (and InfluxDB opens fewer shards). */
  readonly lookbackDays: number;
}

type Services = Pick<ApiServices, 'patients' | 'latestVitals' | 'alerts' | 'audit'>;

function riskOut(risk: PatientRisk | undefined) {
  const news2 = risk?.news2;
  return { openAlerts: risk?.openAlerts ?? 0, highestSeverity: risk?.highestSeverity ?? null, news2: news2 ? { ...news2, missing: [...news2.missing] } : null };
}

function latestOut(latest: readonly LatestVital[] | undefined) {
  return (latest ?? []).map((v) => ({ ...v, components: [...v.components] }));
}

/** Stored rules as JSON (Dates become ISO strings), the way they are kept and shown. */
function rulesJson(rules: unknown): Record<string, unknown> {
  return rules === undefined ? {} : (JSON.parse(JSON.stringify(rules)) as Record<string, unknown>);
}

export const patientsRoutes =
  (services: Services, options: PatientsRouteOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const since = () => new Date(Date.now() - options.lookbackDays * DAY_MS);

    async function detail(record: PatientRecord) {
      const [latest, risk] = await Promise.all([services.latestVitals.latest([record.id], since()), services.alerts.riskOf([record.id])]);
      return {
        id: record.id,
        displayName: record.displayName,
        careTeamId: record.careTeamId,
        conditionGroups: [...(record.conditionGroups ?? [])],
        ...(record.timeZone !== undefined && { timeZone: record.timeZone }),
        rules: record.rules,
        createdAt: record.createdAt,
        updatedAt: record.updatedAt,
        latest: latestOut(latest.get(record.id)),
        ...riskOut(risk.get(record.id)),
      };
    }

    const teamsOf = (principal: Principal, careTeamId: string | undefined): readonly string[] | 'all' => {
      if (principal.role === 'admin') return careTeamId ? [careTeamId] : 'all';
      return careTeamId ? principal.careTeamIds.filter((t) => t === careTeamId) : principal.careTeamIds;
    };

    app.get(
      '/patients',
      {
        config: { roles: ALL_ROLES, audit: { action: 'patient.list' } },
        schema: {
          summary: 'Your worklist: the patients of your care teams, most worrying first',
          description: 'Latest vitals per kind, open alerts and NEWS2, sorted by risk then name. Admins see every patient.',
          tags: ['patients'],
          querystring: WorklistQuery,
          response: { 200: WorklistResponse },
        },
      },
      async (request) => {
        const principal = requirePrincipal(request);
        const patients = await services.patients.listPatients(teamsOf(principal, request.query.careTeamId));
        const list = await buildWorklist(services, patients, since());
        request.auditPatientIds = list.map((e) => e.patient.id);
        return {
          lookbackDays: options.lookbackDays,
          patients: list.map((e) => ({
            id: e.patient.id,
            displayName: e.patient.displayName,
            careTeamId: e.patient.careTeamId,
            conditionGroups: [...(e.patient.conditionGroups ?? [])],
            ...(e.patient.timeZone !== undefined && { timeZone: e.patient.timeZone }),
            latest: latestOut(e.latest),
            ...riskOut(e.risk),
          })),
        };
      },
    );

    app.get(
      '/patients/:patientId',
      {
        config: { roles: ALL_ROLES, audit: { action: 'patient.read' } },
        schema: { summary: 'A patient: details, rule configuration, latest vitals and risk', tags: ['patients'], params: PatientParams, response: { 200: PatientDetail } },
      },
      async (request) => {
        const principal = requirePrincipal(request);
        await visiblePatient(services.patients, principal, request.params.patientId);
        const record = await services.patients.getPatientRecord(request.params.patientId);
        if (!record) throw new ApiError('RPM_ERR_NOT_FOUND', `no patient ${request.params.patientId}`);
        return detail(record);
      },
    );

    app.post(
      '/patients',
      {
        config: { roles: ['admin'], audit: { action: 'patient.create', change: true } },
        schema: { summary: 'Create a patient (admin)', tags: ['patients'], body: CreatePatientBody, response: { 201: PatientDetail } },
      },
      async (request, reply) => {
        const body = request.body;
        await commitAttempt(services.audit.trail, request, [body.id]);
        try {
          const record = await services.patients.createPatient({ id: body.id, careTeamId: body.careTeamId, displayName: body.displayName, rules: rulesJson(body.rules ?? {}) });
          void reply.code(201).header('location', `/api/v1/patients/${record.id}`);
          return await detail(record);
        } catch (err) {
          if (err instanceof PatientExistsError) {
            throw new ApiError('RPM_ERR_CONFLICT', `patient ${body.id} already exists`, [{ path: 'body.id', message: 'already exists' }]);
          }
          throw err;
        }
      },
    );

    app.patch(
      '/patients/:patientId',
      {
        config: { roles: ['admin'], audit: { action: 'patient.update', change: true } },
        schema: {
          summary: "Change a patient's care team, name or rule configuration (admin)",
          tags: ['patients'],
          params: PatientParams,
          body: UpdatePatientBody,
          response: { 200: PatientDetail },
        },
      },
      async (request) => {
        const { patientId } = request.params;
        if (!(await services.patients.getPatient(patientId))) throw new ApiError('RPM_ERR_NOT_FOUND', `no patient ${patientId}`);
        await commitAttempt(services.audit.trail, request, [patientId]);
        const { rules, ...rest } = request.body;
        const record = await services.patients.updatePatient(patientId, { ...rest, ...(rules !== undefined && { rules: rulesJson(rules) }) });
        if (!record) throw new ApiError('RPM_ERR_NOT_FOUND', `no patient ${patientId}`);
        return detail(record);
      },
    );
  };
