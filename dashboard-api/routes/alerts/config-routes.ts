/**
 * What a care team configures for alerts:
 *
 *   GET/PUT /patients/{patientId}/alert-rules      the patient's rule configuration (thresholds,
 *                                                  schedules, passive intervals, ...; docs/alerts.md)
 *   GET/PUT /care-teams/{careTeamId}/alert-routing tiers, escalation, repeats, quiet hours
 *
 * Documents are validated by the rules' own zod schemas; a bad one answers 400 with every
 * offending field named (e.g. `body.schedules[0].by`) and changes nothing. Webhook secrets are never
 * shown again: GET masks them, and a PUT that sends the mask back keeps the stored secret.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { StoredConfig } from '../../../hub/alerts/config-store.js';
import type { Principal } from '../../../hub/registry/registry.js';
import { commitAttempt } from '../../audit-hooks.js';
import { requirePrincipal } from '../../auth.js';
import { ApiError, type FieldError } from '../../errors.js';
import { visiblePatient } from '../../patient-access.js';
import { alertsOf, canSeeTeam, type AlertRouteServices } from './access.js';
import { effectiveRulesRoutes } from './effective-routes.js';
import { ConfigBody, ConfigOut, PatientParams, TeamParams } from './schemas.js';

export const SECRET_MASK = '********';

/** `a.b[0].c: message; ...` (contract describeIssues) as field errors under `body`. */
export function fieldErrors(reason: string): FieldError[] {
  return reason.split('; ').map((part) => {
    const i = part.indexOf(': ');
    return i > 0 ? { path: `body.${part.slice(0, i)}`, message: part.slice(i + 2) } : { path: 'body', message: part };
  });
}

function configOut(stored: StoredConfig | undefined, transform: (c: Record<string, unknown>) => Record<string, unknown> = (c) => c) {
  if (!stored) return { config: {} };
  const config = typeof stored.config === 'object' && stored.config !== null ? (stored.config as Record<string, unknown>) : {};
  return { config: transform(config), updatedAt: stored.updatedAt.toISOString(), updatedBy: stored.updatedBy };
}

type Json = Record<string, unknown>;
const targetsOf = (config: Json): Json[] =>
  (['tiers', 'technicalTiers'] as const).flatMap((k) => (Array.isArray(config[k]) ? (config[k] as Json[]) : []).flatMap((t) => (Array.isArray(t.targets) ? (t.targets as Json[]) : [])));

/** A deep copy with every webhook secret replaced by the mask. */
export function maskSecrets(config: Json): Json {
  const copy = structuredClone(config);
  for (const t of targetsOf(copy)) if (typeof t.secret === 'string') t.secret = SECRET_MASK;
  return copy;
}

/** Puts the stored secret back where the client sent the mask for a URL it already had. */
export function restoreSecrets(config: Json, stored: Json | undefined): Json {
  const copy = structuredClone(config);
  const known = new Map(targetsOf(stored ?? {}).flatMap((t) => (typeof t.url === 'string' && typeof t.secret === 'string' ? [[t.url, t.secret] as const] : [])));
  for (const t of targetsOf(copy)) if (t.secret === SECRET_MASK && typeof t.url === 'string' && known.has(t.url)) t.secret = known.get(t.url);
  return copy;
}

/** The team, if the principal may see it (else 404, as for a team that does not exist) and, to write, change it. */
async function requireTeam(services: AlertRouteServices, principal: Principal, careTeamId: string, write: boolean): Promise<void> {
  if (!canSeeTeam(principal, careTeamId)) throw new ApiError('RPM_ERR_NOT_FOUND', `no care team ${careTeamId}`);
  if (write && principal.role === 'carer') throw new ApiError('RPM_ERR_FORBIDDEN', 'only admins and clinicians change alert routing');
  // Admins see every team id: without this an admin's typo stored routing that pages no one.
  if (!(await services.patients.careTeamExists(careTeamId))) throw new ApiError('RPM_ERR_NOT_FOUND', `no care team ${careTeamId}`);
}

export const alertConfigRoutes =
  (services: AlertRouteServices): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(effectiveRulesRoutes(services));

    app.get(
      '/patients/:patientId/alert-rules',
      {
        config: { roles: ['admin', 'clinician', 'carer'], audit: { action: 'alert-rules.read' } },
        schema: { summary: "A patient's alert rule configuration", tags: ['alerts'], params: PatientParams, response: { 200: ConfigOut } },
      },
      async (request) => {
        const patient = await visiblePatient(services.patients, requirePrincipal(request), request.params.patientId);
        return configOut(await alertsOf(services).patientRules(patient.id));
      },
    );

    app.put(
      '/patients/:patientId/alert-rules',
      {
        config: { roles: ['admin', 'clinician'], audit: { action: 'alert-rules.update', change: true } },
        schema: { summary: "Replace a patient's alert rule configuration", tags: ['alerts'], params: PatientParams, body: ConfigBody, response: { 200: ConfigOut } },
      },
      async (request) => {
        const principal = requirePrincipal(request);
        const patient = await visiblePatient(services.patients, principal, request.params.patientId);
        await commitAttempt(services.audit.trail, request, [patient.id]);
        const result = await alertsOf(services).setPatientRules(patient.id, request.body, principal.userId);
        if (!result.ok) throw new ApiError('RPM_ERR_VALIDATION', result.reason, fieldErrors(result.reason));
        return configOut(result.stored);
      },
    );

    app.get(
      '/care-teams/:careTeamId/alert-routing',
      {
        config: { roles: ['admin', 'clinician', 'carer'] },
        schema: { summary: "A care team's alert routing and escalation (webhook secrets masked)", tags: ['alerts'], params: TeamParams, response: { 200: ConfigOut } },
      },
      async (request) => {
        await requireTeam(services, requirePrincipal(request), request.params.careTeamId, false);
        return configOut(await alertsOf(services).teamRouting(request.params.careTeamId), maskSecrets);
      },
    );

    app.put(
      '/care-teams/:careTeamId/alert-routing',
      {
        // Who changed a team's paging and escalation is audited like a change of patient data.
        config: { roles: ['admin', 'clinician'], audit: { action: 'alert-routing.update', change: true } },
        schema: { summary: "Replace a care team's alert routing and escalation", tags: ['alerts'], params: TeamParams, body: ConfigBody, response: { 200: ConfigOut } },
      },
      async (request) => {
        const principal = requirePrincipal(request);
        const { careTeamId } = request.params;
        await requireTeam(services, principal, careTeamId, true);
        // Not about one patient: the entry names the user, route and time (the team is in the routing row).
        await commitAttempt(services.audit.trail, request, []);
        const alerts = alertsOf(services);
        const stored = await alerts.teamRouting(careTeamId);
        const config = restoreSecrets(request.body, stored?.config as Json | undefined);
        const result = await alerts.setTeamRouting(careTeamId, config, principal.userId);
        if (!result.ok) throw new ApiError('RPM_ERR_VALIDATION', result.reason, fieldErrors(result.reason));
        return configOut(result.stored, maskSecrets);
      },
    );
  };
