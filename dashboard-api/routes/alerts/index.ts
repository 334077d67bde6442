/**
 * Alerts for care teams:
 *
 *   GET  /alerts                          list, filtered by state, severity, audience, team, patient, rule
 *   GET  /alerts/{alertId}                one alert
 *   GET  /alerts/{alertId}/events         its transition history (who did what, when), comments included
 *   POST /alerts/{alertId}/acknowledge    take it: escalation and reminders stop
 *   POST /alerts/{alertId}/resolve        close it (if the condition persists, a new alert opens)
 *   POST /alerts/{alertId}/snooze         silence it until a time, with a reason
 *   POST /alerts/{alertId}/comments       add a note to its history
 *   POST /alerts/{alertId}/outcome        record or correct what it turned out to be (also on acknowledge/resolve)
 *
 * plus the configuration a care team edits (config-routes.ts). Users see the alerts of their care
 * teams (admins all); others answer 404 like unknown ones. Every access is in the audit log.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AlertAction, AlertManagement } from '../../../hub/alerts/alert-api.js';
import type { AlertRecord } from '../../../hub/alerts/model.js';
import type { Principal } from '../../../hub/registry/registry.js';
import { commitAttempt } from '../../audit-hooks.js';
import { requirePrincipal } from '../../auth.js';
import { ApiError } from '../../errors.js';
import { decodeCursor, encodeCursor } from '../../pagination.js';
import { visiblePatient } from '../../patient-access.js';
import { ALL_ROLES } from '../../route-policy.js';
import { alertsOf, canSeeTeam, type AlertRouteServices } from './access.js';
import { alertConfigRoutes } from './config-routes.js';
import { qualityRoutes } from '../quality/index.js';
import { alertOut, eventOut } from './mapping.js';
import { partErrorFieldOf, partErrorOf, type OutcomeInput } from '../../../contract/index.js';
import { AcknowledgeBody, AlertHistoryResponse, AlertListQuery, AlertListResponse, AlertOut, AlertParams, CommentBody, OutcomeBody, ResolveBody, SnoozeBody } from './schemas.js';


/** The alert, if this user may see it; 404 otherwise (as for an unknown id). */
async function visibleAlert(alerts: AlertManagement, principal: Principal, alertId: string): Promise<AlertRecord> {
  const alert = await alerts.get(alertId);
  if (!alert || !canSeeTeam(principal, alert.careTeamId)) throw new ApiError('RPM_ERR_NOT_FOUND', `no alert ${alertId}`);
  return alert;
}

/** Runs an action, mapping lifecycle refusals to problems that say why. */
async function act(alerts: AlertManagement, principal: Principal, alertId: string, action: AlertAction): Promise<AlertRecord> {
  try {
    return await alerts.act(alertId, principal.userId, action, (current) => {
      // Another team's alert is as unknown as a missing one.
      if (!canSeeTeam(principal, current.careTeamId)) throw new ApiError('RPM_ERR_NOT_FOUND', `no alert ${alertId}`);
    });
  } catch (err) {
    // The hub's refusals are recognised by their stable code (contract/part-errors.ts), not by class.
    const part = partErrorOf(err);
    if (part === 'not_found') throw new ApiError('RPM_ERR_NOT_FOUND', `no alert ${alertId}`);
    if (part === 'invalid_input' && err instanceof Error) {
      const field = partErrorFieldOf(err);
      throw new ApiError('RPM_ERR_VALIDATION', err.message, field ? [{ path: field, message: err.message }] : undefined);
    }
    if (part === 'conflict' && err instanceof Error) throw new ApiError('RPM_ERR_CONFLICT', err.message);
    throw err;
  }
}

const patientsOf = (alert: AlertRecord): string[] => (alert.patientId ? [alert.patientId] : []);

