/**
 * Questionnaires: definitions (shipped and the organisation's own, POST a new version: admins;
 * versions are immutable), responses entered by staff or answered by the resident through a
 * single-use link (public.ts), the FHIR QuestionnaireResponse export. Every read and write of a
 * patient's answers is audited; another team's patient is 404 as everywhere.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { monotonicFactory } from 'ulid';
import { parseQuestionnaireDefinition } from '../../../contract/questionnaires/definition.js';
import { isShippedQuestionnaire } from '../../../contract/questionnaires/defaults.js';
import { commitAttempt } from '../../audit-hooks.js';
import { requirePrincipal } from '../../auth.js';
import { DAY_MS, timeRange } from '../../common-schemas.js';
import { ApiError } from '../../errors.js';
import { visiblePatient } from '../../patient-access.js';
import { ALL_ROLES } from '../../route-policy.js';
import type { ApiServices } from '../../services.js';
import { buildResponse, checkAnsweredAt, checkedAnswers, definitionOrRefuse, definitionOut, responseOut } from './build-response.js';
import { FhirQuestionnaireBundle, questionnaireBundle } from './fhir.js';
import { publicAnswerRoutes } from './public.js';
import { DefinitionBody, DefinitionList, DefinitionOut, DefinitionParams, LinkBody, LinkOut, PatientParams, ResponseBody, ResponseList, ResponseOut, ResponsesQuery } from './schemas.js';

export interface QuestionnaireRouteOptions {
  readonly now?: () => Date;
}

type Store = NonNullable<ApiServices['questionnaires']>;

export const questionnairesRoutes =
  (services: Pick<ApiServices, 'patients' | 'questionnaires' | 'audit'>, options: QuestionnaireRouteOptions = {}): FastifyPluginAsyncZod =>
  async (app) => {
    const now = options.now ?? (() => new Date());
    const newUlid = monotonicFactory();
    const store = (): Store => {
      if (!services.questionnaires) throw new ApiError('RPM_ERR_STORAGE_UNAVAILABLE', 'this hub stores no questionnaires (it needs the SQL registry)');
      return services.questionnaires;
    };

    app.get(
      '/questionnaires',
      { config: { roles: ALL_ROLES }, schema: { summary: 'Questionnaire definitions: shipped and the organisation’s own, every version', tags: ['questionnaires'], response: { 200: DefinitionList } } },
      async () => {
        return { questionnaires: (await store().definitions()).map((d) => definitionOut(d, isShippedQuestionnaire(d.id, d.version))) };
      },
    );

    app.get(
      '/questionnaires/:questionnaireId/versions/:version',
      { config: { roles: ALL_ROLES }, schema: { summary: 'One version of a questionnaire definition', tags: ['questionnaires'], params: DefinitionParams, response: { 200: DefinitionOut } } },
      async (request) => {
        const def = await store().definition(request.params.questionnaireId, request.params.version);
        if (!def) throw new ApiError('RPM_ERR_NOT_FOUND', `no questionnaire ${request.params.questionnaireId} version ${request.params.version}`);
        return definitionOut(def, isShippedQuestionnaire(def.id, def.version));
      },
    );

    app.post(
      '/questionnaires',
      {
        config: { roles: ['admin'] },
        schema: {
          summary: "Add an organisation's questionnaire, or a new version of one (versions are immutable)",
          description: 'Each question and rule must cite its source. An existing id and version (shipped ones included) is 409.',
          tags: ['questionnaires'],
          body: DefinitionBody,
          response: { 201: DefinitionOut },
        },
      },
      async (request, reply) => {
        const principal = requirePrincipal(request);
        const parsed = parseQuestionnaireDefinition(request.body);
        if (!parsed.ok) throw new ApiError('RPM_ERR_VALIDATION', `body: ${parsed.reason}`, parsed.reason.split('; ').map((m) => ({ path: `body.${m.split(':')[0]}`, message: m })));
        const written = await store().addDefinition(parsed.value, principal.userId);
        if (!written.ok) throw new ApiError('RPM_ERR_CONFLICT', `${parsed.value.id} version ${parsed.value.version} exists; versions are immutable, post version ${parsed.value.version + 1}`);
        void reply.code(201);
        return definitionOut(parsed.value, false);
      },
    );

    app.post(
      '/patients/:patientId/questionnaire-responses',
      {
        config: { roles: ALL_ROLES, audit: { action: 'questionnaire-response.enter', change: true } },
        schema: {
          summary: "Enter a resident's answers to a questionnaire (staff entry)",
          description: 'Checked against the named version: unknown questions, impossible values and missing required answers are refused and nothing is stored.',
          tags: ['questionnaires'],
          params: PatientParams,
          body: ResponseBody,
          response: { 201: ResponseOut },
        },
      },
      async (request, reply) => {
        const principal = requirePrincipal(request);
        const patient = await visiblePatient(services.patients, principal, request.params.patientId);
        const body = request.body;
        const enteredAt = now();
        const answeredAt = body.answeredAt ? new Date(body.answeredAt) : enteredAt;
        checkAnsweredAt(answeredAt, enteredAt);
        const def = await definitionOrRefuse(store(), body.questionnaire, body.version, 'body.version');
        checkedAnswers(def, body.answers);
        const response = buildResponse(def, body.answers, {
          id: `qr_${newUlid(enteredAt.getTime())}`,
          patientId: patient.id,
          answeredAt,
          enteredAt,
          channel: 'staff',
          enteredBy: principal.userId,
          enteredRole: principal.role,
        });
        await commitAttempt(services.audit.trail, request, [patient.id]);
        await store().record(response);
        store().onAnswered?.(patient.id);
        void reply.code(201);
        return responseOut(response, def);
      },
    );

    app.get(
      '/patients/:patientId/questionnaire-responses',
      {
        config: { roles: ALL_ROLES, audit: { action: 'questionnaire-responses.read' } },
        schema: { summary: "A patient's questionnaire responses in a time range, newest first", tags: ['questionnaires'], params: PatientParams, querystring: ResponsesQuery, response: { 200: ResponseList } },
      },
      async (request) => {
        const principal = requirePrincipal(request);
        const patient = await visiblePatient(services.patients, principal, request.params.patientId);
        const { from, to } = timeRange(request.query, 30 * DAY_MS, now());
        const [list, defs] = await Promise.all([store().responses(patient.id, from, to), store().definitions()]);
        const defOf = (id: string, v: number) => defs.find((d) => d.id === id && d.version === v);
        return { patientId: patient.id, from: from.toISOString(), to: to.toISOString(), responses: list.map((r) => responseOut(r, defOf(r.questionnaireId, r.questionnaireVersion))) };
      },
    );

    app.get(
      '/patients/:patientId/fhir/questionnaire-responses',
      {
        config: { roles: ['admin', 'clinician'], audit: { action: 'export.fhir-questionnaire-responses' } },
        schema: {
          summary: "A patient's questionnaire responses as a FHIR R4 Bundle of QuestionnaireResponse",
          tags: ['export', 'questionnaires'],
          params: PatientParams,
          querystring: ResponsesQuery,
          response: { 200: { description: 'FHIR R4 Bundle', content: { 'application/fhir+json': { schema: FhirQuestionnaireBundle } } } },
        },
      },
      async (request, reply) => {
        const principal = requirePrincipal(request);
        const patient = await visiblePatient(services.patients, principal, request.params.patientId);
        const { from, to } = timeRange(request.query, 30 * DAY_MS, now());
        const [list, defs] = await Promise.all([store().responses(patient.id, from, to), store().definitions()]);
        const pairs = list.flatMap((response) => {
          const definition = defs.find((d) => d.id === response.questionnaireId && d.version === response.questionnaireVersion);
          return definition ? [{ response, definition }] : [];
        });
        void reply.type('application/fhir+json; charset=utf-8');
        return questionnaireBundle(pairs.reverse(), now());
      },
    );

    app.post(
      '/patients/:patientId/questionnaire-links',
      {
        config: { roles: ALL_ROLES, audit: { action: 'questionnaire-link.create', change: true } },
        schema: {
          summary: 'Make a single-use, short-lived link for the resident to answer a questionnaire (kiosk or own tablet)',
          description: 'The token is shown once; only its SHA-256 is stored. The page /app/q/<token> needs no sign-in and shows only the first name.',
          tags: ['questionnaires'],
          params: PatientParams,
          body: LinkBody,
          response: { 201: LinkOut },
        },
      },
      async (request, reply) => {
        const principal = requirePrincipal(request);
        const patient = await visiblePatient(services.patients, principal, request.params.patientId);
        const def = await definitionOrRefuse(store(), request.body.questionnaire, request.body.version, 'body.version');
        const createdAt = now();
        const token = randomBytes(32).toString('base64url');
        const link = {
          id: `ql_${newUlid(createdAt.getTime())}`,
          patientId: patient.id,
          questionnaireId: def.id,
          questionnaireVersion: def.version,
          createdBy: principal.userId,
          createdAt,
          expiresAt: new Date(createdAt.getTime() + request.body.minutes * 60_000),
        };
        await commitAttempt(services.audit.trail, request, [patient.id]);
        await store().createLink(link, token);
        void reply.code(201);
        return { id: link.id, token, path: `/app/q/${token}`, questionnaire: def.id, version: def.version, expiresAt: link.expiresAt.toISOString() };
      },
    );

    await app.register(publicAnswerRoutes(services, { now }));
  };
