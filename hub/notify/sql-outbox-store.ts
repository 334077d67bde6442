/**
 * The notification outbox on SqlDb (tables notification_outbox and notification_attempts, migration
 * 030). Rows are inserted by the alert store inside the transaction of the alert change
 * (insertNotifications), claimed with a lease, and finished with one attempt row per try.
 */
import type { SqlDb } from '../sql/sql-db.js';
import type { AttemptRecord, ChannelName, NotificationDraft, NotificationPayload, OutboxItem, TargetJson } from './notification.js';
import type { AttemptVerdict, NotificationStatus, OutboxRow, OutboxStore } from './outbox-store.js';

interface OutboxDbRow {
  id: string;
  alert_id: string;
  alert_revision: number;
  channel: ChannelName;
  reason: string;
  tier: number | null;
  tier_name: string | null;
  target: TargetJson;
  payload: NotificationPayload;
  status: NotificationStatus;
  attempts: number;
  created_at: Date;
  next_attempt_at: Date;
  delivered_at: Date | null;
  last_error: string | null;
}

interface AttemptDbRow {
  notification_id: string;
  attempt: number;
  started_at: Date;
  duration_ms: number;
  outcome: AttemptRecord['outcome'];
  status_code: number | null;
  error: string | null;
}

function toRow(r: OutboxDbRow): OutboxRow {
  return {
    id: r.id,
    alertId: r.alert_id,
    alertRevision: r.alert_revision,
    channel: r.channel,
    reason: r.reason,
    ...(r.tier === null ? {} : { tier: r.tier }),
    ...(r.tier_name === null ? {} : { tierName: r.tier_name }),
    target: r.target,
    payload: r.payload,
    createdAt: r.created_at,
    notBefore: r.next_attempt_at,
    attempts: r.attempts,
    status: r.status,
    nextAttemptAt: r.next_attempt_at,
    ...(r.delivered_at === null ? {} : { deliveredAt: r.delivered_at }),
    ...(r.last_error === null ? {} : { lastError: r.last_error }),
  };
}

/** Inserts new notifications; call inside the transaction that changes the alert. */
export async function insertNotifications(tx: SqlDb, drafts: readonly NotificationDraft[]): Promise<void> {
  for (const n of drafts) {
    await tx.query(
      `INSERT INTO notification_outbox (id, alert_id, alert_revision, channel, reason, tier, tier_name, target, payload, created_at, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11)`,
      [n.id, n.alertId, n.alertRevision, n.channel, n.reason, n.tier ?? null, n.tierName ?? null, JSON.stringify(n.target), JSON.stringify(n.payload), n.createdAt, n.notBefore],
    );
  }
}

export class SqlOutboxStore implements OutboxStore {
  constructor(private readonly db: SqlDb) {}

  async claimDue(now: Date, limit: number, leaseNow: Date, leaseUntil: Date): Promise<OutboxItem[]> {
    // SKIP LOCKED: two hubs on one PostgreSQL never claim the same row; the lease covers a crash.
    const rows = await this.db.query<OutboxDbRow>(
      `UPDATE notification_outbox SET lease_until = $3
       WHERE id IN (
         SELECT id FROM notification_outbox
         WHERE status = 'pending' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $2)
         ORDER BY next_attempt_at, created_at, id
         LIMIT $4
         FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [now, leaseNow, leaseUntil, limit],
    );
    return rows.map(toRow).sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || a.createdAt.getTime() - b.createdAt.getTime());
  }

  async recordAttempt(attempt: AttemptRecord, verdict: AttemptVerdict): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO notification_attempts (notification_id, attempt, started_at, duration_ms, outcome, status_code, error)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [attempt.notificationId, attempt.attempt, attempt.startedAt, Math.round(attempt.durationMs), attempt.outcome, attempt.statusCode ?? null, attempt.error ?? null],
      );
      const finished = verdict.status !== 'pending';
      await tx.query(
        `UPDATE notification_outbox
         SET attempts = $2, status = $3, lease_until = NULL, last_error = $4,
             delivered_at = CASE WHEN $3 = 'delivered' THEN $5::timestamptz ELSE delivered_at END,
             next_attempt_at = COALESCE($6::timestamptz, next_attempt_at)
         WHERE id = $1`,
        [attempt.notificationId, attempt.attempt, verdict.status, attempt.error ?? null, attempt.startedAt, finished ? null : verdict.nextAttemptAt],
      );
    });
  }

  async nextAttemptAt(): Promise<Date | undefined> {
    const rows = await this.db.query<{ at: Date | null }>(`SELECT min(next_attempt_at) AS at FROM notification_outbox WHERE status = 'pending'`);
    return rows[0]?.at ?? undefined;
  }

  async pendingCount(): Promise<number> {
    const rows = await this.db.query<{ n: number }>(`SELECT count(*)::integer AS n FROM notification_outbox WHERE status = 'pending'`);
    return rows[0]?.n ?? 0;
  }

  async forAlert(alertId: string): Promise<OutboxRow[]> {
    const rows = await this.db.query<OutboxDbRow>('SELECT * FROM notification_outbox WHERE alert_id = $1 ORDER BY created_at, id', [alertId]);
    return rows.map(toRow);
  }

  async attempts(notificationId: string): Promise<AttemptRecord[]> {
    const rows = await this.db.query<AttemptDbRow>('SELECT * FROM notification_attempts WHERE notification_id = $1 ORDER BY attempt', [notificationId]);
    return rows.map((r) => ({
      notificationId: r.notification_id,
      attempt: r.attempt,
      startedAt: r.started_at,
      durationMs: r.duration_ms,
      outcome: r.outcome,
      ...(r.status_code === null ? {} : { statusCode: r.status_code }),
      ...(r.error === null ? {} : { error: r.error }),
    }));
  }
}
