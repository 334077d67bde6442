/**
 * What the alert engine and the API need from storage. sql-alert-store.ts implements it on SqlDb
 * (PGlite or PostgreSQL); the engine's state lives there entirely, so a restarted hub carries on.
 */
import type { AlertSeverity, AlertState } from '../../contract/index.js';
import type { NotificationDraft } from '../notify/notification.js';
import type { AlertEventRecord, AlertRecord, Audience, SubjectKey } from './model.js';

/** An alert as read from the store: `version` is what a later write must name (optimistic concurrency). */
export type StoredAlert = AlertRecord & { readonly version: number };

export interface AlertWrite {
  /** With `version`: an update of that version; without: a new alert. */
  readonly alert: AlertRecord & { readonly version?: number };
  readonly events: readonly AlertEventRecord[];
  readonly notifications: readonly NotificationDraft[];
}

/** Another writer changed the alert first, or a second active alert for the same rule was refused. */
export class AlertConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AlertConflictError';
  }
}

export interface AlertFilter {
  /** Restrict to these care teams ('all': no restriction). */
  readonly careTeamIds: readonly string[] | 'all';
  readonly states?: readonly AlertState[];
  readonly severities?: readonly AlertSeverity[];
  readonly audience?: Audience;
  readonly patientId?: string;
  readonly careTeamId?: string;
  readonly ruleId?: string;
  /** Keyset pagination: alerts opened before this (opened_at, id). */
  readonly before?: { readonly openedAt: Date; readonly id: string };
  readonly limit: number;
}

export interface AlertStore {
  /** Active (open or acknowledged) alerts of a subject. */
  activeFor(subjectKey: SubjectKey): Promise<StoredAlert[]>;
  get(alertId: string): Promise<StoredAlert | undefined>;
  /** Newest first. */
  list(filter: AlertFilter): Promise<StoredAlert[]>;
  events(alertId: string): Promise<AlertEventRecord[]>;
  /** Writes alerts, their events and notifications in one transaction; throws AlertConflictError on a lost race. */
  write(writes: readonly AlertWrite[]): Promise<void>;
  /** Subjects of this kind that have an active alert (the timer skips healthy homes without one). */
  activeSubjectKeys(kind: 'patient' | 'gateway'): Promise<Set<string>>;
  /** Active alerts with a time-driven step due at `now` (snooze end, escalation, repeat). */
  due(now: Date, limit: number): Promise<StoredAlert[]>;
  /** Count and highest severity of active, non-info alerts per patient (the worklist). */
  activeSummary(patientIds: readonly string[]): Promise<Map<string, { count: number; highest: AlertSeverity }>>;
}
