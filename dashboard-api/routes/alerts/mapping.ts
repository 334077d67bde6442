/** Alert records and events as the API shows them (instants as ISO 8601; internal fields left out). */
import type { z } from 'zod';
import type { AlertEventRecord, AlertRecord } from '../../../hub/alerts/model.js';
import { alertMessage } from './message.js';
import type { AlertEventOut, AlertOut } from './schemas.js';

export function alertOut(a: AlertRecord): z.input<typeof AlertOut> {
  const e = a.escalation;
  const message = alertMessage(a);
  return {
    id: a.id,
    ...(a.patientId ? { patientId: a.patientId } : {}),
    ...(a.gatewayId ? { gatewayId: a.gatewayId } : {}),
    ...(a.deviceId ? { deviceId: a.deviceId } : {}),
    careTeamId: a.careTeamId,
    rule: a.ruleId,
    audience: a.audience,
    severity: a.severity,
    state: a.state,
    condition: a.condition,
    summary: a.summary,
    ...(message ? { message: { key: message.key, params: { ...message.params } } } : {}),
    ...(a.cause ? { cause: a.cause } : {}),
    evidence: { readingIds: [...a.evidence.readingIds], values: { ...a.evidence.values } },
    backfilled: a.backfilled,
    muted: a.muted,
    openedAt: a.openedAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
    lastSeenAt: a.lastSeenAt.toISOString(),
    occurrences: a.occurrences,
    ...(a.acknowledgedAt ? { acknowledgedAt: a.acknowledgedAt.toISOString() } : {}),
    ...(a.acknowledgedBy ? { acknowledgedBy: a.acknowledgedBy } : {}),
    ...(a.resolvedAt ? { resolvedAt: a.resolvedAt.toISOString() } : {}),
    ...(a.resolvedBy ? { resolvedBy: a.resolvedBy } : {}),
    ...(a.snooze ? { snooze: { until: a.snooze.until.toISOString(), reason: a.snooze.reason, by: a.snooze.by } } : {}),
    escalation: {
      tier: e.tier,
      ...(e.nextEscalationAt ? { nextEscalationAt: e.nextEscalationAt.toISOString() } : {}),
      ...(e.nextRepeatAt ? { nextRepeatAt: e.nextRepeatAt.toISOString() } : {}),
    },
    revision: a.revision,
    ...(a.outcome
      ? { outcome: { kind: a.outcome.kind, ...(a.outcome.action ? { action: a.outcome.action } : {}), ...(a.outcome.text ? { text: a.outcome.text } : {}), by: a.outcome.by, at: a.outcome.at.toISOString() } }
      : {}),
  };
}

export function eventOut(e: AlertEventRecord): z.input<typeof AlertEventOut> {
  return { revision: e.revision, type: e.type, actor: e.actor, at: e.at.toISOString(), fromState: e.fromState, toState: e.toState, severity: e.severity, detail: { ...e.detail } };
}
