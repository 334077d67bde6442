/**
 * The alert as the engine keeps it (one row in the `alerts` table) and the append-only events that
 * record every transition (`alert_events`). One active (open or acknowledged) alert per subject and
 * rule id: a subject is a patient, or a gateway for the home's technical rules.
 */
import type { AlertSeverity, AlertState } from '../../contract/index.js';
import type { AlertOutcome } from './outcome.js';
import type { FindingEvidence, MissingCause, RuleFinding } from './rules/index.js';

export type Audience = RuleFinding['audience'];

/** 'patient:<id>' or 'gateway:<id>': the dedup scope of rule ids. */
export type SubjectKey = `patient:${string}` | `gateway:${string}`;

export const patientSubject = (patientId: string): SubjectKey => `patient:${patientId}`;
export const gatewaySubject = (gatewayId: string): SubjectKey => `gateway:${gatewayId}`;

/** Where an alert is in its escalation: which tier was paged last and when the next step is due. */
export interface EscalationState {
  /** 0 = nobody paged yet; 1 = the first tier that takes this severity, ... (index into the team's tiers + 1). */
  readonly tier: number;
  /** When the current round of pages goes out (later than the transition in quiet hours). */
  readonly pagedAt?: Date;
  /** Page the next tier at this time unless somebody acknowledges first. */
  readonly nextEscalationAt?: Date;
  /** Page again (same tiers) at this time while unacknowledged. */
  readonly nextRepeatAt?: Date;
}

export const NO_ESCALATION: EscalationState = { tier: 0 };

export interface Snooze {
  readonly until: Date;
  readonly reason: string;
  readonly by: string;
  /** The severity that was snoozed: a rise above it breaks the snooze. */
  readonly severity: AlertSeverity;
}

export interface AlertRecord {
  /** `al-` + lowercase ULID: safe as an MQTT topic level. */
  readonly id: string;
  readonly subjectKey: SubjectKey;
  readonly patientId?: string;
  readonly gatewayId?: string;
  readonly deviceId?: string;
  readonly careTeamId: string;
  readonly ruleId: string;
  readonly audience: Audience;
  readonly severity: AlertSeverity;
  readonly state: AlertState;
  /** What the rule said last: the alert can be firing while acknowledged, or cleared while snoozed. */
  readonly condition: 'firing' | 'cleared';
  readonly summary: string;
  readonly cause?: MissingCause;
  readonly evidence: FindingEvidence;
  /** Raised from late (downloaded) readings only: never pages. */
  readonly backfilled: boolean;
  readonly openedAt: Date;
  readonly updatedAt: Date;
  readonly lastSeenAt: Date;
  /** Firing evaluations with new evidence (readings, missed slots): 1 when opened. */
  readonly occurrences: number;
  readonly acknowledgedAt?: Date;
  readonly acknowledgedBy?: string;
  readonly resolvedAt?: Date;
  readonly resolvedBy?: string;
  readonly snooze?: Snooze;
  /** Inhibited: a missing-reading alert of a home whose gateway is offline (the gateway alert pages instead). */
  readonly muted: boolean;
  /** Public, monotonic per alert (AlertMessage.revision): bumped by every transition. */
  readonly revision: number;
  readonly escalation: EscalationState;
  /** What it turned out to be, as last recorded by a person (outcome.ts); the history has every recording. */
  readonly outcome?: AlertOutcome;
}

/** The event catalogue lives in contract/ (the API's schemas list it too). */
export { ALERT_EVENT_TYPES, type AlertEventType } from '../../contract/index.js';
import type { AlertEventType } from '../../contract/index.js';

export type EventDetail = Readonly<Record<string, string | number | boolean | null>>;

/** One row of alert_events: append-only. */
export interface AlertEventRecord {
  readonly alertId: string;
  /** The alert's revision after this event. */
  readonly revision: number;
  readonly type: AlertEventType;
  /** A user id, or 'system' for the engine. */
  readonly actor: string;
  readonly at: Date;
  readonly fromState: AlertState | null;
  readonly toState: AlertState;
  readonly severity: AlertSeverity;
  readonly detail: EventDetail;
}

export const SYSTEM_ACTOR = 'system';

export function isActive(alert: Pick<AlertRecord, 'state'>): boolean {
  return alert.state !== 'resolved';
}
