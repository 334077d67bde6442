/** What the outbox worker needs from storage; sql-outbox-store.ts implements it on SqlDb. */
import type { AttemptRecord, NotificationDraft, OutboxItem } from './notification.js';

export type NotificationStatus = 'pending' | 'delivered' | 'failed';

export type AttemptVerdict = { readonly status: 'delivered' | 'failed' } | { readonly status: 'pending'; readonly nextAttemptAt: Date };

export interface OutboxRow extends OutboxItem {
  readonly status: NotificationStatus;
  readonly nextAttemptAt: Date;
  readonly deliveredAt?: Date;
  readonly lastError?: string;
}

export interface OutboxStore {
  /**
   * Claims up to `limit` pending notifications due at `now` (the engine's clock) and leases them
   * until `leaseUntil` (wall clock), so that a second worker or a restart does not send one twice
   * while it is in flight.
   */
  claimDue(now: Date, limit: number, leaseNow: Date, leaseUntil: Date): Promise<OutboxItem[]>;
  /** Records one attempt and what follows from it, atomically. */
  recordAttempt(attempt: AttemptRecord, verdict: AttemptVerdict): Promise<void>;
  /** The earliest pending attempt time, to sleep until then. */
  nextAttemptAt(): Promise<Date | undefined>;
  /** Pending notifications (ops and tests). */
  pendingCount(): Promise<number>;
  forAlert(alertId: string): Promise<OutboxRow[]>;
  attempts(notificationId: string): Promise<AttemptRecord[]>;
}

/** Inserted by the alert store in the same transaction as the alert change (see sql-outbox-store.ts). */
export type { NotificationDraft };
