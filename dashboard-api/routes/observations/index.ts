/**
 * Observations entered by people: POST /patients/{id}/observations (respiratory rate, ACVPU,
 * supplemental oxygen, and vitals typed in from a device that cannot connect) and GET to list them.
 * Every role may enter them: in a community room and on home visits health assistants (carers)
 * measure and chart as nurses do. Corrections are new entries naming what they supersede.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { monotonicFactory } from 'ulid';
import type { StoredObservation } from '../../../hub/observations/observation-store.js';
import { commitAttempt } from '../../audit-hooks.js';
import { requirePrincipal } from '../../auth.js';
import { DAY_MS, timeRange } from '../../common-schemas.js';
import { ApiError } from '../../errors.js';
import { visiblePatient } from '../../patient-access.js';
import { ALL_ROLES } from '../../route-policy.js';
import type { ApiServices } from '../../services.js';
import { buildObservations, checkCorrections, checkNoOverwrite, checkObservedAt, valuesOf } from './build-entry.js';
import { ObservationBody, ObservationEntryResponse, ObservationsParams, ObservationsQuery, ObservationsResponse } from './schemas.js';
import type { EnteredObservation } from '../../../hub/observations/observation-points.js';

export function observationOut(o: StoredObservation) {
  return {
    id: o.id,
    ...(o.entryId && { entryId: o.entryId }),
    kind: o.kind,
    observedAt: o.observedAt.toISOString(),
    ...(o.enteredAt && { enteredAt: o.enteredAt.toISOString() }),
    enteredBy: o.enteredBy,
    role: o.role,
    source: 'manual' as const,
    values: o.values,
    supersedes: [...o.supersedes],
    ...(o.supersededBy && { supersededBy: o.supersededBy }),
    superseded: o.supersededBy !== undefined,
  };
}

function storedOf(o: EnteredObservation): StoredObservation {
  const v = o.value;
  let values: Record<string, number | string | boolean>;
  if (v.kind === 'consciousness') values = { acvpu: v.acvpu };
  else if (v.kind === 'supplemental_oxygen') values = { onOxygen: v.onOxygen, ...(v.oxygenFlow !== undefined && { oxygenFlow: v.oxygenFlow }) };
  else values = { ...v.components };
  return { id: o.id, kind: v.kind, observedAt: o.observedAt, tags: {}, entryId: o.entryId, enteredBy: o.enteredBy, role: o.role, enteredAt: o.enteredAt, supersedes: o.supersedes, supersededBy: undefined, revision: o.revision, values };
}

export interface ObservationRouteOptions {
  readonly now?: () => Date;
}

export const observationsRoutes =
  (services: Pick<ApiServices, 'patients' | 'observations' | 'audit' | 'onObservationsStored'>, options: ObservationRouteOptions = {}): FastifyPluginAsyncZod =>
  async (app) => {
    const now = options.now ?? (() => new Date());
    const newUlid = monotonicFactory();
    const store = () => {
      if (!services.observations) throw new ApiError('RPM_ERR_STORAGE_UNAVAILABLE', 'this hub stores no entered observations');
      return services.observations;
    };

    app.post(
      '/patients/:patientId/observations',
      {
        config: { roles: ALL_ROLES, audit: { action: 'observation.enter', change: true } },
        schema: {
          summary: 'Enter observations (respiratory rate, ACVPU, oxygen, typed-in vitals) for a patient',
          description: 'Stored as readings with source "manual" and the entering user. A correction names the observations it supersedes; they stay, marked superseded.',
          tags: ['observations'],
          params: ObservationsParams,
          body: ObservationBody,
          response: { 201: ObservationEntryResponse },
        },
      },
      async (request, reply) => {
        const principal = requirePrincipal(request);
        const patient = await visiblePatient(services.patients, principal, request.params.patientId);
        const body = request.body;
        const enteredAt = now();
        const observedAt = new Date(body.observedAt);
        checkObservedAt(observedAt, enteredAt);
        const values = valuesOf(body);
        const corrected = body.supersedes ? await store().find(patient.id, body.supersedes) : [];
        if (body.supersedes) checkCorrections(body.supersedes, corrected, new Set(values.map((v) => v.kind)), principal);
        const entryId = `ent_${newUlid(enteredAt.getTime())}`;
        const observations = buildObservations(values, corrected, { patientId: patient.id, principal, observedAt, enteredAt, entryId, newId: () => `obs_${newUlid(enteredAt.getTime())}` });
        checkNoOverwrite(observations, await store().at(patient.id, observedAt));
        await commitAttempt(services.audit.trail, request, [patient.id]);
        await store().record(
          observations,
          corrected.map((target) => ({ target, by: observations.find((o) => o.value.kind === target.kind)!.id })),
        );
        // NEWS2 with the new parameters now, not at the next full evaluation (minutes later).
        services.onObservationsStored?.([patient.id]);
        void reply.code(201);
        return { patientId: patient.id, entryId, enteredAt: enteredAt.toISOString(), observations: observations.map((o) => observationOut(storedOf(o))) };
      },
    );

    app.get(
      '/patients/:patientId/observations',
      {
        config: { roles: ALL_ROLES, audit: { action: 'observations.read' } },
        schema: {
          summary: "A patient's entered observations in a time range, corrections included",
          tags: ['observations'],
          params: ObservationsParams,
          querystring: ObservationsQuery,
          response: { 200: ObservationsResponse },
        },
      },
      async (request) => {
        const principal = requirePrincipal(request);
        const patient = await visiblePatient(services.patients, principal, request.params.patientId);
        const { from, to } = timeRange(request.query, 7 * DAY_MS, now());
        const list = await store().list(patient.id, from, to);
        return { patientId: patient.id, from: from.toISOString(), to: to.toISOString(), observations: list.map(observationOut) };
      },
    );
  };
