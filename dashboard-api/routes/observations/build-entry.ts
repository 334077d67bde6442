/**
 * From a validated request body to the observations it enters: one per parameter given, each its
 * own reading (so each can be corrected on its own), all sharing the entry id. Pure: the caller
 * supplies ids, the clock, who is entering, and the stored observations the entry corrects.
 */
import type { Principal } from '../../../hub/registry/registry.js';
import type { ObservationKind } from '../../../contract/entered-observations.js';
import type { EnteredObservation, ObservationValue } from '../../../hub/observations/observation-points.js';
import type { StoredObservation } from '../../../hub/observations/observation-store.js';
import { ApiError } from '../../errors.js';
import type { ObservationBody } from './schemas.js';

/** A clock a little ahead of the server's is tolerated; a time further ahead is a mistake. */
export const FUTURE_TOLERANCE_MS = 2 * 60_000;
/** Paper notes typed in after a weekend are fine; older ones belong in the patient record, not here. */
export const MAX_AGE_MS = 7 * 86_400_000;

export function valuesOf(body: ObservationBody): ObservationValue[] {
  const out: ObservationValue[] = [];
  if (body.respiratoryRate !== undefined) out.push({ kind: 'respiratory_rate', components: { respiratoryRate: body.respiratoryRate } });
  if (body.consciousness !== undefined) out.push({ kind: 'consciousness', acvpu: body.consciousness });
  if (body.supplementalOxygen !== undefined) {
    const o = body.supplementalOxygen;
    out.push({ kind: 'supplemental_oxygen', onOxygen: o.onOxygen, ...(o.flowLPerMin !== undefined && { oxygenFlow: o.flowLPerMin }) });
  }
  if (body.temperature !== undefined) out.push({ kind: 'body_temperature', components: { temperature: body.temperature } });
  if (body.spo2 !== undefined) out.push({ kind: 'spo2', components: { spo2: body.spo2 } });
  if (body.bloodPressure !== undefined) out.push({ kind: 'blood_pressure', components: { systolic: body.bloodPressure.systolic, diastolic: body.bloodPressure.diastolic } });
  if (body.pulse !== undefined) out.push({ kind: 'heart_rate', components: { heartRate: body.pulse } });
  if (body.weight !== undefined) out.push({ kind: 'body_weight', components: { weight: body.weight } });
  return out;
}

export function checkObservedAt(observedAt: Date, now: Date): void {
  if (observedAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    throw new ApiError('RPM_ERR_VALIDATION', 'body.observedAt: in the future', [{ path: 'body.observedAt', message: 'must not be in the future' }]);
  }
  if (observedAt.getTime() < now.getTime() - MAX_AGE_MS) {
    throw new ApiError('RPM_ERR_VALIDATION', 'body.observedAt: more than 7 days ago', [{ path: 'body.observedAt', message: 'must be at most 7 days ago' }]);
  }
}

/**
 * Checks what an entry corrects: every id must be an observation of this patient, not corrected
 * already, of a kind the entry contains; carers correct only their own entries (a clinician or an
 * admin may correct anyone's, as they would countersign a chart).
 */
export function checkCorrections(ids: readonly string[], found: readonly StoredObservation[], kinds: ReadonlySet<ObservationKind>, principal: Principal): void {
  ids.forEach((id, i) => {
    const path = `body.supersedes[${i}]`;
    const target = found.find((o) => o.id === id);
    if (!target) throw new ApiError('RPM_ERR_VALIDATION', `${path}: no entered observation ${id} of this patient`, [{ path, message: 'no such observation of this patient' }]);
    if (target.supersededBy) throw new ApiError('RPM_ERR_OBSERVATION_SUPERSEDED', `${path}: ${id} was already corrected by ${target.supersededBy}; correct that one instead`);
    if (!kinds.has(target.kind)) {
      throw new ApiError('RPM_ERR_VALIDATION', `${path}: ${id} is a ${target.kind} observation, which this entry does not contain`, [{ path, message: `the entry must contain a new ${target.kind} value` }]);
    }
    if (principal.role === 'carer' && target.enteredBy !== principal.userId) {
      throw new ApiError('RPM_ERR_FORBIDDEN', `${path}: carers correct only their own entries; ask a clinician`);
    }
  });
  if (new Set(ids).size !== ids.length) throw new ApiError('RPM_ERR_VALIDATION', 'body.supersedes: an id is named twice', [{ path: 'body.supersedes', message: 'duplicate id' }]);
}

export interface EntryContext {
  readonly patientId: string;
  readonly principal: Principal;
  readonly observedAt: Date;
  readonly enteredAt: Date;
  readonly entryId: string;
  readonly newId: () => string;
  readonly gatewayId?: string;
}

export function buildObservations(values: readonly ObservationValue[], corrected: readonly StoredObservation[], ctx: EntryContext): EnteredObservation[] {
  return values.map((value) => ({
    id: ctx.newId(),
    entryId: ctx.entryId,
    patientId: ctx.patientId,
    value,
    observedAt: ctx.observedAt,
    enteredAt: ctx.enteredAt,
    enteredBy: ctx.principal.userId,
    role: ctx.principal.role,
    supersedes: corrected.filter((c) => c.kind === value.kind).map((c) => c.id),
    revision: Math.max(-1, ...corrected.filter((c) => c.kind === value.kind).map((c) => c.revision)) + 1,
    ...(ctx.gatewayId && { gatewayId: ctx.gatewayId }),
  }));
}

/**
 * An entry that would land on an existing point (same kind, time, author and revision: the same
 * InfluxDB series and timestamp) would overwrite it: refused, the earlier one must be corrected.
 */
export function checkNoOverwrite(observations: readonly EnteredObservation[], existing: readonly StoredObservation[]): void {
  for (const o of observations) {
    const clash = existing.find((e) => e.kind === o.value.kind && e.enteredBy === o.enteredBy && e.revision === o.revision && e.observedAt.getTime() === o.observedAt.getTime());
    if (clash) throw new ApiError('RPM_ERR_CONFLICT', `you already entered a ${o.value.kind} observation (${clash.id}) for that time; correct it with supersedes instead`);
  }
}