export const alertsRoutes =
  (services: AlertRouteServices): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/alerts',
      {
        config: { roles: ALL_ROLES, audit: { action: 'alerts.list' } },
        schema: { summary: 'Alerts of your care teams', tags: ['alerts'], querystring: AlertListQuery, response: { 200: AlertListResponse } },
      },
      async (request) => {
        const principal = requirePrincipal(request);
        const alerts = alertsOf(services);
        const q = request.query;
        if (q.patientId) await visiblePatient(services.patients, principal, q.patientId);
        const before = q.cursor ? decodeCursor(q.cursor) : undefined;
        const list = await alerts.list({
          careTeamIds: principal.role === 'admin' ? 'all' : principal.careTeamIds,
          states: q.state ?? ['open', 'acknowledged'],
          ...(q.severity?.length ? { severities: q.severity } : {}),
          ...(q.audience ? { audience: q.audience } : {}),
          ...(q.careTeamId ? { careTeamId: q.careTeamId } : {}),
          ...(q.patientId ? { patientId: q.patientId } : {}),
          ...(q.rule ? { ruleId: q.rule } : {}),
          ...(before ? { before: { openedAt: new Date(before.t), id: before.id } } : {}),
          limit: q.limit,
        });
        request.auditPatientIds = [...new Set(list.flatMap(patientsOf))];
        const last = list.at(-1);
        return { alerts: list.map(alertOut), ...(list.length === q.limit && last ? { nextCursor: encodeCursor({ t: last.openedAt.getTime(), id: last.id }) } : {}) };
      },
    );

    app.get(
      '/alerts/:alertId',
      {
        config: { roles: ALL_ROLES, audit: { action: 'alert.read' } },
        schema: { summary: 'One alert', tags: ['alerts'], params: AlertParams, response: { 200: AlertOut } },
      },
      async (request) => {
        const alert = await visibleAlert(alertsOf(services), requirePrincipal(request), request.params.alertId);
        request.auditPatientIds = patientsOf(alert);
        return alertOut(alert);
      },
    );

    app.get(
      '/alerts/:alertId/events',
      {
        config: { roles: ALL_ROLES, audit: { action: 'alert.history' } },
        schema: { summary: "An alert's transitions and comments, oldest first", tags: ['alerts'], params: AlertParams, response: { 200: AlertHistoryResponse } },
      },
      async (request) => {
        const alerts = alertsOf(services);
        const alert = await visibleAlert(alerts, requirePrincipal(request), request.params.alertId);
        request.auditPatientIds = patientsOf(alert);
        return { alertId: alert.id, events: (await alerts.history(alert.id)).map(eventOut) };
      },
    );

    /** The four actions share one shape: check visibility, log the attempt, act, answer the alert. */
    const action = (path: string, action: string, roles: typeof ALL_ROLES, summary: string, schema: typeof AcknowledgeBody | typeof ResolveBody | typeof SnoozeBody | typeof OutcomeBody, toAction: (body: never) => AlertAction) =>
      app.post(
        `/alerts/:alertId/${path}`,
        {
          config: { roles, audit: { action, change: true } },
          schema: { summary, tags: ['alerts'], params: AlertParams, body: schema, response: { 200: AlertOut } },
        },
        async (request) => {
          const principal = requirePrincipal(request);
          const alerts = alertsOf(services);
          const alert = await visibleAlert(alerts, principal, request.params.alertId);
          await commitAttempt(services.audit.trail, request, patientsOf(alert));
          return alertOut(await act(alerts, principal, alert.id, toAction(request.body as never)));
        },
      );

    const CARE: typeof ALL_ROLES = ['admin', 'clinician'];
    type NoteAndOutcome = { note?: string; outcome?: OutcomeInput };
    const noteAndOutcome = (b: NoteAndOutcome) => ({ ...(b.note ? { note: b.note } : {}), ...(b.outcome ? { outcome: b.outcome } : {}) });
    action('acknowledge', 'alert.acknowledge', CARE, 'Acknowledge: you take it; escalation and reminders stop. Optionally with the outcome', AcknowledgeBody, (b: NoteAndOutcome) => ({ type: 'acknowledge', ...noteAndOutcome(b) }));
    action('resolve', 'alert.resolve', CARE, 'Resolve: close it (a new alert opens if the condition persists). Optionally with the outcome', ResolveBody, (b: NoteAndOutcome) => ({ type: 'resolve', ...noteAndOutcome(b) }));
    action('outcome', 'alert.outcome', CARE, 'Record or correct what the alert turned out to be (in any state; a correction is a new event)', OutcomeBody, (b: { outcome: OutcomeInput }) => ({ type: 'outcome', outcome: b.outcome }));
    action('snooze', 'alert.snooze', CARE, 'Snooze until a time, with a reason: no pages meanwhile unless it gets worse', SnoozeBody, (b: { until?: string; minutes?: number; reason: string }) => ({
      type: 'snooze',
      until: b.until ? new Date(b.until) : new Date(Date.now() + (b.minutes ?? 0) * 60_000),
      reason: b.reason,
    }));

    app.post(
      '/alerts/:alertId/comments',
      {
        config: { roles: ALL_ROLES, audit: { action: 'alert.comment', change: true } },
        schema: { summary: "Add a note to an alert's history", tags: ['alerts'], params: AlertParams, body: CommentBody, response: { 201: AlertHistoryResponse } },
      },
      async (request, reply) => {
        const principal = requirePrincipal(request);
        const alerts = alertsOf(services);
        const alert = await visibleAlert(alerts, principal, request.params.alertId);
        await commitAttempt(services.audit.trail, request, patientsOf(alert));
        await act(alerts, principal, alert.id, { type: 'comment', text: request.body.text });
        void reply.status(201);
        return { alertId: alert.id, events: (await alerts.history(alert.id)).map(eventOut) };
      },
    );

    await app.register(alertConfigRoutes(services));
    // Registered here rather than in app.ts: the same services, and one place that wires alert routes.
    await app.register(qualityRoutes(services));
  };
