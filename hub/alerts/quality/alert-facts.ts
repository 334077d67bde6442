/**
 * One row of facts per patient alert of a care team opened in a period, read in one SQL statement
 * (PGlite and PostgreSQL): the alert's rule, severity, cause and outcome, the local hour it opened
 * in, and what its history says: the first acknowledgement, how often it was snoozed, whether it
 * escalated past the first tier. The analytics (summarise.ts) aggregate these in memory, because
 * percentiles, condition groups and quiet hours need the rows; a team raises a few thousand alerts
 * a year, and a period is at most MAX_PERIOD_DAYS.
 */
import type { AlertSeverity } from '../../../contract/index.js';
import type { SqlDb } from '../../sql/sql-db.js';
import type { ActionKind, OutcomeKind } from '../outcome.js';
import type { MissingCause } from '../rules/index.js';

export const MAX_PERIOD_DAYS = 366;

export interface AlertFact {
  readonly id: string;
  readonly patientId: string;
  readonly ruleId: string;
  readonly severity: AlertSeverity;
  readonly cause?: MissingCause;
  readonly openedAt: Date;
  /** 0-23 in the time zone asked for. */
  readonly localHour: number;
  /** Seconds from opening to the first acknowledgement by a person; undefined: never acknowledged. */
  readonly ackSeconds?: number;
  readonly outcome?: OutcomeKind;
  readonly action?: ActionKind;
  readonly snoozes: number;
  /** 'escalated' events: pages to a further tier because nobody acknowledged in time. */
  readonly escalations: number;
  readonly backfilled: boolean;
}

interface FactRow {
  id: string;
  patient_id: string;
  rule_id: string;
  severity: AlertSeverity;
  cause: MissingCause | null;
  opened_at: Date;
  local_hour: number;
  ack_seconds: number | null;
  outcome_kind: OutcomeKind | null;
  outcome_action: ActionKind | null;
  snoozes: number;
  escalations: number;
  backfilled: boolean;
}

/** Patient alerts (not the home's technical ones) of `careTeamId` opened in [from, to). */
export async function alertFacts(db: SqlDb, careTeamId: string, from: Date, to: Date, timeZone: string): Promise<AlertFact[]> {
  const rows = await db.query<FactRow>(
    `SELECT a.id, a.patient_id, a.rule_id, a.severity, a.cause, a.opened_at, a.backfilled, a.outcome_kind, a.outcome_action,
            EXTRACT(HOUR FROM a.opened_at AT TIME ZONE $4)::integer AS local_hour,
            (SELECT EXTRACT(EPOCH FROM min(e.at) - a.opened_at)::double precision FROM alert_events e WHERE e.alert_id = a.id AND e.type = 'acknowledged') AS ack_seconds,
            (SELECT count(*)::integer FROM alert_events e WHERE e.alert_id = a.id AND e.type = 'snoozed') AS snoozes,
            (SELECT count(*)::integer FROM alert_events e WHERE e.alert_id = a.id AND e.type = 'escalated') AS escalations
       FROM alerts a
      WHERE a.care_team_id = $1 AND a.patient_id IS NOT NULL AND a.opened_at >= $2 AND a.opened_at < $3
      ORDER BY a.opened_at, a.id`,
    [careTeamId, from, to, timeZone],
  );
  return rows.map((r) => ({
    id: r.id,
    patientId: r.patient_id,
    ruleId: r.rule_id,
    severity: r.severity,
    ...(r.cause !== null ? { cause: r.cause } : {}),
    openedAt: r.opened_at,
    localHour: r.local_hour,
    ...(r.ack_seconds !== null ? { ackSeconds: Number(r.ack_seconds) } : {}),
    ...(r.outcome_kind !== null ? { outcome: r.outcome_kind } : {}),
    ...(r.outcome_action !== null ? { action: r.outcome_action } : {}),
    snoozes: r.snoozes,
    escalations: r.escalations,
    backfilled: r.backfilled,
  }));
}

/** Ids of the team's patient alerts opened in [from, to) whose latest outcome is action_taken (for the back-test). */
export async function actionedAlerts(db: SqlDb, patientIds: readonly string[], from: Date, to: Date): Promise<{ id: string; patientId: string; ruleId: string; openedAt: Date }[]> {
  if (patientIds.length === 0) return [];
  const rows = await db.query<{ id: string; patient_id: string; rule_id: string; opened_at: Date }>(
    `SELECT id, patient_id, rule_id, opened_at FROM alerts
      WHERE patient_id = ANY($1::text[]) AND outcome_kind = 'action_taken' AND opened_at >= $2 AND opened_at < $3
      ORDER BY opened_at, id`,
    [[...patientIds], from, to],
  );
  return rows.map((r) => ({ id: r.id, patientId: r.patient_id, ruleId: r.rule_id, openedAt: r.opened_at }));
}
