/**
 * Writes the access log for routes that declare `config.audit`: one entry per patient concerned.
 * Reads answer only after their entries are durable (group commit, hub/audit/audit-trail.ts); if
 * the log cannot take them, the data is withheld and the client gets 503 RPM_ERR_AUDIT_UNAVAILABLE.
 * Refusals (403, 404, 400) are logged too, without making the client wait.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditEntry, AuditOutcome } from '../hub/audit/audit-entry.js';
import type { AuditTrail } from '../hub/audit/audit-trail.js';
import { partErrorOf } from '../contract/part-errors.js';
import { ApiError, problem } from './errors.js';

/** The trail refused the entries (AuditUnavailableError), recognised by its cross-part code. */
const auditUnavailable = (err: unknown) => partErrorOf(err) === 'audit_unavailable';

declare module 'fastify' {
  interface FastifyRequest {
    /** Patients this request concerns, when not simply `params.patientId` (e.g. a worklist). */
    auditPatientIds?: readonly string[];
  }
}

export function outcomeOf(status: number): AuditOutcome {
  if (status < 400) return 'allowed';
  if (status === 403) return 'denied';
  if (status === 404) return 'not_found';
  if (status < 500) return 'invalid';
  return 'failed';
}

function patientIdsOf(request: FastifyRequest): readonly (string | null)[] {
  if (request.auditPatientIds) return request.auditPatientIds.length > 0 ? request.auditPatientIds : [null];
  const id = (request.params as { patientId?: unknown } | undefined)?.patientId;
  // Junk in a refused request is still recorded; the trail escapes what SQL cannot store and bounds it.
  return [typeof id === 'string' ? id : null];
}

/** The entries a request makes, one per patient concerned. */
export function auditEntries(
  trail: Pick<AuditTrail, 'newId'>,
  request: FastifyRequest,
  action: string,
  status: number,
  outcome = outcomeOf(status),
  patientIds: readonly (string | null)[] = patientIdsOf(request),
): AuditEntry[] {
  const principal = request.principal;
  if (!principal) return [];
  const at = new Date();
  return patientIds.map((patientId) => ({
    id: trail.newId(at.getTime()),
    at: at.toISOString(),
    userId: principal.userId,
    role: principal.role,
    action,
    route: `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`,
    patientId,
    address: request.ip,
    outcome,
    status,
    requestId: String(request.id),
  }));
}

/**
 * For routes that change data: commits an `attempted` entry before the change is made, so a change
 * never happens without a durable trace. Throws 503 when the log cannot take it (nothing changes).
 */
export async function commitAttempt(trail: AuditTrail, request: FastifyRequest, patientIds: readonly string[]): Promise<void> {
  const action = request.routeOptions.config.audit?.action;
  if (!action) throw new Error(`route ${request.routeOptions.url} has no config.audit`);
  request.auditPatientIds = patientIds;
  try {
    await trail.commit(auditEntries(trail, request, action, 0, 'attempted'));
  } catch (err) {
    if (auditUnavailable(err)) throw new ApiError('RPM_ERR_AUDIT_UNAVAILABLE', 'the change was not made');
    throw err;
  }
}

/** For reads outside fastify's send path (the live stream): resolves once the entries are durable. */
export async function commitRead(trail: AuditTrail, request: FastifyRequest, action: string, patientIds: readonly (string | null)[]): Promise<void> {
  await trail.commit(auditEntries(trail, request, action, 200, 'allowed', patientIds));
}

/**
 * Commits the entry of an action that must not take effect unrecorded (a sign-in) before it does;
 * 503 RPM_ERR_AUDIT_UNAVAILABLE with `refusal` when the log cannot take it.
 */
export async function commitOrRefuse(trail: AuditTrail, request: FastifyRequest, action: string, status: number, refusal: string): Promise<void> {
  try {
    await trail.commit(auditEntries(trail, request, action, status));
  } catch (err) {
    if (auditUnavailable(err)) throw new ApiError('RPM_ERR_AUDIT_UNAVAILABLE', refusal);
    throw err;
  }
}

export function installAuditHooks(app: FastifyInstance, trail: AuditTrail): void {
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const audit = request.routeOptions.config.audit;
    if (!audit || !request.principal) return payload;
    const status = reply.statusCode;
    const entries = auditEntries(trail, request, audit.action, status);
    if (status >= 400 || audit.change) {
      trail.enqueue(entries);
      return payload;
    }
    try {
      await trail.commit(entries);
      return payload;
    } catch (err) {
      if (!auditUnavailable(err)) throw err;
      request.log.error({ reason: (err as Error).message }, 'patient data withheld: audit log unavailable');
      void reply.code(503).header('content-type', 'application/problem+json').removeHeader('content-disposition');
      return JSON.stringify(problem('RPM_ERR_AUDIT_UNAVAILABLE', 'try again shortly', request.url.split('?')[0]));
    }
  });
}
