/**
 * The resident's side of an answer link, without sign-in: the token is the only credential. GET
 * shows the first name and the questions (nothing else about the resident: the screen may be a
 * shared kiosk); POST stores the answers and uses the link up, in one transaction. A used link is
 * 410 RPM_ERR_LINK_USED, an expired one 410 RPM_ERR_LINK_EXPIRED, an unknown one 404. Both are
 * audited under the link's id (`link:<id>`, role `resident`), as a user's reads are.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { monotonicFactory } from 'ulid';
import type { LinkRefusal } from '../../../hub/questionnaires/questionnaire-model.js';
import { isShippedQuestionnaire } from '../../../contract/questionnaires/defaults.js';
import { ApiError } from '../../errors.js';
import type { ApiServices } from '../../services.js';
import { buildResponse, checkedAnswers, definitionOrRefuse } from './build-response.js';
import { LinkAnswerBody, LinkAnswered, LinkView, TokenParams } from './schemas.js';

const PUBLIC = { security: [] as Record<string, string[]>[] };

function refused(reason: LinkRefusal): ApiError {
  if (reason === 'used') return new ApiError('RPM_ERR_LINK_USED', 'these answers were already sent; ask the staff for a new link');
  if (reason === 'expired') return new ApiError('RPM_ERR_LINK_EXPIRED', 'this link has expired; ask the staff for a new link');
  return new ApiError('RPM_ERR_NOT_FOUND', 'no such answer link');
}

/** "Lindqvist, Karin" → "Karin"; "Karin Lindqvist" → "Karin". */
export function firstNameOf(displayName: string): string {
  const comma = displayName.indexOf(',');
  const given = comma >= 0 ? displayName.slice(comma + 1) : displayName;
  return given.trim().split(/\s+/)[0] ?? '';
}

export const publicAnswerRoutes =
  (services: Pick<ApiServices, 'patients' | 'questionnaires' | 'audit'>, options: { now: () => Date }): FastifyPluginAsyncZod =>
  async (app) => {
    const newUlid = monotonicFactory();
    const store = () => {
      if (!services.questionnaires) throw new ApiError('RPM_ERR_STORAGE_UNAVAILABLE', 'this hub stores no questionnaires');
      return services.questionnaires;
    };
    const audit = async (request: FastifyRequest, action: string, linkId: string, patientId: string, status: number) => {
      const trail = services.audit.trail;
      const at = new Date();
      await trail.commit([
        { id: trail.newId(at.getTime()), at: at.toISOString(), userId: `link:${linkId}`, role: 'resident', action, route: `${request.method} ${request.routeOptions.url ?? ''}`, patientId, address: request.ip, outcome: status === 0 ? 'attempted' : 'allowed', status, requestId: String(request.id) },
      ]);
    };

    app.get(
      '/answer-links/:token',
      {
        config: { public: true },
        schema: { summary: 'What an answer link asks: the first name and the questions (no sign-in; the token is the credential)', tags: ['questionnaires'], ...PUBLIC, params: TokenParams, response: { 200: LinkView } },
      },
      async (request, reply) => {
        const usable = await store().usableLink(request.params.token, options.now());
        if (!usable.ok) throw refused(usable.reason);
        const { link } = usable;
        const [patient, def] = await Promise.all([services.patients.getPatient(link.patientId), store().definition(link.questionnaireId, link.questionnaireVersion)]);
        if (!patient || !def) throw refused('unknown');
        await audit(request, 'questionnaire-link.read', link.id, patient.id, 200);
        void reply.header('cache-control', 'no-store');
        const { scores: _s, rules: _r, ...questions } = def;
        return { firstName: firstNameOf(patient.displayName), expiresAt: link.expiresAt.toISOString(), questionnaire: { ...questions, shipped: isShippedQuestionnaire(def.id, def.version) } };
      },
    );

    app.post(
      '/answer-links/:token',
      {
        config: { public: true },
        schema: { summary: 'Send the answers through an answer link (once)', tags: ['questionnaires'], ...PUBLIC, params: TokenParams, body: LinkAnswerBody, response: { 201: LinkAnswered } },
      },
      async (request, reply) => {
        const at = options.now();
        const usable = await store().usableLink(request.params.token, at);
        if (!usable.ok) throw refused(usable.reason);
        const { link } = usable;
        const def = await definitionOrRefuse(store(), link.questionnaireId, link.questionnaireVersion, 'version');
        checkedAnswers(def, request.body.answers);
        const response = buildResponse(def, request.body.answers, { id: `qr_${newUlid(at.getTime())}`, patientId: link.patientId, answeredAt: at, enteredAt: at, channel: 'resident', linkId: link.id });
        await audit(request, 'questionnaire-response.answer', link.id, link.patientId, 0);
        const done = await store().answerThroughLink(request.params.token, response, at);
        if (!done.ok) throw refused(done.reason);
        await audit(request, 'questionnaire-response.answer', link.id, link.patientId, 201);
        store().onAnswered?.(link.patientId);
        void reply.code(201);
        return { answeredAt: at.toISOString() };
      },
    );
  };
