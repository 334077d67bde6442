/**
 * GET /patients/{patientId}/alert-rules/effective: the thresholds and passive intervals the engine
 * applies to a patient after defaults, condition groups and overrides are merged. The web
 * application draws them as bands on the patient's charts; computing them here keeps one merge.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ALERT_SEVERITIES } from '../../../contract/index.js';
import { requirePrincipal } from '../../auth.js';
import { visiblePatient } from '../../patient-access.js';
import { alertsOf, type AlertRouteServices } from './access.js';
import { PatientParams } from './schemas.js';

const Band = z.object({ op: z.enum(['>=', '>', '<=', '<']), limit: z.number(), severity: z.enum(ALERT_SEVERITIES) });

export const EffectiveRulesOut = z.object({
  valid: z.boolean().describe('false when the stored configuration no longer validates: defaults are shown'),
  timeZone: z.string(),
  conditionGroups: z.array(z.string()),
  thresholds: z.array(
    z.object({
      key: z.string().describe('<kind>.<component>, e.g. blood_pressure.systolic'),
      high: z.array(Band),
      low: z.array(Band),
      disabled: z.boolean(),
    }),
  ),
  passiveIntervals: z.array(z.object({ from: z.string(), to: z.string().optional(), reason: z.string() })),
});

export const effectiveRulesRoutes =
  (services: AlertRouteServices): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/patients/:patientId/alert-rules/effective',
      {
        config: { roles: ['admin', 'clinician', 'carer'], audit: { action: 'alert-rules.read' } },
        schema: {
          summary: "The thresholds and passive intervals the engine applies to a patient (defaults, groups and overrides merged)",
          tags: ['alerts'],
          params: PatientParams,
          response: { 200: EffectiveRulesOut },
        },
      },
      async (request) => {
        const patient = await visiblePatient(services.patients, requirePrincipal(request), request.params.patientId);
        const rules = await alertsOf(services).effectiveRules(patient.id);
        return {
          valid: rules.valid,
          timeZone: rules.timeZone,
          conditionGroups: [...rules.conditionGroups],
          thresholds: rules.thresholds.map((t) => ({ key: t.key, high: [...t.high], low: [...t.low], disabled: t.disabled })),
          passiveIntervals: rules.passiveIntervals.map((p) => ({ from: p.from.toISOString(), ...(p.to && { to: p.to.toISOString() }), reason: p.reason })),
        };
      },
    );
  };
