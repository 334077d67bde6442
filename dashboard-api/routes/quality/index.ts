/**
 * Alert quality for care teams (issue #14; docs/alerts.md):
 *
 *   GET  /analytics/alerts       a team's alerts over a period: per patient-week, PPV, time to
 *                                acknowledge, escalations, snoozes, quiet hours, missing by cause
 *   GET  /analytics/alerts.csv   the same as CSV (or format=csv)
 *   POST /backtest               replay a period of a population's readings with a candidate rule
 *                                configuration beside the current one; nothing is saved
 *
 * Admins and clinicians only (team leads tune alerts). Another team's team or patient answers 404,
 * as everywhere in this API.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import type { AnalyticsReport } from '../../../hub/alerts/quality/alert-quality.js';
import type { BacktestError, BacktestResult, ConfigOutcome } from '../../../hub/alerts/quality/backtest.js';
import type { QualityFigures } from '../../../hub/alerts/quality/summarise.js';
import type { Principal } from '../../../hub/registry/registry.js';
import { requirePrincipal } from '../../auth.js';
import { ApiError, type FieldError } from '../../errors.js';
import { visiblePatient } from '../../patient-access.js';
import { alertsOf, canSeeTeam, type AlertRouteServices } from '../alerts/access.js';
import { analyticsCsv } from './csv.js';
import { AnalyticsQuery, AnalyticsResponse, BacktestBody, BacktestResponse } from './schemas.js';

const DAY_MS = 86_400_000;
export const MAX_ANALYTICS_DAYS = 366;
export const MAX_BACKTEST_DAYS = 92;

/** The period asked for, defaulting to the last 30 days, checked. */
function periodOf(q: { from?: string; to?: string }, maxDays: number, at: 'query' | 'body'): { from: Date; to: Date } {
  const to = q.to ? new Date(q.to) : new Date();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY_MS);
  if (from.getTime() >= to.getTime()) throw new ApiError('RPM_ERR_VALIDATION', 'from must be before to', [{ path: `${at}.from`, message: 'must be before to' }]);
  if (to.getTime() - from.getTime() > maxDays * DAY_MS) throw new ApiError('RPM_ERR_VALIDATION', `the period may be at most ${maxDays} days`, [{ path: `${at}.from`, message: `at most ${maxDays} days before to` }]);
  return { from, to };
}

/** The team, if the principal may see it and it exists (else 404, as for a team that does not exist). */
async function requireTeam(services: AlertRouteServices, principal: Principal, careTeamId: string): Promise<void> {
  if (!canSeeTeam(principal, careTeamId) || !(await services.patients.careTeamExists(careTeamId))) throw new ApiError('RPM_ERR_NOT_FOUND', `no care team ${careTeamId}`);
}

const iso = (d: Date) => d.toISOString();

function figuresOut(f: QualityFigures) {
  const t = f.timeToAcknowledge;
  return {
    ...f,
    outcomes: { ...f.outcomes },
    timeToAcknowledge: { ...t, bySeverity: t.bySeverity.map((s) => ({ ...s })), byHour: t.byHour.map((h) => ({ ...h })) },
    missingByCause: { ...f.missingByCause },
  };
}

function reportOut(r: AnalyticsReport) {
  return { ...r, from: iso(r.from), to: iso(r.to), overall: figuresOut(r.overall), groups: r.groups.map((g) => ({ ...figuresOut(g), key: g.key })) };
}

function outcomeOut(o: ConfigOutcome) {
  return {
    alerts: o.alerts,
    ...(o.alertsPerPatientWeek !== undefined ? { alertsPerPatientWeek: o.alertsPerPatientWeek } : {}),
    byRule: { ...o.byRule },
    list: o.list.map((a) => ({ patientId: a.patientId, rule: a.ruleId, severity: a.severity, at: iso(a.openedAt), ...(a.resolvedAt ? { resolvedAt: iso(a.resolvedAt) } : {}) })),
    listTruncated: o.listTruncated,
    missedActioned: o.missedActioned.map((m) => ({ alertId: m.alertId, patientId: m.patientId, rule: m.ruleId, openedAt: iso(m.openedAt) })),
  };
}

function backtestOut(r: BacktestResult, from: Date, to: Date, tickMinutes: number) {
  return {
    from: iso(from),
    to: iso(to),
    tickMinutes,
    patients: r.patients,
    patientWeeks: r.patientWeeks,
    readings: r.readings,
    truncatedPatients: [...r.truncatedPatients],
    actionedAlerts: r.actionedAlerts,
    current: outcomeOut(r.current),
    candidate: outcomeOut(r.candidate),
    elapsedMs: r.elapsedMs,
  };
}

