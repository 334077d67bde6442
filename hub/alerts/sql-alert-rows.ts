/** Mapping between the alerts / alert_events rows (migration 020) and the engine's records. */
import type { AlertSeverity, AlertState } from '../../contract/index.js';
import { nextDueAt } from './escalation.js';
import type { AlertEventRecord, AlertEventType, AlertRecord, Audience, EventDetail, SubjectKey } from './model.js';
import type { ActionKind, OutcomeKind } from './outcome.js';
import type { FindingEvidence, MissingCause } from './rules/index.js';
import type { StoredAlert } from './store.js';

export interface AlertRow {
  id: string;
  subject_key: SubjectKey;
  patient_id: string | null;
  gateway_id: string | null;
  device_id: string | null;
  care_team_id: string;
  rule_id: string;
  audience: Audience;
  severity: AlertSeverity;
  state: AlertState;
  condition: 'firing' | 'cleared';
  summary: string;
  cause: MissingCause | null;
  evidence: FindingEvidence;
  backfilled: boolean;
  opened_at: Date;
  updated_at: Date;
  last_seen_at: Date;
  occurrences: number;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  snoozed_until: Date | null;
  snooze_reason: string | null;
  snoozed_by: string | null;
  snooze_severity: AlertSeverity | null;
  muted: boolean;
  revision: number;
  escalation_tier: number;
  paged_at: Date | null;
  next_escalation_at: Date | null;
  next_repeat_at: Date | null;
  outcome_kind: OutcomeKind | null;
  outcome_action: ActionKind | null;
  outcome_text: string | null;
  outcome_by: string | null;
  outcome_at: Date | null;
  version: number;
}

export interface EventRow {
  alert_id: string;
  revision: number;
  type: AlertEventType;
  actor: string;
  at: Date;
  from_state: AlertState | null;
  to_state: AlertState;
  severity: AlertSeverity;
  detail: EventDetail;
}

const opt = <K extends string, V>(key: K, value: V | null): { [P in K]?: V } => (value === null ? {} : ({ [key]: value } as { [P in K]?: V }));

export function alertFromRow(r: AlertRow): StoredAlert {
  return {
    id: r.id,
    subjectKey: r.subject_key,
    ...opt('patientId', r.patient_id),
    ...opt('gatewayId', r.gateway_id),
    ...opt('deviceId', r.device_id),
    careTeamId: r.care_team_id,
    ruleId: r.rule_id,
    audience: r.audience,
    severity: r.severity,
    state: r.state,
    condition: r.condition,
    summary: r.summary,
    ...opt('cause', r.cause),
    evidence: r.evidence,
    backfilled: r.backfilled,
    openedAt: r.opened_at,
    updatedAt: r.updated_at,
    lastSeenAt: r.last_seen_at,
    occurrences: r.occurrences,
    ...opt('acknowledgedAt', r.acknowledged_at),
    ...opt('acknowledgedBy', r.acknowledged_by),
    ...opt('resolvedAt', r.resolved_at),
    ...opt('resolvedBy', r.resolved_by),
    ...(r.snoozed_until !== null
      ? { snooze: { until: r.snoozed_until, reason: r.snooze_reason ?? '', by: r.snoozed_by ?? '', severity: r.snooze_severity ?? r.severity } }
      : {}),
    muted: r.muted,
    revision: r.revision,
    escalation: {
      tier: r.escalation_tier,
      ...opt('pagedAt', r.paged_at),
      ...opt('nextEscalationAt', r.next_escalation_at),
      ...opt('nextRepeatAt', r.next_repeat_at),
    },
    ...(r.outcome_kind !== null
      ? { outcome: { kind: r.outcome_kind, ...opt('action', r.outcome_action), ...opt('text', r.outcome_text), by: r.outcome_by ?? '', at: r.outcome_at ?? r.updated_at } }
      : {}),
    version: r.version,
  };
}

/** Column values in the order of ALERT_COLUMNS. */
export function alertValues(a: AlertRecord, version: number): unknown[] {
  return [
    a.id,
    a.subjectKey,
    a.patientId ?? null,
    a.gatewayId ?? null,
    a.deviceId ?? null,
    a.careTeamId,
    a.ruleId,
    a.audience,
    a.severity,
    a.state,
    a.condition,
    a.summary,
    a.cause ?? null,
    JSON.stringify(a.evidence),
    a.backfilled,
    a.openedAt,
    a.updatedAt,
    a.lastSeenAt,
    a.occurrences,
    a.acknowledgedAt ?? null,
    a.acknowledgedBy ?? null,
    a.resolvedAt ?? null,
    a.resolvedBy ?? null,
    a.snooze?.until ?? null,
    a.snooze?.reason ?? null,
    a.snooze?.by ?? null,
    a.snooze?.severity ?? null,
    a.muted,
    a.revision,
    a.escalation.tier,
    a.escalation.pagedAt ?? null,
    a.escalation.nextEscalationAt ?? null,
    a.escalation.nextRepeatAt ?? null,
    nextDueAt(a) ?? null,
    a.outcome?.kind ?? null,
    a.outcome?.action ?? null,
    a.outcome?.text ?? null,
    a.outcome?.by ?? null,
    a.outcome?.at ?? null,
    version,
  ];
}

export const ALERT_COLUMNS = [
  'id',
  'subject_key',
  'patient_id',
  'gateway_id',
  'device_id',
  'care_team_id',
  'rule_id',
  'audience',
  'severity',
  'state',
  'condition',
  'summary',
  'cause',
  'evidence',
  'backfilled',
  'opened_at',
  'updated_at',
  'last_seen_at',
  'occurrences',
  'acknowledged_at',
  'acknowledged_by',
  'resolved_at',
  'resolved_by',
  'snoozed_until',
  'snooze_reason',
  'snoozed_by',
  'snooze_severity',
  'muted',
  'revision',
  'escalation_tier',
  'paged_at',
  'next_escalation_at',
  'next_repeat_at',
  'next_due_at',
  'outcome_kind',
  'outcome_action',
  'outcome_text',
  'outcome_by',
  'outcome_at',
  'version',
] as const;

export function eventFromRow(r: EventRow): AlertEventRecord {
  return { alertId: r.alert_id, revision: r.revision, type: r.type, actor: r.actor, at: r.at, fromState: r.from_state, toState: r.to_state, severity: r.severity, detail: r.detail };
}
