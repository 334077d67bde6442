/**
 * AlertStore on SqlDb (PGlite or PostgreSQL): tables alerts and alert_events (migration 020), with
 * the notifications of a change inserted into the outbox in the same transaction. Two guards keep
 * one active alert per subject and rule even with two hubs: the partial unique index
 * alerts_one_active_idx refuses a second open alert, and every update names the version it read.
 */
import { insertNotifications } from '../notify/sql-outbox-store.js';
import { SQLSTATE, sqlErrorInfo, type SqlDb } from '../sql/sql-db.js';
import type { AlertSeverity } from '../../contract/index.js';
import type { AlertEventRecord, SubjectKey } from './model.js';
import { severityRank } from './rules/index.js';
import { ALERT_COLUMNS, alertFromRow, alertValues, eventFromRow, type AlertRow, type EventRow } from './sql-alert-rows.js';
import { AlertConflictError, type AlertFilter, type AlertStore, type AlertWrite, type StoredAlert } from './store.js';

const PLACEHOLDERS = ALERT_COLUMNS.map((_, i) => `$${i + 1}`).join(', ');
const INSERT_ALERT = `INSERT INTO alerts (${ALERT_COLUMNS.join(', ')}) VALUES (${PLACEHOLDERS})`;
// Every column but id; the WHERE names the id ($1) and the version that was read (the last parameter).
const UPDATE_ALERT = `UPDATE alerts SET ${ALERT_COLUMNS.slice(1)
  .map((c, i) => `${c} = $${i + 2}`)
  .join(', ')} WHERE id = $1 AND version = $${ALERT_COLUMNS.length + 1}`;

async function insertEvents(tx: SqlDb, events: readonly AlertEventRecord[]): Promise<void> {
  for (const e of events) {
    await tx.query(
      `INSERT INTO alert_events (alert_id, revision, type, actor, at, from_state, to_state, severity, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)`,
      [e.alertId, e.revision, e.type, e.actor, e.at, e.fromState, e.toState, e.severity, JSON.stringify(e.detail)],
    );
  }
}

export class SqlAlertStore implements AlertStore {
  constructor(private readonly db: SqlDb) {}

  async activeFor(subjectKey: SubjectKey): Promise<StoredAlert[]> {
    const rows = await this.db.query<AlertRow>(`SELECT * FROM alerts WHERE subject_key = $1 AND state <> 'resolved'`, [subjectKey]);
    return rows.map(alertFromRow);
  }

  async get(alertId: string): Promise<StoredAlert | undefined> {
    const rows = await this.db.query<AlertRow>('SELECT * FROM alerts WHERE id = $1', [alertId]);
    return rows[0] ? alertFromRow(rows[0]) : undefined;
  }

  async list(filter: AlertFilter): Promise<StoredAlert[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.careTeamIds !== 'all') add((p) => `care_team_id = ANY(${p}::text[])`, [...filter.careTeamIds]);
    if (filter.careTeamId) add((p) => `care_team_id = ${p}`, filter.careTeamId);
    if (filter.states?.length) add((p) => `state = ANY(${p}::text[])`, [...filter.states]);
    if (filter.severities?.length) add((p) => `severity = ANY(${p}::text[])`, [...filter.severities]);
    if (filter.audience) add((p) => `audience = ${p}`, filter.audience);
    if (filter.patientId) add((p) => `patient_id = ${p}`, filter.patientId);
    if (filter.ruleId) add((p) => `rule_id = ${p}`, filter.ruleId);
    if (filter.before) {
      params.push(filter.before.openedAt, filter.before.id);
      where.push(`(opened_at, id) < ($${params.length - 1}::timestamptz, $${params.length})`);
    }
    params.push(filter.limit);
    const rows = await this.db.query<AlertRow>(
      `SELECT * FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY opened_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(alertFromRow);
  }

  async events(alertId: string): Promise<AlertEventRecord[]> {
    const rows = await this.db.query<EventRow>('SELECT * FROM alert_events WHERE alert_id = $1 ORDER BY revision', [alertId]);
    return rows.map(eventFromRow);
  }

  async write(writes: readonly AlertWrite[]): Promise<void> {
    if (writes.length === 0) return;
    try {
      await this.db.transaction(async (tx) => {
        for (const w of writes) {
          const { version, ...alert } = w.alert;
          if (version === undefined) {
            await tx.query(INSERT_ALERT, alertValues(alert, 1));
          } else {
            const updated = await tx.query<{ id: string }>(`${UPDATE_ALERT} RETURNING id`, [...alertValues(alert, version + 1), version]);
            if (updated.length === 0) throw new AlertConflictError(`alert ${alert.id} was changed by someone else (version ${version} is stale)`);
          }
          await insertEvents(tx, w.events);
          await insertNotifications(tx, w.notifications);
        }
      });
    } catch (err) {
      if (err instanceof AlertConflictError) throw err;
      const info = sqlErrorInfo(err);
      if (info.code === SQLSTATE.uniqueViolation) throw new AlertConflictError(`an active alert for this rule exists already (${info.constraint ?? 'unique'})`);
      throw err;
    }
  }

  async activeSubjectKeys(kind: 'patient' | 'gateway'): Promise<Set<string>> {
    const rows = await this.db.query<{ subject_key: string }>(`SELECT DISTINCT subject_key FROM alerts WHERE state <> 'resolved' AND subject_key LIKE $1`, [`${kind}:%`]);
    return new Set(rows.map((r) => r.subject_key));
  }

  async due(now: Date, limit: number): Promise<StoredAlert[]> {
    const rows = await this.db.query<AlertRow>(`SELECT * FROM alerts WHERE next_due_at <= $1 AND state <> 'resolved' ORDER BY next_due_at LIMIT $2`, [now, limit]);
    return rows.map(alertFromRow);
  }

  async activeSummary(patientIds: readonly string[]): Promise<Map<string, { count: number; highest: AlertSeverity }>> {
    const out = new Map<string, { count: number; highest: AlertSeverity }>();
    if (patientIds.length === 0) return out;
    const rows = await this.db.query<{ patient_id: string; severity: AlertSeverity; n: number }>(
      `SELECT patient_id, severity, count(*)::integer AS n FROM alerts
       WHERE patient_id = ANY($1::text[]) AND state <> 'resolved' AND severity <> 'info'
       GROUP BY patient_id, severity`,
      [[...patientIds]],
    );
    for (const r of rows) {
      const prev = out.get(r.patient_id);
      const highest = prev && severityRank(prev.highest) >= severityRank(r.severity) ? prev.highest : r.severity;
      out.set(r.patient_id, { count: (prev?.count ?? 0) + r.n, highest });
    }
    return out;
  }
}