/** `a.b[0].c: message; ...` as field errors under body.config. */
function configErrors(reason: string): FieldError[] {
  return reason.split('; ').map((part) => {
    const i = part.indexOf(': ');
    return i > 0 ? { path: `body.config.${part.slice(0, i)}`, message: part.slice(i + 2) } : { path: 'body.config', message: part };
  });
}

/** Aborts when the client hangs up before the answer is sent. */
function abortOnHangUp(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}

export const qualityRoutes =
  (services: AlertRouteServices): FastifyPluginAsyncZod =>
  async (app) => {
    const analytics = async (principal: Principal, q: { careTeamId: string; from?: string; to?: string; groupBy?: 'rule' | 'condition'; conditionGroup?: string }): Promise<AnalyticsReport> => {
      await requireTeam(services, principal, q.careTeamId);
      const { from, to } = periodOf(q, MAX_ANALYTICS_DAYS, 'query');
      return alertsOf(services).quality.analytics({ careTeamId: q.careTeamId, from, to, ...(q.groupBy ? { groupBy: q.groupBy } : {}), ...(q.conditionGroup ? { conditionGroup: q.conditionGroup } : {}) });
    };
    const sendCsv = (reply: FastifyReply, report: AnalyticsReport) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="alert-analytics-${report.careTeamId}.csv"`)
        .send(analyticsCsv(report));

    app.get(
      '/analytics/alerts',
      {
        config: { roles: ['admin', 'clinician'], audit: { action: 'alert-analytics.read' } },
        schema: { summary: "Alert quality of a care team over a period (JSON, or CSV with format=csv)", tags: ['alerts'], querystring: AnalyticsQuery, response: { 200: AnalyticsResponse } },
      },
      async (request, reply) => {
        request.auditPatientIds = [];
        const report = await analytics(requirePrincipal(request), request.query);
        if (request.query.format === 'csv') return sendCsv(reply, report);
        return reportOut(report);
      },
    );

    app.get(
      '/analytics/alerts.csv',
      {
        config: { roles: ['admin', 'clinician'], audit: { action: 'alert-analytics.export' } },
        schema: {
          summary: 'Alert quality of a care team over a period, as CSV',
          tags: ['alerts'],
          querystring: AnalyticsQuery.omit({ format: true }),
          response: { 200: { description: 'RFC 4180 CSV: a header line, one line for all alerts, one per group', content: { 'text/csv': { schema: z.string() } } } },
        },
      },
      async (request, reply) => {
        request.auditPatientIds = [];
        return sendCsv(reply, await analytics(requirePrincipal(request), request.query));
      },
    );

    app.post(
      '/backtest',
      {
        config: { roles: ['admin', 'clinician'], audit: { action: 'alert-backtest.run' } },
        schema: {
          summary: "Replay a period of a population's readings with a candidate rule configuration beside the current one (nothing is saved)",
          tags: ['alerts'],
          body: BacktestBody,
          response: { 200: BacktestResponse },
        },
      },
      async (request, reply) => {
        const principal = requirePrincipal(request);
        const body = request.body;
        const population = body.population;
        if ('patientId' in population) await visiblePatient(services.patients, principal, population.patientId);
        else await requireTeam(services, principal, population.careTeamId);
        const { from, to } = periodOf(body, MAX_BACKTEST_DAYS, 'body');
        request.auditPatientIds = 'patientId' in population ? [population.patientId] : [];
        try {
          const result = await alertsOf(services).quality.backtest({ population, candidate: body.config, from, to, tickMs: body.tickMinutes * 60_000, signal: abortOnHangUp(reply) });
          request.auditPatientIds = [...result.patientIds];
          return backtestOut(result, from, to, body.tickMinutes);
        } catch (err) {
          // By name, not instanceof: the API meets the hub through types only (DESIGN.md, "Layout").
          if (!(err instanceof Error)) throw err;
          if (err.name === 'BacktestUnavailableError') throw new ApiError('RPM_ERR_STORAGE_UNAVAILABLE', err.message);
          if (err.name !== 'BacktestError') throw err;
          const code = (err as BacktestError).code;
          switch (code) {
            case 'invalid_config':
              throw new ApiError('RPM_ERR_VALIDATION', err.message, configErrors(err.message));
            case 'beyond_retention':
              throw new ApiError('RPM_ERR_VALIDATION', err.message, [{ path: 'body.from', message: err.message }]);
            case 'empty_population':
              throw new ApiError('RPM_ERR_VALIDATION', err.message, [{ path: 'body.population', message: err.message }]);
            case 'timeout':
            case 'cancelled':
              throw new ApiError('RPM_ERR_DEADLINE_EXCEEDED', err.message);
          }
        }
      },
    );
  };
